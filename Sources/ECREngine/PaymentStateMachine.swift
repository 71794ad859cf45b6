import ECRConfiguration
import Foundation
import ECRProtocol
import ECRTransport

/// The payment policy of DESIGN.md, as a value: events go in (with the time they happened), effects
/// come out for the owner to perform in order. No I/O and no clock of its own.
///
/// Every change of `attempt.state` yields a `.journal` effect placed before any effect that acts on
/// it, so a crash can never leave a request on the wire that the journal does not know about.
/// Requests are tracked by id: an answer nobody asked for is a bug in the owner and stops the
/// program; an answer that arrives after the outcome is settled (a notification won the race) is
/// ignored.
public struct PaymentStateMachine: Sendable {
    /// Identifies one request the machine asked its owner to send.
    public struct RequestID: Sendable, Hashable, CustomStringConvertible {
        public let value: Int
        public var description: String { "#\(value)" }
    }

    public enum Purpose: String, Sendable, Hashable {
        /// The payment (1001) or refund (1002) itself: sent at most once, ever.
        case trade
        /// Inquiry of the original sale before a refund.
        case refundCheck
        /// Inquiry while the outcome is pending or unknown.
        case poll
        /// The one inquiry that confirms a cancel reported by the terminal (outer 6001).
        case confirmCancel
        /// Cancel request (5001).
        case cancel

        /// Only the trade can move money; a journal failure stops it, and nothing else.
        public var movesMoney: Bool { self == .trade }
    }

    public struct Outgoing: Sendable, Hashable {
        public let id: RequestID
        public let purpose: Purpose
        public let request: ECRRequest
    }

    public enum Effect: Sendable, Hashable {
        /// Write this snapshot to the journal (and fsync) before performing any later effect.
        case journal(PaymentAttempt)
        /// Send this request; feed its result back through `answered(_:with:at:)`.
        case send(Outgoing)
        /// Call `pollDue(token:at:)` once the monotonic clock reaches `at`.
        case schedulePoll(token: Int, at: EngineInstant)
        /// Put this line in the activity log: an answer was ignored, and why.
        case note(String)

        public var isNote: Bool {
            if case .note = self { return true }
            return false
        }
    }

    /// Pacing the machine needs; the clock itself stays with the owner.
    public struct Timing: Sendable, Equatable {
        public var pollInterval: Duration
        public var grace: Duration
        public var timeZone: TimeZone

        public init(pollInterval: Duration, grace: Duration, timeZone: TimeZone) {
            self.pollInterval = pollInterval
            self.grace = grace
            self.timeZone = timeZone
        }

        public init(_ settings: EngineSettings) {
            self.init(pollInterval: settings.pollInterval, grace: settings.grace, timeZone: settings.timeZone)
        }
    }

    private enum PollMode: Sendable {
        /// The terminal accepted the trade; the customer is paying.
        case awaiting
        /// The trade may or may not have arrived.
        case unknown
        /// The terminal said 6001; one answered inquiry settles it.
        case confirmingCancel
    }

    /// What the latest answered inquiry said, for the "1136 until the deadline" rule.
    private enum LastAnswer: Sendable {
        case none, notFound, pending, other
    }

    private struct Polling: Sendable {
        var mode: PollMode
        var cancelRequested: Bool
        var deadline: EngineInstant
        /// The inquiry on the wire, if any: never more than one at a time.
        var inquiry: RequestID?
        /// Only the timer with this token still counts.
        var token: Int
        var lastAnswer: LastAnswer = .none
        /// Some answer showed the order exists: 1136 can then no longer mean "never created".
        var orderSeen = false
        var lastSentAt: EngineInstant?

        var displayState: AttemptState {
            if mode == .confirmingCancel || cancelRequested { return .cancelling }
            return mode == .unknown ? .unknown : .awaiting
        }
    }

    private enum State: Sendable {
        /// Journaled; a refund waits here for the answer about its original sale.
        case created(check: RequestID?)
        case sending(trade: RequestID, cancelRequested: Bool)
        case polling(Polling)
        case unresolved
        case finished

        var name: String {
            switch self {
            case .created: return "created"
            case .sending: return "sending"
            case .polling(let p): return "polling(\(p.mode))"
            case .unresolved: return "unresolved"
            case .finished: return "finished"
            }
        }
    }

    public private(set) var attempt: PaymentAttempt
    private var state: State
    private let timing: Timing
    /// start + max(payment_timeout, wait_card_timeout) + grace: the one deadline of the attempt,
    /// set when it starts (`attempt.deadline` shows it). Only a cancel (at least `grace` after it) and
    /// a fresh window on resume or "query again" move it; `attempt.deadline` always says where it is.
    private var baseDeadline: EngineInstant
    private var outstanding: [RequestID: Purpose] = [:]
    private var lastRequest = 0
    private var lastToken = 0

    private init(attempt: PaymentAttempt, state: State, timing: Timing, baseDeadline: EngineInstant) {
        self.attempt = attempt
        self.state = state
        self.timing = timing
        self.baseDeadline = baseDeadline
    }

    // MARK: Queries

    public var isFinal: Bool { attempt.state.isFinal }

    /// Cancel makes sense while something is on its way or being polled.
    public var canCancel: Bool {
        switch state {
        case .created, .sending, .polling: return true
        case .unresolved, .finished: return false
        }
    }

    public var canResolveAgain: Bool {
        if case .unresolved = state { return true }
        return false
    }

    // MARK: Starting

    /// A new payment: journaled as created, journaled as sending, then sent — in that order.
    public static func startPayment(_ request: PaymentRequest, tillID: String, paymentTimeout: Int, timing: Timing,
                                    at now: Moment, terminal: TerminalIdentity? = nil) -> (PaymentStateMachine, [Effect]) {
        var attempt = PaymentAttempt(outTradeNo: request.outTradeNo, kind: .payment, amount: request.amount,
                                     channel: request.channel, createdAt: now.wall, tillID: tillID,
                                     paymentTimeout: paymentTimeout)
        attempt.terminal = terminal
        // The terminal may first wait wait_card_timeout for a card (the transport waits as long for the answer).
        let customer = max(paymentTimeout, request.waitCardTimeout ?? 0)
        let deadline = now.instant.advanced(by: .seconds(customer) + timing.grace)
        attempt.deadline = now.wallTime(at: deadline)
        attempt.message = "recorded; about to send"
        var machine = PaymentStateMachine(attempt: attempt, state: .created(check: nil), timing: timing, baseDeadline: deadline)
        var effects = [machine.enter(.created, note: "journaled before sending", at: now)]
        let trade = machine.issue(.trade, .payment(request))
        machine.state = .sending(trade: trade.id, cancelRequested: false)
        machine.attempt.message = "sent to the terminal; waiting for its answer…"
        effects.append(machine.enter(.sending, note: "payment \(request.amount.display) \(request.channel.wireName) sent", at: now))
        effects.append(.send(trade))
        return (machine, effects)
    }

    /// A new refund: journaled as created, then the original sale is inquired; the refund itself is
    /// sent only once `answered` has checked that sale.
    public static func startRefund(outTradeNo: String, origin: RefundOrigin, tillID: String, paymentTimeout: Int,
                                   timing: Timing, at now: Moment, terminal: TerminalIdentity? = nil) -> (PaymentStateMachine, [Effect]) {
        var attempt = PaymentAttempt(outTradeNo: outTradeNo, kind: .refund, refund: origin,
                                     amount: origin.requestedAmount ?? .zero, channel: nil, createdAt: now.wall,
                                     tillID: tillID, paymentTimeout: paymentTimeout)
        attempt.terminal = terminal
        let deadline = now.instant.advanced(by: .seconds(paymentTimeout) + timing.grace)
        attempt.deadline = now.wallTime(at: deadline)
        var machine = PaymentStateMachine(attempt: attempt, state: .created(check: nil), timing: timing, baseDeadline: deadline)
        machine.attempt.message = "checking sale \(origin.originalSyssn) before refunding…"
        let effect = machine.enter(.created, note: "refund of sale \(origin.originalSyssn): checking the sale first", at: now)
        let check = machine.issue(.refundCheck, .inquiry(.orderId(origin.originalSyssn)))
        machine.state = .created(check: check.id)
        return (machine, [effect, .send(check)])
    }

    /// Picks up an attempt the journal shows unfinished. One that never left `created` was never
    /// sent (the `sending` record is written before the send), so it ends as not sent; every other
    /// one polls again, keeping what is left of its deadline but at least `grace`.
    public static func resume(_ journaled: PaymentAttempt, timing: Timing, at now: Moment) -> (PaymentStateMachine, [Effect]) {
        precondition(!journaled.state.isFinal,
                     "PaymentStateMachine: cannot resume \(journaled.outTradeNo), it is already \(journaled.state.rawValue)")
        var machine = PaymentStateMachine(attempt: journaled, state: .unresolved, timing: timing, baseDeadline: now.instant)
        if journaled.state == .created {
            machine.state = .finished
            let what = journaled.kind == .payment ? "charged" : "refunded"
            let effect = machine.finish(.rejected, rejection: .notSent,
                                        message: "not sent: the till stopped before sending it. Nothing was \(what); safe to try again.",
                                        at: now)
            return (machine, [effect])
        }
        var window = timing.grace
        if let deadline = journaled.deadline {
            let left = Duration.seconds(deadline.timeIntervalSince(now.wall))
            if left > window { window = left }
        }
        let confirming = journaled.state == .cancelling && !journaled.cancelRequested
        let mode: PollMode = confirming ? .confirmingCancel : (journaled.state == .awaiting ? .awaiting : .unknown)
        let effects = machine.beginPolling(mode: mode, cancelRequested: journaled.cancelRequested,
                                           deadline: now.instant.advanced(by: window), note: "resumed after a restart",
                                           message: "resumed after a restart: asking the terminal…", pollNow: true, at: now)
        return (machine, effects)
    }

    /// Takes charge of an unfinished attempt from the journal without polling it: a query's answer or
    /// a person can then settle it. Inconclusive results leave it as it was.
    public static func adopt(_ journaled: PaymentAttempt, timing: Timing) -> PaymentStateMachine {
        precondition(!journaled.state.isFinal,
                     "PaymentStateMachine: cannot adopt \(journaled.outTradeNo), it is already \(journaled.state.rawValue)")
        return PaymentStateMachine(attempt: journaled, state: .unresolved, timing: timing, baseDeadline: EngineInstant(nanoseconds: 0))
    }

    // MARK: Events

    /// The result of a request the machine asked for.
    public mutating func answered(_ id: RequestID, with result: Result<ECRResponse, TransportFailure>,
                                  at now: Moment) -> [Effect] {
        guard let purpose = outstanding.removeValue(forKey: id) else {
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): answer to request \(id), which is not on the wire (state \(state.name))")
        }
        if isFinal { return [] }
        switch purpose {
        case .refundCheck: return refundChecked(id, result, at: now)
        case .trade: return tradeAnswered(id, result, at: now)
        case .poll, .confirmCancel: return inquiryAnswered(id, result, at: now)
        case .cancel: return cancelAnswered(result, at: now)
        }
    }

    /// A poll timer fired. Timers left over from an earlier schedule are ignored.
    public mutating func pollDue(token: Int, at now: Moment) -> [Effect] {
        precondition(token <= lastToken, "PaymentStateMachine(\(attempt.outTradeNo)): poll timer \(token) was never scheduled (state \(state.name))")
        guard case .polling(var polling) = state, polling.token == token, polling.inquiry == nil else { return [] }
        if now.instant >= polling.deadline { return deadlinePassed(polling, at: now) }
        let inquiry = issue(polling.mode == .confirmingCancel ? .confirmCancel : .poll, inquiryRequest)
        polling.inquiry = inquiry.id
        polling.lastSentAt = now.instant
        state = .polling(polling)
        return [.send(inquiry)]
    }

    /// The cashier pressed cancel: send 5001 and keep polling, since the payment may still win the race.
    public mutating func cancel(at now: Moment) -> [Effect] {
        attempt.cancelRequested = true
        switch state {
        case .created:
            state = .finished
            return [finish(.cancelled, message: "cancelled before anything was sent. Nothing was refunded.", at: now)]
        case .sending(let trade, _):
            state = .sending(trade: trade, cancelRequested: true)
            // The cancel's outcome must be seen: poll for at least `grace` from now.
            baseDeadline = max(baseDeadline, now.instant.advanced(by: timing.grace))
            attempt.deadline = now.wallTime(at: baseDeadline)
            var effects = [enter(.cancelling, note: "cancel requested by the cashier", at: now)]
            effects.append(.send(issue(.cancel, .cancelRequest)))
            return effects
        case .polling(var polling):
            polling.cancelRequested = true
            // The cancel's outcome must be seen: poll for at least `grace` from now.
            polling.deadline = max(polling.deadline, now.instant.advanced(by: timing.grace))
            attempt.deadline = now.wallTime(at: polling.deadline)
            state = .polling(polling)
            var effects = [Effect]()
            if attempt.state != .cancelling { effects.append(enter(.cancelling, note: "cancel requested by the cashier", at: now)) }
            effects.append(.send(issue(.cancel, .cancelRequest)))
            return effects
        case .unresolved, .finished:
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): cancel in state \(state.name); check canCancel first")
        }
    }

    /// "Query again" on an unresolved attempt: poll once more, for `grace`.
    public mutating func resolveAgain(at now: Moment) -> [Effect] {
        guard case .unresolved = state else {
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): resolve again in state \(state.name); check canResolveAgain first")
        }
        return beginPolling(mode: .unknown, cancelRequested: attempt.cancelRequested,
                            deadline: now.instant.advanced(by: timing.grace), note: "asked again by hand",
                            message: "asking the terminal again…", pollNow: true, at: now)
    }

    /// A result that arrived by other means than the machine's own inquiry: a payment notification,
    /// or a query the cashier made. A conclusive result settles the attempt at once; anything else
    /// makes the machine ask now instead of at the next poll.
    public mutating func externalResult(_ record: TransactionRecord, source: String, at now: Moment) -> [Effect] {
        switch state {
        case .finished, .created: return []
        case .sending, .polling, .unresolved: break
        }
        var effects: [Effect] = []
        let differences = AnswerMatch.differences(record, attempt: attempt, arrival: .external)
        let status = record.conclusiveStatus
        if !differences.isEmpty {
            effects.append(.note(AnswerMatch.ignored("\(source) for \(attempt.outTradeNo)", differences)))
        } else if let status {
            switch (status.category, attempt.kind) {
            case (.success, .payment):
                return approve(record, note: "approved (\(source))", at: now)
            case (.success, .refund):
                return approve(record, note: "refund approved (\(source))", at: now)
            case (.failure, .payment), (.rejected, .payment), (.cancelled, .payment):
                return decline(code: status.code, meaning: status.meaning.english, record, at: now)
            default:
                break
            }
        }
        guard case .polling(var polling) = state, polling.inquiry == nil else { return effects }
        let inquiry = issue(polling.mode == .confirmingCancel ? .confirmCancel : .poll, inquiryRequest)
        polling.inquiry = inquiry.id
        polling.lastSentAt = now.instant
        state = .polling(polling)
        return effects + [.send(inquiry)]
    }

    /// Records something that happened to an unfinished attempt without changing its state (the till
    /// stopped waiting for it): a step from its state to the same state, journaled like any other.
    public mutating func note(_ text: String, at now: Moment) -> [Effect] {
        guard !isFinal else { return [] }
        attempt.history.append(AttemptTransition(at: now.wall, from: attempt.state, to: attempt.state, note: text))
        return [.journal(attempt)]
    }

    /// A person found out (merchant portal, terminal screen) what happened to an unresolved attempt.
    public mutating func settleByHand(paid: Bool, note: String, at now: Moment) -> [Effect] {
        guard case .unresolved = state else {
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): settle by hand in state \(state.name); only unresolved attempts can be")
        }
        state = .finished
        let what = note.isEmpty ? "" : ": \(note)"
        return [finish(paid ? .approved : .declined, message: "settled by hand as \(paid ? "paid" : "not paid")\(what)", at: now)]
    }

    // MARK: Answers

    private mutating func refundChecked(_ id: RequestID, _ result: Result<ECRResponse, TransportFailure>, at now: Moment) -> [Effect] {
        guard case .created(let check) = state, check == id, var origin = attempt.refund else {
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): refund check answer in state \(state.name)")
        }
        switch RefundPolicy.check(result, origin: origin, today: RefundPolicy.day(now.wall, timeZone: timing.timeZone)) {
        case .refuse(let code, let message, let rejection):
            attempt.respcd = code
            state = .finished
            return [finish(.rejected, rejection: rejection, message: message, at: now)]
        case .send(let approval):
            origin = approval.origin
            attempt.refund = origin
            attempt.amount = approval.amount
            attempt.channel = approval.channel
            let trade = issue(.trade, .refund(RefundRequest(orderId: origin.originalSyssn, refundAmount: approval.amount)))
            state = .sending(trade: trade.id, cancelRequested: false)
            attempt.message = "refund sent to the terminal; waiting for its answer…"
            let note = "refund \(approval.amount.display) of sale \(origin.originalSyssn) sent (refundable \(origin.refundableBefore?.display ?? "?"))"
            return [enter(.sending, note: note, at: now), .send(trade)]
        }
    }

    private mutating func tradeAnswered(_ id: RequestID, _ result: Result<ECRResponse, TransportFailure>, at now: Moment) -> [Effect] {
        guard case .sending(let trade, let cancelRequested) = state, trade == id else {
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): trade answer in state \(state.name)")
        }
        let nothing = attempt.kind == .payment ? "Nothing was charged" : "Nothing was refunded"
        // The deadline set at the start holds: a slow trade call eats into the polling time instead of
        // moving it. An answer that comes after it still gets one inquiry before the attempt is unresolved.
        let deadline = baseDeadline
        let late = now.instant >= deadline
        switch TradeVerdict(result, attempt: attempt) {
        case .approved(let record):
            return approve(record, note: "approved", at: now)
        case .declined(let code, let meaning, let record):
            return decline(code: code, meaning: meaning, record, at: now)
        case .pending(let record):
            if let record { attempt.absorb(record) }
            if record?.status?.category == .pending { attempt.seenOnTerminal = true }
            let waiting = attempt.kind == .payment ? "waiting for the customer…" : "refund accepted, waiting for the result…"
            return beginPolling(mode: .awaiting, cancelRequested: cancelRequested, deadline: deadline,
                                note: "accepted, result pending", message: waiting, pollNow: late, at: now)
        case .cancelledOnTerminal:
            attempt.respcd = OuterStatus.cancelledOnTerminal.code
            return beginPolling(mode: .confirmingCancel, cancelRequested: cancelRequested, deadline: deadline,
                                note: "6001 cancelled on the terminal; confirming by inquiry",
                                message: "cancelled on the terminal — confirming…", pollNow: true, at: now)
        case .rejected(let code, let meaning):
            attempt.respcd = code
            state = .finished
            return [finish(.rejected, rejection: .terminal, message: "rejected by the terminal: \(meaning.trimmingTrailingPunctuation). \(nothing).", at: now)]
        case .notSent(let reason):
            state = .finished
            return [finish(.rejected, rejection: .notSent, message: "not sent: \(reason.trimmingTrailingPunctuation). \(nothing); safe to try again.", at: now)]
        case .unknown(let reason):
            return beginPolling(mode: .unknown, cancelRequested: cancelRequested, deadline: deadline,
                                note: "outcome unknown: \(reason)",
                                message: "no clear answer (\(reason)); asking the terminal…", pollNow: true, at: now)
        case .mismatched(let differences):
            let reason = "the answer was about another transaction (\(differences.joined(separator: "; ")))"
            return [.note(AnswerMatch.ignored("answer to \(attempt.outTradeNo)", differences))]
                + beginPolling(mode: .unknown, cancelRequested: cancelRequested, deadline: deadline,
                               note: "outcome unknown: \(reason)",
                               message: "no clear answer (\(reason)); asking the terminal…", pollNow: true, at: now)
        }
    }

    private mutating func inquiryAnswered(_ id: RequestID, _ result: Result<ECRResponse, TransportFailure>, at now: Moment) -> [Effect] {
        guard case .polling(var polling) = state, polling.inquiry == id else {
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): inquiry answer \(id) in state \(state.name)")
        }
        polling.inquiry = nil
        var effects = [Effect]()
        if attempt.kind == .payment {
            switch PaymentInquiryVerdict(result, attempt: attempt) {
            case .approved(let record):
                return approve(record, note: "approved (found by inquiry)", at: now)
            case .declined(let code, let meaning, let record):
                if polling.mode == .confirmingCancel {
                    attempt.absorb(record)
                    attempt.respcd = code
                    state = .finished
                    return [finish(.cancelled, message: "cancelled on the terminal (\(meaning)). Nothing was charged.", at: now)]
                }
                if polling.cancelRequested {
                    // The cashier cancelled and the terminal says it was not paid: that is the cancel
                    // having worked, shown the same way whichever path brought the answer.
                    attempt.absorb(record)
                    attempt.respcd = code
                    state = .finished
                    return [finish(.cancelled, message: "cancelled at the cashier's request (\(meaning)). Nothing was charged.", at: now)]
                }
                return decline(code: code, meaning: meaning, record, at: now)
            case .notFound:
                if polling.mode == .confirmingCancel {
                    state = .finished
                    return [finish(.cancelled, message: "cancelled on the terminal before the payment was created. Nothing was charged.", at: now)]
                }
                polling.lastAnswer = .notFound
                attempt.message = "the terminal has no such payment yet (1136); still asking…"
            case .pending:
                polling.lastAnswer = .pending
                polling.orderSeen = true
                let firstSighting = attempt.seenOnTerminal != true
                attempt.seenOnTerminal = true
                if polling.mode != .awaiting {
                    // The terminal has it and is still working on it: a normal wait from here on.
                    polling.mode = .awaiting
                    state = .polling(polling)
                    if attempt.state != polling.displayState {
                        effects.append(enter(polling.displayState, note: "the terminal is still processing it", at: now))
                    }
                }
                attempt.message = polling.cancelRequested ? "cancel sent; the customer may still be paying…" : "waiting for the customer…"
                // Journaled at once, even without a state change: after a crash, a 1136 must not be
                // taken for "never created" once the terminal has said it has the payment.
                if firstSighting && effects.isEmpty { effects.append(.journal(attempt)) }
            case .noAnswer(let reason):
                polling.lastAnswer = .other
                attempt.message = "no answer to the inquiry (\(reason)); still asking…"
            case .mismatched(let differences):
                polling.lastAnswer = .other
                effects.append(.note(AnswerMatch.ignored("inquiry answer for \(attempt.outTradeNo)", differences)))
                attempt.message = "the inquiry answered about another transaction; still asking…"
            }
        } else {
            guard let origin = attempt.refund else { preconditionFailure("refund attempt \(attempt.outTradeNo) without its original sale") }
            switch RefundInquiryVerdict(result, origin: origin, amount: attempt.amount) {
            case .refunded(let record):
                attempt.respcd = TransactionStatus.success.code
                attempt.cardScheme = record.cardScheme ?? attempt.cardScheme
                state = .finished
                let after = record.refundableAmount?.display ?? "?"
                return [finish(.approved, message: "refund confirmed: sale \(origin.originalSyssn) now has \(after) refundable",
                               at: now)]
            case .unchanged:
                if polling.mode == .confirmingCancel {
                    state = .finished
                    return [finish(.cancelled, message: "refund cancelled on the terminal; the sale is unchanged. Nothing was refunded.", at: now)]
                }
                polling.lastAnswer = .pending
                attempt.message = "the sale shows no refund yet; still asking…"
            case .unexpected(let reason):
                polling.lastAnswer = .other
                attempt.message = "\(reason): check the sale by hand before refunding again"
            case .noAnswer(let reason):
                polling.lastAnswer = .other
                attempt.message = "no answer about the sale (\(reason)); still asking…"
            case .mismatched(let differences):
                polling.lastAnswer = .other
                effects.append(.note(AnswerMatch.ignored("inquiry answer about sale \(origin.originalSyssn)", differences)))
                attempt.message = "the inquiry answered about another transaction; still asking…"
            }
        }
        state = .polling(polling)
        if now.instant >= polling.deadline {
            return effects + deadlinePassed(polling, at: now)
        }
        // Never past the deadline: the attempt ends there, not at the next poll after it.
        let next = min(polling.deadline, max(now.instant, (polling.lastSentAt ?? now.instant).advanced(by: timing.pollInterval)))
        return effects + [schedule(&polling, at: next)]
    }

    private mutating func cancelAnswered(_ result: Result<ECRResponse, TransportFailure>, at now: Moment) -> [Effect] {
        switch result {
        case .success(let response) where response.outer == .accepted:
            attempt.message = "cancel sent; waiting to see whether the customer paid before it arrived…"
        case .success(let response):
            attempt.message = "the terminal did not take the cancel (\(response.meaning())); still waiting for the result…"
        case .failure(let failure):
            attempt.message = "the cancel may not have reached the terminal (\(failure.message)); still waiting for the result…"
        }
        // Ask at once what the cancel did, rather than at the next tick.
        guard case .polling(var polling) = state, polling.inquiry == nil, now.instant < polling.deadline else { return [] }
        let inquiry = issue(polling.mode == .confirmingCancel ? .confirmCancel : .poll, inquiryRequest)
        polling.inquiry = inquiry.id
        polling.lastSentAt = now.instant
        state = .polling(polling)
        return [.send(inquiry)]
    }

    // MARK: Steps

    private mutating func deadlinePassed(_ polling: Polling, at now: Moment) -> [Effect] {
        // "Never created" needs the latest answer to be 1136 and no answer ever showing the order, unless
        // the cashier cancelled it: then an order that vanished is the cancel having worked.
        if attempt.kind == .payment, polling.mode != .confirmingCancel, polling.lastAnswer == .notFound,
           !polling.orderSeen || polling.cancelRequested {
            attempt.respcd = TransactionStatus.orderNotFound.code
            state = .finished
            if polling.cancelRequested {
                return [finish(.cancelled, message: "cancelled: the terminal never created the payment. Nothing was charged.", at: now)]
            }
            return [finish(.declined, message: "failed: the terminal never created the payment (1136 until the deadline). Nothing was charged; safe to try again.",
                           at: now)]
        }
        state = .unresolved
        let what = attempt.kind == .payment ? "charge again" : "refund again"
        attempt.message = "UNRESOLVED: no final answer by the deadline. Do not \(what): check the terminal or the merchant portal, then query it again."
        return [enter(.unresolved, note: "deadline passed without a final answer", at: now)]
    }

    private mutating func beginPolling(mode: PollMode, cancelRequested: Bool, deadline: EngineInstant, note: String,
                                       message: String, pollNow: Bool, at now: Moment) -> [Effect] {
        var polling = Polling(mode: mode, cancelRequested: cancelRequested, deadline: deadline, inquiry: nil, token: lastToken)
        polling.orderSeen = attempt.seenOnTerminal ?? false
        attempt.deadline = now.wallTime(at: deadline)
        attempt.message = message
        state = .polling(polling)
        var effects = [enter(polling.displayState, note: note, at: now)]
        if pollNow {
            let inquiry = issue(mode == .confirmingCancel ? .confirmCancel : .poll, inquiryRequest)
            polling.inquiry = inquiry.id
            polling.lastSentAt = now.instant
            state = .polling(polling)
            effects.append(.send(inquiry))
        } else {
            effects.append(schedule(&polling, at: now.instant.advanced(by: timing.pollInterval)))
        }
        return effects
    }

    private mutating func schedule(_ polling: inout Polling, at instant: EngineInstant) -> Effect {
        lastToken += 1
        polling.token = lastToken
        state = .polling(polling)
        return .schedulePoll(token: lastToken, at: instant)
    }

    private mutating func approve(_ record: TransactionRecord, note: String, at now: Moment) -> [Effect] {
        attempt.absorb(record)
        attempt.respcd = TransactionStatus.success.code
        state = .finished
        var message = attempt.kind == .payment ? "approved" : "refund approved"
        if let scheme = attempt.cardScheme { message += " (\(scheme))" }
        if attempt.cancelRequested { message += " — the payment completed before the cancel arrived" }
        return [finish(.approved, message: message, note: note, at: now)]
    }

    private mutating func decline(code: String, meaning: String, _ record: TransactionRecord, at now: Moment) -> [Effect] {
        attempt.absorb(record)
        attempt.respcd = code
        state = .finished
        return [finish(.declined, message: "declined: \(meaning) (\(code))", at: now)]
    }

    private var inquiryRequest: ECRRequest {
        if attempt.kind == .refund, let origin = attempt.refund { return .inquiry(.orderId(origin.originalSyssn)) }
        return .inquiry(.outTradeNo(attempt.outTradeNo))
    }

    private mutating func issue(_ purpose: Purpose, _ request: ECRRequest) -> Outgoing {
        lastRequest += 1
        let id = RequestID(value: lastRequest)
        outstanding[id] = purpose
        return Outgoing(id: id, purpose: purpose, request: request)
    }

    private mutating func finish(_ final: AttemptState, rejection: Rejection? = nil, message: String, note: String? = nil,
                                 at now: Moment) -> Effect {
        attempt.rejection = rejection
        attempt.message = message
        return enter(final, note: note ?? message, at: now)
    }

    /// Records a transition and hands back the journal effect that must precede acting on it.
    private mutating func enter(_ new: AttemptState, note: String, at now: Moment) -> Effect {
        let old = attempt.history.isEmpty ? nil : attempt.state
        attempt.state = new
        attempt.history.append(AttemptTransition(at: now.wall, from: old, to: new, note: note))
        return .journal(attempt)
    }
}

extension String {
    /// Lets a sentence from elsewhere be followed by our own ". …" without "?." or "..".
    var trimmingTrailingPunctuation: String {
        var text = Substring(self)
        while let last = text.last, ".!?;: ".contains(last) { text = text.dropLast() }
        return String(text)
    }
}
