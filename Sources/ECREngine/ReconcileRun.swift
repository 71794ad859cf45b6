import ECRProtocol
import ECRTransport
import Foundation

/// How reconcile asks the terminal about one attempt: straight over the profile's transport
/// (`qfecr reconcile`), or through the running engine (the console).
public protocol ReconcileInquiry: Sendable {
    func ask(_ key: InquiryKey) async -> Result<ECRResponse, TransportFailure>
}

/// Asks the terminal about each attempt in turn, at most one request every `interval`, and holds
/// each answer against the journal (`Reconciliation.compare`). Once nothing can reach the terminal
/// the rest are not asked. A cancelled task stops asking and returns what was found so far.
public struct ReconcileRun: Sendable {
    /// Where a run is: the attempt being asked about (1-based `position` of `total`) and the findings so far.
    public struct Progress: Sendable {
        public let position: Int
        public let total: Int
        public let attempt: PaymentAttempt
        public let findings: [ReconcileFinding]
    }

    public let inquiry: any ReconcileInquiry
    /// The whole journal: refunds of a sale may be on other days than the sale.
    public let journal: [PaymentAttempt]
    public let overCloud: Bool
    public let interval: Duration
    public let clock: any EngineClock
    /// For an attempt bound to another terminal: whose it is and how to reach it there; nil: ask it here.
    public let elsewhere: @Sendable (PaymentAttempt) -> ReconcileFinding.OtherTerminal?

    public init(inquiry: any ReconcileInquiry, journal: [PaymentAttempt], overCloud: Bool, interval: Duration,
                clock: any EngineClock = TillClock(), elsewhere: @escaping @Sendable (PaymentAttempt) -> ReconcileFinding.OtherTerminal?) {
        self.inquiry = inquiry
        self.journal = journal
        self.overCloud = overCloud
        self.interval = interval
        self.clock = clock
        self.elsewhere = elsewhere
    }

    public func findings(for attempts: [PaymentAttempt], progress: (Progress) -> Void = { _ in }) async -> [ReconcileFinding] {
        var findings: [ReconcileFinding] = []
        var unreachable: TransportFailure?
        var lastStart: EngineInstant?
        for (index, attempt) in attempts.enumerated() {
            if Task.isCancelled { break }
            progress(Progress(position: index + 1, total: attempts.count, attempt: attempt, findings: findings))
            if let other = elsewhere(attempt) {
                findings.append(ReconcileFinding(attempt: attempt, terminalState: "not asked", verdict: .skipped, reason: .otherTerminal(other)))
                continue
            }
            guard let key = Reconciliation.question(for: attempt, overCloud: overCloud) else {
                findings.append(ReconcileFinding(attempt: attempt, terminalState: "not asked", verdict: .skipped,
                                                 reason: .unidentifiable))
                continue
            }
            if let unreachable {
                findings.append(ReconcileFinding(attempt: attempt, terminalState: "not asked", verdict: .unreachable,
                                                 reason: .notAskedUnreachable(unreachable)))
                continue
            }
            if let lastStart {
                do { try await clock.sleep(until: lastStart.advanced(by: interval)) } catch { break }
            }
            lastStart = clock.instant
            switch await inquiry.ask(key) {
            case .failure(let failure):
                findings.append(ReconcileFinding(attempt: attempt, terminalState: "no answer", verdict: .unreachable,
                                                 reason: .noAnswer(failure)))
                // Nothing reached the terminal: the rest would fail the same way.
                if failure.certainty == .notSent { unreachable = failure }
            case .success(let response):
                let sale = attempt.kind == .payment ? attempt.syssn : attempt.refund?.originalSyssn
                let refunded = sale.flatMap { Reconciliation.refundedInJournal(sale: $0, attempts: journal) }
                findings.append(Reconciliation.compare(attempt, answer: response, journalRefunded: refunded, overCloud: overCloud))
            }
        }
        return findings
    }
}
