import Foundation
import ECRProtocol
import ECRTransport

/// Reconciling from a running till (the console): the questions go through the engine, which owns
/// the transport and the journal, and an adoption is journaled by it.
extension PaymentEngine {
    /// One question of a reconciliation, sent like a query (in the wire log; refused while a sale or
    /// another request is on its way) but changing nothing: no attempt is settled by its answer and
    /// no subscriber is told (the reconcile view shows the answers).
    public func reconcileInquiry(_ key: InquiryKey) async throws(EngineRefusal) -> Result<ECRResponse, TransportFailure> {
        let answer = try await sendDirect(.inquiry(key), announced: false)
        // The terminal is free again: say so (a query says it with its result).
        publish()
        if let response = answer.response { return .success(response) }
        return .failure(answer.failure ?? .unknown("the terminal's answer was lost"))
    }

    /// What a reconciliation of `[start, end)` asks about, read from the journal (the screen may hold
    /// only the newest days): the attempts of the range, and with them every refund of their sales,
    /// whatever its day (what the journal refunded of a sale counts them all). What this run knows of an
    /// attempt (one whose journal line could not be written) wins over the journal's line.
    public func reconcileAttempts(from start: Date, to end: Date) async throws(JournalError) -> (inRange: [PaymentAttempt], journal: [PaymentAttempt]) {
        let reading = journal.reading
        let read = await Task.detached { () -> Result<[PaymentAttempt], JournalError> in
            do throws(JournalError) {
                return .success(try reading.withRefunds(try reading.attempts(createdFrom: start, to: end)))
            } catch {
                return .failure(error)
            }
        }.value
        var found: [PaymentAttempt]
        switch read {
        case .success(let attempts): found = attempts.map { attemptsByID[$0.outTradeNo] ?? bound($0) }
        case .failure(let error): throw error
        }
        let ids = Set(found.map(\.outTradeNo))
        found += attempts.filter { !ids.contains($0.outTradeNo) && $0.createdAt >= start && $0.createdAt < end }
        return (found.filter { $0.createdAt >= start && $0.createdAt < end }, found)
    }

    /// Records a payment the journal missed as approved, from the terminal's record of it: the same
    /// journal step as `qfecr reconcile --adopt` (`Reconciliation.adopted` checks the record proves it).
    /// Refused for an attempt the engine is still working on, or one of another terminal.
    public func adoptFromReconcile(_ outTradeNo: String, record: TransactionRecord) throws(AdoptionRefusal) -> PaymentAttempt {
        // Read from the journal when the screen has not loaded its day.
        guard let attempt = attempt(outTradeNo) else {
            throw .notInJournal(outTradeNo: outTradeNo)
        }
        do { try requireHere(attempt) } catch { throw .refused(error) }
        if attempt.state.isActive, machines[outTradeNo] != nil {
            throw .stillActive(outTradeNo: outTradeNo, state: attempt.state)
        }
        let now = clock.now
        let adopted = try Reconciliation.adopted(attempt, record: record, at: now)
        do { try journal.append(adopted, at: now) } catch {
            throw .journalUnwritable(outTradeNo: outTradeNo, detail: error.message)
        }
        machines[outTradeNo] = nil
        // An attempt of a day not loaded stays unloaded: scrolling there reads the adopted line.
        if attemptsByID[outTradeNo] != nil { attemptsByID[outTradeNo] = adopted }
        unrecorded.remove(outTradeNo)
        focus = outTradeNo
        note("adopted \(outTradeNo) from reconcile: approved, syssn \(adopted.syssn ?? "?")")
        settle(outTradeNo)
        return adopted
    }
}

/// The engine as reconcile's way of asking: a refusal (a sale started meanwhile) reads as not sent.
public struct EngineReconcileInquiry: ReconcileInquiry {
    public let engine: PaymentEngine

    public init(engine: PaymentEngine) { self.engine = engine }

    public func ask(_ key: InquiryKey) async -> Result<ECRResponse, TransportFailure> {
        do throws(EngineRefusal) { return try await engine.reconcileInquiry(key) } catch {
            return .failure(.notSent("Not sent: \(error.description)", kind: .busy))
        }
    }
}
