import Foundation
import ECRProtocol
import ECRTransport

extension PaymentEngine {
    /// On start: every attempt the journal shows unfinished polls again (or, if it was never sent,
    /// ends as not sent). Returns the attempts as they stand after resuming.
    @discardableResult
    public func resumePending() -> [PaymentAttempt] {
        let now = clock.moment
        var resumed: [PaymentAttempt] = []
        for attempt in unfinishedSorted where machines[attempt.outTradeNo] == nil {
            let (machine, effects) = PaymentStateMachine.resume(attempt, timing: timing, at: now)
            machines[attempt.outTradeNo] = machine
            note("resuming \(attempt.outTradeNo) (\(attempt.state.rawValue))")
            perform(effects, for: attempt.outTradeNo)
            resumed.append(attemptsByID[attempt.outTradeNo]!)
        }
        if let first = resumed.first { focus = first.outTradeNo }
        return resumed
    }

    /// "Query again" on an unresolved attempt: polls once more with a fresh deadline and returns when
    /// final or unresolved again.
    public func resolveAgain(_ outTradeNo: String) async throws(EngineRefusal) -> PaymentAttempt {
        let started = try beginResolveAgain(outTradeNo)
        return await outcome(of: started.outTradeNo) ?? started
    }

    public func beginResolveAgain(_ outTradeNo: String) throws(EngineRefusal) -> PaymentAttempt {
        guard let attempt = attemptsByID[outTradeNo] else { throw .unknownOutTradeNo(outTradeNo) }
        try requireHere(attempt)
        guard attempt.state == .unresolved else { throw .notUnresolved(outTradeNo: outTradeNo, state: attempt.state) }
        if let directOperation { throw .terminalBusy(directOperation) }
        let now = clock.moment
        let effects: [PaymentStateMachine.Effect]
        if var machine = machines[outTradeNo], machine.canResolveAgain {
            effects = machine.resolveAgain(at: now)
            machines[outTradeNo] = machine
        } else {
            // Known only from the journal: resuming it is asking again.
            let (machine, resumed) = PaymentStateMachine.resume(attempt, timing: timing, at: now)
            machines[outTradeNo] = machine
            effects = resumed
        }
        focus = outTradeNo
        perform(effects, for: outTradeNo)
        return attemptsByID[outTradeNo]!
    }

    /// A person found out what happened to an unresolved attempt (merchant portal, terminal screen)
    /// and records it, so the till can take the next sale.
    @discardableResult
    public func settleByHand(_ outTradeNo: String, paid: Bool, note: String) throws(EngineRefusal) -> PaymentAttempt {
        guard let attempt = attemptsByID[outTradeNo] else { throw .unknownOutTradeNo(outTradeNo) }
        guard attempt.state == .unresolved else { throw .notUnresolved(outTradeNo: outTradeNo, state: attempt.state) }
        var machine = machines[outTradeNo] ?? PaymentStateMachine.adopt(attempt, timing: timing)
        let effects = machine.settleByHand(paid: paid, note: note, at: clock.moment)
        machines[outTradeNo] = machine
        perform(effects, for: outTradeNo)
        return attemptsByID[outTradeNo]!
    }

    /// A payment notification (already verified by its receiver) for `outTradeNo`: a conclusive result
    /// settles the attempt without waiting for the next poll; anything else makes it ask now.
    /// Refund notifications are matched by `orig_syssn` when the out_trade_no is not this till's.
    public func notificationReceived(outTradeNo: String, record: TransactionRecord) {
        // A refund notification may carry the sale's own out_trade_no: it must never settle the sale.
        let notifiedKind: AttemptKind = ["refund", "cancel"].contains(record.text("notify_type") ?? "") || record.origSyssn != nil
            ? .refund : .payment
        if let named = attemptsByID[outTradeNo], named.kind != notifiedKind {
            note("\(notifiedKind.rawValue) notification names \(outTradeNo), a \(named.kind.rawValue); ignored")
            return
        }
        let id: String? = machines[outTradeNo] != nil ? outTradeNo : machines.first(where: { _, machine in
            machine.attempt.kind == .refund && record.origSyssn != nil && machine.attempt.refund?.originalSyssn == record.origSyssn
        })?.key
        if let id, var machine = machines[id] {
            note("notification for \(outTradeNo)")
            let effects = machine.externalResult(record, source: .notification, at: clock.moment)
            machines[id] = machine
            perform(effects, for: id)
            return
        }
        // An unfinished attempt known only from the journal: a conclusive notification settles it.
        if let attempt = attemptsByID[outTradeNo], !attempt.state.isFinal {
            var machine = PaymentStateMachine.adopt(attempt, timing: timing)
            let effects = machine.externalResult(record, source: .notification, at: clock.moment)
            note("notification for \(outTradeNo)")
            if effects.contains(where: { !$0.isNote }) { machines[outTradeNo] = machine }
            perform(effects, for: outTradeNo)
            return
        }
        note("notification for \(outTradeNo) matches nothing unfinished; ignored")
    }
}
