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

    /// Whether the cashier asked to cancel and whether the terminal ever showed the order are facts
    /// of the attempt (`cancelRequested`, `seenOnTerminal`), kept there only: the journal has them.
    private struct Polling: Sendable {
        var mode: PollMode
        var deadline: EngineInstant
        /// The inquiry on the wire, if any: never more than one at a time.
        var inquiry: RequestID?
        /// Only the timer with this token still counts.
        var token: Int
        var lastAnswer: LastAnswer = .none
        var lastSentAt: EngineInstant?
    }

    private enum State: Sendable {
        /// Journaled; a refund waits here for the answer about its original sale.
        case created(check: RequestID?)
        case sending(trade: RequestID)
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
        attempt.reason = .recorded
        var machine = PaymentStateMachine(attempt: attempt, state: .created(check: nil), timing: timing, baseDeadline: deadline)
        var effects = [machine.enter(.created, step: .journaledBeforeSending, at: now)]
        let trade = machine.issue(.trade, .payment(request))
        machine.state = .sending(trade: trade.id)
        machine.attempt.reason = .sent(kind: .payment)
        effects.append(machine.enter(.sending, step: .paymentSent(amount: request.amount, channel: request.channel), at: now))
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
        machine.attempt.reason = .checkingSale(sale: origin.originalSyssn)
        let effect = machine.enter(.created, step: .checkingSale(sale: origin.originalSyssn), at: now)
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
            let effect = machine.finish(.rejected, rejection: .notSent, reason: .stoppedBeforeSending(kind: journaled.kind), at: now)
            return (machine, [effect])
        }
        var window = timing.grace
        if let deadline = journaled.deadline {
            let left = Duration.seconds(deadline.timeIntervalSince(now.wall))
            if left > window { window = left }
        }
        let confirming = journaled.state == .cancelling && !journaled.cancelRequested
        let mode: PollMode = confirming ? .confirmingCancel : (journaled.state == .awaiting ? .awaiting : .unknown)
        let effects = machine.beginPolling(mode: mode, deadline: now.instant.advanced(by: window), step: .resumed,
                                           reason: .resumed, pollNow: true, at: now)
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
        return [sendInquiry(&polling, at: now)]
    }

    /// The cashier pressed cancel: send 5001 and keep polling, since the payment may still win the race.
    public mutating func cancel(at now: Moment) -> [Effect] {
        attempt.cancelRequested = true
        switch state {
        case .created:
            state = .finished
            return [finish(.cancelled, reason: .cancelledBeforeSending, at: now)]
        case .sending:
            // The cancel's outcome must be seen: poll for at least `grace` from now.
            baseDeadline = max(baseDeadline, now.instant.advanced(by: timing.grace))
            attempt.deadline = now.wallTime(at: baseDeadline)
            var effects = [enter(.cancelling, step: .cancelRequested, at: now)]
            effects.append(.send(issue(.cancel, .cancelRequest)))
            return effects
        case .polling(var polling):
            // The cancel's outcome must be seen: poll for at least `grace` from now.
            polling.deadline = max(polling.deadline, now.instant.advanced(by: timing.grace))
            attempt.deadline = now.wallTime(at: polling.deadline)
            state = .polling(polling)
            var effects = [Effect]()
            if attempt.state != .cancelling { effects.append(enter(.cancelling, step: .cancelRequested, at: now)) }
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
        return beginPolling(mode: .unknown, deadline: now.instant.advanced(by: timing.grace), step: .askedAgain,
                            reason: .askingAgain, pollNow: true, at: now)
    }

    /// A result that arrived by other means than the machine's own inquiry: a payment notification,
    /// or a query the cashier made. A conclusive result settles the attempt at once; anything else
    /// makes the machine ask now instead of at the next poll.
    public mutating func externalResult(_ record: TransactionRecord, source: StepNote.Arrival, at now: Moment) -> [Effect] {
        switch state {
        case .finished, .created: return []
        case .sending, .polling, .unresolved: break
        }
        var effects: [Effect] = []
        let differences = AnswerMatch.differences(record, attempt: attempt, arrival: .external)
        let status = record.conclusiveStatus
        if !differences.isEmpty {
            effects.append(.note(AnswerMatch.ignored("\(source.rawValue) for \(attempt.outTradeNo)", differences)))
        } else if let status {
            switch (status.category, attempt.kind) {
            case (.success, _):
                return approve(record, via: source, at: now)
            case (.failure, .payment), (.rejected, .payment), (.cancelled, .payment):
                return decline(code: status.code, record, at: now)
            default:
                break
            }
        }
        guard case .polling(var polling) = state, polling.inquiry == nil else { return effects }
        return effects + [sendInquiry(&polling, at: now)]
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
        return [finish(paid ? .approved : .declined, reason: .settledByHand(paid: paid, note: note), at: now)]
    }

    // MARK: Answers

    private mutating func refundChecked(_ id: RequestID, _ result: Result<ECRResponse, TransportFailure>, at now: Moment) -> [Effect] {
        guard case .created(let check) = state, check == id, var origin = attempt.refund else {
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): refund check answer in state \(state.name)")
        }
        switch RefundPolicy.check(result, origin: origin, today: RefundPolicy.day(now.wall, timeZone: timing.timeZone)) {
        case .refuse(let code, let refusal):
            attempt.respcd = code
            state = .finished
            return [finish(.rejected, rejection: refusal.rejection, reason: .refundRefused(refusal), at: now)]
        case .send(let approval):
            origin = approval.origin
            attempt.refund = origin
            attempt.amount = approval.amount
            attempt.channel = approval.channel
            let trade = issue(.trade, .refund(RefundRequest(orderId: origin.originalSyssn, refundAmount: approval.amount)))
            state = .sending(trade: trade.id)
            attempt.reason = .sent(kind: .refund)
            let step = StepNote.refundSent(amount: approval.amount, sale: origin.originalSyssn, refundable: origin.refundableBefore)
            return [enter(.sending, step: step, at: now), .send(trade)]
        }
    }

    private mutating func tradeAnswered(_ id: RequestID, _ result: Result<ECRResponse, TransportFailure>, at now: Moment) -> [Effect] {
        guard case .sending(let trade) = state, trade == id else {
            preconditionFailure("PaymentStateMachine(\(attempt.outTradeNo)): trade answer in state \(state.name)")
        }
        // The deadline set at the start holds: a slow trade call eats into the polling time instead of
        // moving it. An answer that comes after it still gets one inquiry before the attempt is unresolved.
        let deadline = baseDeadline
        let late = now.instant >= deadline
        switch TradeVerdict(result, attempt: attempt) {
        case .approved(let record):
            return approve(record, via: .answer, at: now)
        case .declined(let code, let record):
            return decline(code: code, record, at: now)
        case .pending(let record):
            if let record { attempt.absorb(record) }
            if record?.status?.category == .pending { attempt.seenOnTerminal = true }
            return beginPolling(mode: .awaiting, deadline: deadline, step: .acceptedPending,
                                reason: attempt.kind == .payment ? .waitingForCustomer : .refundAccepted, pollNow: late, at: now)
        case .cancelledOnTerminal:
            attempt.respcd = OuterStatus.cancelledOnTerminal.code
            return beginPolling(mode: .confirmingCancel, deadline: deadline, step: .cancelledOnTerminal,
                                reason: .confirmingCancel, pollNow: true, at: now)
        case .rejected(let code, let said):
            attempt.respcd = code
            state = .finished
            return [finish(.rejected, rejection: .terminal, reason: .rejectedByTerminal(code: code, said: said, kind: attempt.kind), at: now)]
        case .notSent(let failure):
            state = .finished
            return [finish(.rejected, rejection: .notSent, reason: .notSent(failure: failure, kind: attempt.kind), at: now)]
        case .unknown(let problem):
            var effects = [Effect]()
            if case .aboutAnother(let differences) = problem {
                effects.append(.note(AnswerMatch.ignored("answer to \(attempt.outTradeNo)", differences)))
            }
            return effects + beginPolling(mode: .unknown, deadline: deadline, step: .outcomeUnknown(problem),
                                          reason: .asking(problem), pollNow: true, at: now)
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
                return approve(record, via: .inquiry, at: now)
            case .declined(let code, let record):
                if polling.mode == .confirmingCancel {
                    attempt.absorb(record)
                    attempt.respcd = code
                    state = .finished
                    // A 6001 that answers the cashier's own cancel is that cancel having worked.
                    let reason: OutcomeReason = attempt.cancelRequested ? .cancelledByCashier(code: code) : .cancelledOnTerminal(code: code)
                    return [finish(.cancelled, reason: reason, at: now)]
                }
                if attempt.cancelRequested {
                    // The cashier cancelled and the terminal says it was not paid: that is the cancel
                    // having worked, shown the same way whichever path brought the answer.
                    attempt.absorb(record)
                    attempt.respcd = code
                    state = .finished
                    return [finish(.cancelled, reason: .cancelledByCashier(code: code), at: now)]
                }
                return decline(code: code, record, at: now)
            case .notFound:
                if polling.mode == .confirmingCancel {
                    state = .finished
                    return [finish(.cancelled, reason: .cancelledBeforeCreated, at: now)]
                }
                polling.lastAnswer = .notFound
                attempt.reason = .notFoundYet
            case .pending:
                polling.lastAnswer = .pending
                let firstSighting = attempt.seenOnTerminal != true
                attempt.seenOnTerminal = true
                if polling.mode != .awaiting {
                    // The terminal has it and is still working on it: a normal wait from here on.
                    polling.mode = .awaiting
                    state = .polling(polling)
                    if attempt.state != displayState(polling) {
                        effects.append(enter(displayState(polling), step: .stillProcessing, at: now))
                    }
                }
                attempt.reason = attempt.cancelRequested ? .cancelPendingCustomer : .waitingForCustomer
                // Journaled at once, even without a state change: after a crash, a 1136 must not be
                // taken for "never created" once the terminal has said it has the payment.
                if firstSighting && effects.isEmpty { effects.append(.journal(attempt)) }
            case .noAnswer(let problem):
                polling.lastAnswer = .other
                attempt.reason = .inquiryUnanswered(problem)
            case .mismatched(let differences):
                polling.lastAnswer = .other
                effects.append(.note(AnswerMatch.ignored("inquiry answer for \(attempt.outTradeNo)", differences)))
                attempt.reason = .inquiryAboutAnother
            }
        } else {
            guard let origin = attempt.refund else { preconditionFailure("refund attempt \(attempt.outTradeNo) without its original sale") }
            switch RefundInquiryVerdict(result, origin: origin, amount: attempt.amount) {
            case .refunded(let record):
                attempt.respcd = TransactionStatus.success.code
                attempt.cardScheme = record.cardScheme ?? attempt.cardScheme
                state = .finished
                return [finish(.approved, reason: .refundConfirmed(sale: origin.originalSyssn, refundable: record.refundableAmount),
                               at: now)]
            case .unchanged:
                if polling.mode == .confirmingCancel {
                    state = .finished
                    return [finish(.cancelled, reason: .refundCancelledOnTerminal, at: now)]
                }
                polling.lastAnswer = .pending
                attempt.reason = .saleUnchanged
            case .unexpected(let change):
                polling.lastAnswer = .other
                attempt.reason = .saleChangedUnexpectedly(change)
            case .noAnswer(let problem):
                polling.lastAnswer = .other
                attempt.reason = .saleUnanswered(problem)
            case .mismatched(let differences):
                polling.lastAnswer = .other
                effects.append(.note(AnswerMatch.ignored("inquiry answer about sale \(origin.originalSyssn)", differences)))
                attempt.reason = .inquiryAboutAnother
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
            attempt.reason = .cancelSent
        case .success(let response):
            attempt.reason = .cancelNotTaken(code: response.outer.code)
        case .failure(let failure):
            attempt.reason = .cancelMayNotHaveArrived(failure: failure)
        }
        // Ask at once what the cancel did, rather than at the next tick.
        guard case .polling(var polling) = state, polling.inquiry == nil, now.instant < polling.deadline else { return [] }
        return [sendInquiry(&polling, at: now)]
    }

    // MARK: Steps

    private mutating func deadlinePassed(_ polling: Polling, at now: Moment) -> [Effect] {
        // "Never created" needs the latest answer to be 1136 and no answer ever showing the order, unless
        // the cashier cancelled it: then an order that vanished is the cancel having worked.
        if attempt.kind == .payment, polling.mode != .confirmingCancel, polling.lastAnswer == .notFound,
           attempt.seenOnTerminal != true || attempt.cancelRequested {
            attempt.respcd = TransactionStatus.orderNotFound.code
            state = .finished
            if attempt.cancelRequested {
                return [finish(.cancelled, reason: .cancelledNeverCreated, at: now)]
            }
            return [finish(.declined, reason: .neverCreated, at: now)]
        }
        state = .unresolved
        attempt.reason = .unresolved(kind: attempt.kind)
        return [enter(.unresolved, step: .deadlinePassed, at: now)]
    }

    private func displayState(_ polling: Polling) -> AttemptState {
        if polling.mode == .confirmingCancel || attempt.cancelRequested { return .cancelling }
        return polling.mode == .unknown ? .unknown : .awaiting
    }

    private mutating func beginPolling(mode: PollMode, deadline: EngineInstant, step: StepNote, reason: OutcomeReason,
                                       pollNow: Bool, at now: Moment) -> [Effect] {
        var polling = Polling(mode: mode, deadline: deadline, inquiry: nil, token: lastToken)
        attempt.deadline = now.wallTime(at: deadline)
        attempt.reason = reason
        state = .polling(polling)
        var effects = [enter(displayState(polling), step: step, at: now)]
        if pollNow {
            effects.append(sendInquiry(&polling, at: now))
        } else {
            effects.append(schedule(&polling, at: now.instant.advanced(by: timing.pollInterval)))
        }
        return effects
    }

    /// The one inquiry on the wire while polling: what it asks depends on the attempt, its purpose on the mode.
    private mutating func sendInquiry(_ polling: inout Polling, at now: Moment) -> Effect {
        let inquiry = issue(polling.mode == .confirmingCancel ? .confirmCancel : .poll, inquiryRequest)
        polling.inquiry = inquiry.id
        polling.lastSentAt = now.instant
        state = .polling(polling)
        return .send(inquiry)
    }

    private mutating func schedule(_ polling: inout Polling, at instant: EngineInstant) -> Effect {
        lastToken += 1
        polling.token = lastToken
        state = .polling(polling)
        return .schedulePoll(token: lastToken, at: instant)
    }

    private mutating func approve(_ record: TransactionRecord, via arrival: StepNote.Arrival, at now: Moment) -> [Effect] {
        attempt.absorb(record)
        attempt.respcd = TransactionStatus.success.code
        state = .finished
        let reason = OutcomeReason.approved(kind: attempt.kind, scheme: attempt.cardScheme, cancelLost: attempt.cancelRequested)
        return [finish(.approved, reason: reason, step: .approved(kind: attempt.kind, via: arrival), at: now)]
    }

    private mutating func decline(code: String, _ record: TransactionRecord, at now: Moment) -> [Effect] {
        attempt.absorb(record)
        attempt.respcd = code
        state = .finished
        return [finish(.declined, reason: .declined(code: code), at: now)]
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

    private mutating func finish(_ final: AttemptState, rejection: Rejection? = nil, reason: OutcomeReason, step: StepNote? = nil,
                                 at now: Moment) -> Effect {
        attempt.rejection = rejection
        attempt.reason = reason
        return enter(final, step: step ?? .outcome(reason), at: now)
    }

    /// Records a transition and hands back the journal effect that must precede acting on it.
    private mutating func enter(_ new: AttemptState, step: StepNote, at now: Moment) -> Effect {
        let old = attempt.history.isEmpty ? nil : attempt.state
        attempt.state = new
        attempt.history.append(AttemptTransition(at: now.wall, from: old, to: new, step: step))
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
