import ECRProtocol
import Foundation

/// A QFPay terminal with a virtual customer in front of it. Pure: no I/O, no clock of its own —
/// every call says what time it is, and the caller saves `state` after a change.
///
/// One payment or refund at a time; a second one is refused as busy, while inquiry and cancel
/// requests are always served — that is what lets a till poll and cancel during a payment.
public struct VirtualTerminal: Sendable {
    public let settings: TerminalSettings
    public internal(set) var state: TerminalState
    private var events: [TerminalEvent] = []
    /// The last request admitted and what it asks. A till polling sends the very same bytes each
    /// time (its content carries no time, and the cipher's IV is fixed), so they are decrypted
    /// and checked once: that was a third of an inquiry's cost. Not part of the state.
    private var lastAdmitted: (request: TerminalRequest, admitted: ECRRequest)?

    public init(settings: TerminalSettings, state: TerminalState = TerminalState()) {
        self.settings = settings
        self.state = state
    }

    public var ledger: MerchantLedger { state.ledger }

    /// When the customer next finishes something on their own: advance the terminal then.
    public var nextDue: Date? { state.running?.customerDoneAt }

    /// What happened since the last call: customers finishing, refunds done. For logs and notifications.
    public mutating func takeEvents() -> [TerminalEvent] {
        defer { events = [] }
        return events
    }

    // MARK: Requests from the till

    public mutating func receive(_ request: TerminalRequest, at now: Date) -> TerminalReply {
        advance(to: now)
        let ecrRequest: ECRRequest
        if let last = lastAdmitted, last.request == request {
            ecrRequest = last.admitted
        } else {
            do {
                ecrRequest = try RequestGate.admit(request, posKey: settings.posKey)
            } catch {
                // Refused before it was authenticated: always plain, the till may not share our key.
                let response = error.response
                return .answer(VirtualAnswer(request: nil, response: response,
                                              delivery: .send(Array(response.serialized().utf8)), printout: nil))
            }
            lastAdmitted = (request, ecrRequest)
        }
        switch perform(ecrRequest, at: now, answerAtOnce: settings.mode == .ack) {
        case .done(let response, let fate, let printout):
            return .answer(answer(ecrRequest, response, fate: fate, printout: printout))
        case .waiting(let ticket, let until):
            if let until, until <= now, let reply = collect(ticket: ticket, request: ecrRequest, at: now) { return reply }
            return .waiting(ticket: ticket, until: until, request: ecrRequest)
        }
    }

    /// The answer to a sync trade or refund once the customer has finished; `.waiting` while not.
    /// Nil when no answer is owed for this ticket (already collected, or long gone).
    public mutating func collect(ticket: Int, request: ECRRequest, at now: Date) -> TerminalReply? {
        advance(to: now)
        if let running = state.running, running.ticket == ticket {
            return .waiting(ticket: ticket, until: running.customerDoneAt, request: request)
        }
        guard let index = state.finished.firstIndex(where: { $0.ticket == ticket }) else { return nil }
        let finished = state.finished.remove(at: index)
        let (response, fate) = finishedResponse(finished)
        return .answer(answer(request, response, fate: fate, printout: nil))
    }

    /// Lets the virtual customer finish whatever was due by `now`.
    public mutating func advance(to now: Date) {
        guard let running = state.running, let done = running.customerDoneAt, done <= now else { return }
        complete(running, at: done)
    }

    // MARK: Answers

    enum AnswerFate {
        case normal, drop, garble, cut
    }

    enum Performed {
        case done(ECRResponse, AnswerFate, Printout?)
        case waiting(ticket: Int, until: Date?)
    }

    private func answer(_ request: ECRRequest, _ response: ECRResponse, fate: AnswerFate, printout: Printout?) -> VirtualAnswer {
        let text = response.serialized()
        var bytes = Array(text.utf8)
        if settings.encryptAnswers, let cipher = try? AESCipher(posKey: settings.posKey) {
            bytes = Array(cipher.encryptToBase64(text).utf8)
        }
        let delivery: VirtualAnswer.Delivery
        switch fate {
        case .normal: delivery = .send(bytes)
        case .drop: delivery = .closeWithoutAnswer
        case .garble: delivery = .send(TerminalLog.garble(bytes))
        case .cut: delivery = .cutShort(bytes)
        }
        return VirtualAnswer(request: request, response: response, delivery: delivery, printout: printout)
    }

    static func fate(of outcome: Outcome) -> AnswerFate {
        switch outcome {
        case .dropConnection: return .drop
        case .garbledAnswer: return .garble
        case .answerCutShort: return .cut
        default: return .normal
        }
    }

    private func finishedResponse(_ finished: FinishedOperation) -> (ECRResponse, AnswerFate) {
        switch finished.result {
        case .payment(let syssn):
            guard let entry = state.ledger.entry(syssn: syssn) else {
                return (ECRResponse(outer: .otherError, respmsg: "the payment record is missing"), .normal)
            }
            switch entry.state {
            case .approved:
                var record = TerminalRecords.trade(entry, settings: settings)
                if finished.outcome == .answerForAnotherSale { TerminalRecords.misattribute(&record, entry) }
                return (ECRResponse(outer: .accepted, respmsg: "payment approved", data: TransactionRecord(fields: record)),
                        Self.fate(of: finished.outcome))
            case .notPaid:
                return (ECRResponse(outer: .cancelledOnTerminal, respmsg: "request cancelled",
                                    resperr: entry.failureReason ?? "cancelled by the customer"), .normal)
            case .declined, .paying:
                return (ECRResponse(outer: .accepted, respmsg: "payment declined",
                                    data: TransactionRecord(fields: TerminalRecords.trade(entry, settings: settings))), .normal)
            }
        case .refund(let syssn):
            guard let refund = state.ledger.entry(syssn: syssn), let orig = refund.origSyssn,
                  let payment = state.ledger.entry(syssn: orig) else {
                return (ECRResponse(outer: .otherError, respmsg: "the refund record is missing"), .normal)
            }
            return (ECRResponse(outer: .accepted, respmsg: "refund approved",
                                data: TransactionRecord(fields: TerminalRecords.refund(refund, payment: payment))), .normal)
        case .refundRefused(let code, let message, let orderId):
            return (ECRResponse(outer: .accepted, respmsg: "refund refused",
                                data: TransactionRecord(fields: TerminalRecords.failure(code: code, reason: message,
                                                                                       extra: [("orig_syssn", .string(orderId))]))),
                    .normal)
        case .cancelledByRequest:
            return (ECRResponse(outer: .cancelledOnTerminal, respmsg: "request cancelled",
                                resperr: "cancelled by a cancel request (5001)"), .normal)
        }
    }

    // MARK: The customer finishing

    mutating func complete(_ running: RunningOperation, at time: Date) {
        let result: FinishedOperation.Result
        switch running.work {
        case .payment(let syssn):
            let entry: LedgerEntry?
            switch running.outcome {
            case .decline(let code):
                entry = state.ledger.decline(syssn: syssn, code: code,
                                             reason: "declined by the issuer: \(TransactionStatus(code: code).meaning.english)", at: time)
            case .customerCancels:
                entry = state.ledger.closeUnpaid(syssn: syssn, reason: LedgerEntry.cancelledByCustomer, at: time)
            case .neverPays:
                entry = nil
            case .approve, .dropConnection, .slowApproval, .garbledAnswer, .acknowledgeOnly, .answerCutShort, .answerForAnotherSale,
                 .answerAfterTheDeadline:
                entry = state.ledger.approve(syssn: syssn, at: time)
            }
            if let entry { events.append(.paymentFinished(entry)) }
            result = .payment(syssn: syssn)
        case .refund(let orderId, let amount, let outTradeNo):
            do {
                let refund = try state.ledger.refund(orderId: orderId, amount: amount, outTradeNo: outTradeNo, at: time)
                events.append(.refundFinished(refund: refund, payment: state.ledger.entry(syssn: refund.origSyssn!)!))
                result = .refund(syssn: refund.syssn)
            } catch {
                events.append(.refundRefused(orderId: orderId, refusal: error))
                result = .refundRefused(code: error.code, message: error.description, orderId: orderId)
            }
        }
        state.running = nil
        owe(running, result)
    }

    /// Keeps the result for a caller still waiting on a sync answer.
    private mutating func owe(_ running: RunningOperation, _ result: FinishedOperation.Result) {
        guard !running.answeredAtOnce else { return }
        state.finished.append(FinishedOperation(ticket: running.ticket, outcome: running.outcome, result: result))
        if state.finished.count > FinishedOperation.kept { state.finished.removeFirst(state.finished.count - FinishedOperation.kept) }
    }

    /// Ends the running operation because a cancel request arrived.
    mutating func cancelRunning(at now: Date) -> Bool {
        guard let running = state.running else { return false }
        switch running.work {
        case .payment(let syssn):
            if let entry = state.ledger.closeUnpaid(syssn: syssn, reason: LedgerEntry.cancelledByRequest, at: now) {
                events.append(.paymentFinished(entry))
            }
            events.append(.cancelled(what: "payment \(syssn)"))
        case .refund(let orderId, _, _):
            events.append(.cancelled(what: "refund of \(orderId)"))
        }
        state.running = nil
        owe(running, .cancelledByRequest)
        return true
    }

    mutating func startOperation(_ work: RunningOperation.Work, outcome: Outcome, at now: Date, answeredAtOnce: Bool) -> Int {
        state.lastTicket += 1
        let doneAt = outcome.delayFactor.map { now.addingTimeInterval(max(0, settings.customerDelay) * $0) }
        state.running = RunningOperation(ticket: state.lastTicket, work: work, outcome: outcome, startedAt: now,
                                         customerDoneAt: doneAt, answeredAtOnce: answeredAtOnce)
        return state.lastTicket
    }

    /// 1143 while the customer is within the usual time, 1145 once it runs long; 1143 forever for one who never pays.
    func payingStatus(of syssn: String, at now: Date) -> String {
        guard let running = state.running, case .payment(let s) = running.work, s == syssn else {
            return TransactionStatus.processing.code
        }
        if running.outcome == .neverPays { return TransactionStatus.enteringPassword.code }
        let usual = running.startedAt.addingTimeInterval(max(0, settings.customerDelay))
        return now < usual ? TransactionStatus.enteringPassword.code : TransactionStatus.processing.code
    }

    func statusCode(of entry: LedgerEntry, at now: Date) -> String {
        entry.finalStatusCode ?? payingStatus(of: entry.syssn, at: now)
    }
}
