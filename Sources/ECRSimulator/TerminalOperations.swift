import ECRProtocol
import Foundation

/// What the terminal does for each operation once the request is admitted.
extension VirtualTerminal {
    static let busyResponse = ECRResponse(
        outer: .requestError, respmsg: "terminal is busy",
        resperr: "another payment or refund is in progress on the terminal: wait for it to finish, or send a cancel request (5001)")

    /// `answerAtOnce`: answer a trade or refund with 6000 and no result (ack mode, and the cloud).
    mutating func perform(_ request: ECRRequest, at now: Date, answerAtOnce: Bool) -> Performed {
        advance(to: now)
        switch request {
        case .inquiry, .cancelRequest: break
        default:
            guard !state.isBusy else { return .done(Self.busyResponse, .normal, nil) }
        }
        switch request {
        case .inquiry(let key):
            return .done(inquiry(key, at: now), .normal, nil)
        case .cancelRequest:
            let cancelled = cancelRunning(at: now)
            return .done(ECRResponse(outer: .accepted,
                                     respmsg: cancelled ? "the request in progress was cancelled" : "no request in progress"),
                         .normal, nil)
        case .payment(let payment):
            return startPayment(payment, at: now, answerAtOnce: answerAtOnce)
        case .refund(let refund):
            return startRefund(refund, outTradeNo: nil, at: now, answerAtOnce: answerAtOnce)
        case .printReceipt(let orderId):
            guard let entry = state.ledger.entry(orderId: orderId) else {
                return .done(Self.notFound(orderId, field: "orderId"), .normal, nil)
            }
            let printout = Printout.receipt(for: entry, ledger: state.ledger, settings: settings, printedAt: now)
            return .done(printed("receipt printed", syssn: entry.syssn), .normal, printout)
        case .printSummary:
            let printout = Printout.daySummary(ledger: state.ledger, settings: settings, at: now)
            return .done(printed("summary printed", syssn: nil), .normal, printout)
        }
    }

    static func payType(for payment: PaymentRequest) -> String {
        // SCAN_PAY: the terminal scans the customer's code (CPM); QRCODE_PAY: it shows one (MPM).
        let types = payment.channel.payTypes
        return payment.scanType == .qrCodePay ? types.last! : types.first!
    }

    mutating func startPayment(_ payment: PaymentRequest, at now: Date, answerAtOnce: Bool) -> Performed {
        let entry: LedgerEntry
        do throws(LedgerRefusal) {
            entry = try state.ledger.openPayment(amount: payment.amount, channel: payment.channel,
                                                 payType: Self.payType(for: payment), outTradeNo: payment.outTradeNo, at: now)
        } catch {
            return .done(refused(error, extra: [("out_trade_no", .string(payment.outTradeNo)),
                                                ("txamt", .string(String(payment.amount.cents)))]), .normal, nil)
        }
        let outcome = settings.scenario?.outcome(for: payment.amount, position: state.tradesStarted)
            ?? Outcome.forAmount(payment.amount)
        state.tradesStarted += 1
        let early = answerAtOnce || outcome == .acknowledgeOnly
        let ticket = startOperation(.payment(syssn: entry.syssn), outcome: outcome, at: now, answeredAtOnce: early)
        if early {
            return .done(Self.acknowledged, Self.fate(of: outcome), nil)
        }
        return waitingOrDone(ticket, at: now)
    }

    /// Refunds are checked at once (a refusal needs no customer), then take the customer delay:
    /// the merchant confirms on the terminal.
    mutating func startRefund(_ refund: RefundRequest, outTradeNo: String?, at now: Date, answerAtOnce: Bool) -> Performed {
        do throws(LedgerRefusal) {
            _ = try state.ledger.checkRefund(orderId: refund.orderId, amount: refund.refundAmount, at: now)
            if let outTradeNo, state.ledger.entry(outTradeNo: outTradeNo) != nil {
                throw LedgerRefusal.duplicateOutTradeNo(outTradeNo)
            }
        } catch {
            return .done(refused(error, extra: [("orig_syssn", .string(refund.orderId))]), .normal, nil)
        }
        let ticket = startOperation(.refund(orderId: refund.orderId, amount: refund.refundAmount, outTradeNo: outTradeNo),
                                    outcome: .approve, at: now, answeredAtOnce: answerAtOnce)
        if answerAtOnce { return .done(Self.acknowledged, .normal, nil) }
        return waitingOrDone(ticket, at: now)
    }

    /// With no customer delay the work is already done: answer in the same call.
    private mutating func waitingOrDone(_ ticket: Int, at now: Date) -> Performed {
        advance(to: now)
        if let running = state.running, running.ticket == ticket {
            return .waiting(ticket: ticket, until: running.customerDoneAt)
        }
        return .waiting(ticket: ticket, until: now)
    }

    static let acknowledged = ECRResponse(outer: .accepted, respmsg: "request accepted: ask by inquiry (4001) for the result")

    func inquiry(_ key: InquiryKey, at now: Date) -> ECRResponse {
        let found: LedgerEntry?
        let id: String
        let field: String
        switch key {
        case .orderId(let o): (found, id, field) = (state.ledger.entry(orderId: o), o, "orderId")
        case .outTradeNo(let o): (found, id, field) = (state.ledger.entry(outTradeNo: o), o, "out_trade_no")
        }
        guard let entry = found else { return Self.notFound(id, field: field) }
        let record = TerminalRecords.inquiry(entry, status: statusCode(of: entry, at: now), ledger: state.ledger,
                                             settings: settings, now: now)
        return ECRResponse(outer: .accepted, respmsg: "query success", data: TransactionRecord(fields: record))
    }

    static func notFound(_ id: String, field: String) -> ECRResponse {
        let record = TerminalRecords.failure(code: TransactionStatus.orderNotFound.code,
                                             reason: "no transaction with \(field) \(id)",
                                             extra: [(field == "out_trade_no" ? "out_trade_no" : "orderId", .string(id))])
        return ECRResponse(outer: .accepted, respmsg: "query success", data: TransactionRecord(fields: record))
    }

    private func refused(_ refusal: LedgerRefusal, extra: [(String, JSONValue)]) -> ECRResponse {
        ECRResponse(outer: .accepted, respmsg: "request refused",
                    data: TransactionRecord(fields: TerminalRecords.failure(code: refusal.code, reason: refusal.description,
                                                                            extra: extra)))
    }

    private func printed(_ message: String, syssn: String?) -> ECRResponse {
        var record = TerminalRecords.failure(code: TransactionStatus.success.code, reason: "")
        record["respmsg"] = .string(message)
        if let syssn { record["syssn"] = .string(syssn) }
        return ECRResponse(outer: .accepted, respmsg: message, data: TransactionRecord(fields: record))
    }
}
