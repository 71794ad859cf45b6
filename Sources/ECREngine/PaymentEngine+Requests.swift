import Foundation
import ECRProtocol
import ECRTransport

/// Requests the cashier makes that are not payments: they never touch an attempt's journal record,
/// except when a query settles an unfinished attempt.
extension PaymentEngine {
    /// Inquiry by syssn or out_trade_no. When it names one of this till's unfinished attempts and the
    /// answer is conclusive, the attempt is settled by it. An attempt of another terminal is not asked
    /// about here: this terminal's answer would say nothing about it.
    public func query(_ key: InquiryKey) async throws(EngineRefusal) -> TerminalAnswer {
        if case .outTradeNo(let id) = key, let known = attempt(id) {
            do { try requireHere(known) } catch { throw refused(error, asked: "query") }
        }
        let request = ECRRequest.inquiry(key)
        let answer = try await sendDirect(request)
        var attempt: PaymentAttempt?
        if case .outTradeNo(let id) = key {
            attempt = self.attempt(id)
            if let record = answer.response?.data, answer.succeeded, record.outTradeNo == nil || record.outTradeNo == id,
               let known = attempt, !known.state.isFinal {
                let driven = machines[id] != nil
                var machine = machines[id] ?? PaymentStateMachine.adopt(known, timing: timing)
                let effects = machine.externalResult(record, source: .query, at: clock.moment)
                // A machine taken from the journal is kept only when the answer acted on it.
                if driven || effects.contains(where: { !$0.isNote }) { machines[id] = machine }
                perform(effects, for: id)
                attempt = attemptsByID[id]
            }
        } else if case .orderId(let syssn) = key {
            attempt = order.reversed().lazy.compactMap { self.attemptsByID[$0] }.first { $0.syssn == syssn }
                ?? (try? journal.reading.attempt(syssn: syssn)).flatMap { $0 }.map(bound)
        }
        let result = TerminalAnswer(request: request, response: answer.response, failure: answer.failure, attempt: attempt)
        record(.answered(result), asked: "query")
        return result
    }

    public func printReceipt(orderId: String) async throws(EngineRefusal) -> TerminalAnswer {
        let answer = try await sendDirect(.printReceipt(orderId: orderId))
        record(.answered(answer), asked: "print")
        return answer
    }

    public func printSummary() async throws(EngineRefusal) -> TerminalAnswer {
        let answer = try await sendDirect(.printSummary)
        record(.answered(answer), asked: "summary")
        return answer
    }

    /// `announced`: a refusal is kept for every subscriber (reconcile's questions answer their own caller only).
    func sendDirect(_ request: ECRRequest, announced: Bool = true) async throws(EngineRefusal) -> TerminalAnswer {
        let asked = request.operation.displayName
        func refusing(_ refusal: EngineRefusal) -> EngineRefusal { announced ? refused(refusal, asked: asked) : refusal }
        do { try request.validate() } catch { throw refusing(.invalidRequest(error)) }
        // Only an attempt the engine is working on has requests on the wire; one known only from the
        // journal (not resumed yet) does not block a query that may settle it.
        if let active = unfinishedSorted.first(where: { $0.state.isActive && machines[$0.outTradeNo] != nil }) {
            throw refusing(.busy(outTradeNo: active.outTradeNo, state: active.state))
        }
        if let directOperation { throw refusing(.terminalBusy(directOperation)) }
        directOperation = request.operation
        defer { directOperation = nil }
        let entry = wireLog.begin(request, at: clock.now)
        publish()
        let result = await transport.perform(request, forLogEntry: entry)
        finishExchange(entry, result)
        publish()
        switch result {
        case .success(let response): return TerminalAnswer(request: request, response: response, failure: nil, attempt: nil)
        case .failure(let failure): return TerminalAnswer(request: request, response: nil, failure: failure, attempt: nil)
        }
    }
}
