import Foundation
import ECRProtocol
import ECRTransport

extension PaymentEngine {
    /// Registers a new attempt and performs its first effects. The first effect is always the
    /// `created` journal record: if it cannot be written, nothing is registered and nothing is sent.
    func launch(_ machine: PaymentStateMachine, _ effects: [PaymentStateMachine.Effect]) throws(EngineRefusal) -> PaymentAttempt {
        guard case .journal(let created)? = effects.first else {
            preconditionFailure("PaymentEngine: a new attempt must be journaled before anything else")
        }
        do {
            try journal.append(created, at: clock.now)
        } catch {
            throw .journalUnavailable(error.message)
        }
        let id = created.outTradeNo
        machines[id] = machine
        attemptsByID[id] = created
        order.append(id)
        unfinished.insert(id)
        focus = id
        perform(Array(effects.dropFirst()), for: id)
        return attemptsByID[id]!
    }

    /// Performs effects in order. A journal write that fails stops any later request that could move
    /// money (the machine hears it as "not sent"); inquiries and cancels still go out.
    func perform(_ effects: [PaymentStateMachine.Effect], for id: String) {
        var journalFailed = false
        var notSent: [PaymentStateMachine.RequestID] = []
        for effect in effects {
            switch effect {
            case .journal(let attempt):
                attemptsByID[id] = attempt
                do {
                    try journal.append(attempt, at: clock.now)
                    unrecorded.remove(id)
                } catch {
                    journalFailed = true
                    unrecorded.insert(id)
                    runtimeProblems.append(JournalProblem(line: nil, reason: "could not record \(id) as \(attempt.state.rawValue): \(error.message)"))
                    note("journal write failed: \(error.message)")
                }
            case .send(let outgoing):
                if stopped { continue }
                if journalFailed && outgoing.purpose.movesMoney {
                    notSent.append(outgoing.id)
                } else {
                    spawnRequest(outgoing, for: id)
                }
            case .schedulePoll(let token, let at):
                if stopped { continue }
                spawnTimer(token: token, at: at, for: id)
            case .note(let text):
                note(text)
            }
        }
        settle(id)
        for request in notSent {
            handle(.failure(.notSent("the journal could not be written, so it was not sent")), to: request, for: id)
        }
    }

    private func spawnRequest(_ outgoing: PaymentStateMachine.Outgoing, for id: String) {
        liveTasks += 1
        let entry = wireLog.begin(outgoing.request, at: clock.now)
        let transport = self.transport
        track { key in
            let result = await transport.perform(outgoing.request, forLogEntry: entry)
            await self.requestFinished(outgoing.id, result, entry: entry, task: key, for: id)
        }
    }

    private func spawnTimer(token: Int, at instant: EngineInstant, for id: String) {
        liveTasks += 1
        let clock = self.clock
        track { key in
            try? await clock.sleep(until: instant)
            await self.timerFired(token: token, task: key, for: id)
        }
    }

    /// Runs `work` as a task `shutdown()` can cancel; `work` gets the key it is tracked under.
    private func track(_ work: @escaping @Sendable (Int) async -> Void) {
        nextTask += 1
        let key = nextTask
        tasks[key] = Task { await work(key) }
    }

    private func requestFinished(_ request: PaymentStateMachine.RequestID, _ result: Result<ECRResponse, TransportFailure>,
                                 entry: Int, task: Int, for id: String) {
        liveTasks -= 1
        tasks[task] = nil
        finishExchange(entry, result)
        guard !stopped else { return }
        handle(result, to: request, for: id)
    }

    private func handle(_ result: Result<ECRResponse, TransportFailure>, to request: PaymentStateMachine.RequestID, for id: String) {
        // A machine that reached a final outcome is gone; its late answers change nothing.
        guard var machine = machines[id] else { publish(); return }
        let effects = machine.answered(request, with: result, at: clock.moment)
        machines[id] = machine
        perform(effects, for: id)
    }

    private func timerFired(token: Int, task: Int, for id: String) {
        liveTasks -= 1
        tasks[task] = nil
        guard !stopped, var machine = machines[id] else { return }
        let effects = machine.pollDue(token: token, at: clock.moment)
        machines[id] = machine
        perform(effects, for: id)
    }

    /// Brings the attempt's snapshot up to date, retires a finished machine, wakes whoever waits for
    /// an outcome, and publishes.
    func settle(_ id: String) {
        if let machine = machines[id] {
            attemptsByID[id] = machine.attempt
            if machine.isFinal { machines[id] = nil }
        }
        if let attempt = attemptsByID[id] {
            if attempt.state.isFinal { unfinished.remove(id) } else { unfinished.insert(id) }
            if !attempt.state.isActive, let waiting = waiters.removeValue(forKey: id) {
                for continuation in waiting { continuation.resume(returning: attempt) }
            }
        }
        publish()
    }

    /// True when every task the engine spawned is asleep (`asleep` counts the sleepers on a test
    /// clock): nothing will happen until the test moves time. Checked inside the actor, so no
    /// result can be delivered meanwhile.
    func isQuiescent(asleep: @Sendable () -> Int) -> Bool {
        liveTasks == asleep()
    }

    func note(_ text: String) {
        wireLog.note(text, at: clock.now)
    }

    /// Closes the exchange's log entry and updates the link's health from how it ended.
    func finishExchange(_ entry: Int, _ result: Result<ECRResponse, TransportFailure>) {
        wireLog.finish(entry, result, at: clock.now)
        switch result {
        case .success:
            link.lastSuccess = clock.now
            link.failing = false
        case .failure(let failure):
            link.failing = true
            link.lastFailure = clock.now
            link.lastFailureKind = failure.certainty
            link.lastFailureDetail = failure.message
            link.lastFailureReason = failure.kind
        }
    }

    func publish() {
        revision += 1
        guard !subscribers.isEmpty else { return }
        let current = snapshot
        for continuation in subscribers.values { continuation.yield(current) }
    }
}
