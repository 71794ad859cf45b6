import Foundation
import ECRProtocol
import ECRTransport

/// What the console and the commands see of the engine, published after every change. Equal
/// snapshots show the same till, so a view redraws only when one differs; `revision` grows with
/// every change the engine publishes.
public struct EngineSnapshot: Sendable, Equatable {
    public var revision: Int = 0
    /// The attempt the cashier is looking at: the one in progress, else the last one that changed.
    public var current: PaymentAttempt?
    /// Every attempt at this terminal not final yet (normally none or one); while any exists, new sales are refused.
    public var pending: [PaymentAttempt]
    /// Damaged journal lines, fixed permissions, failed journal writes.
    public var problems: [JournalProblem]
    /// The latest exchanges with the terminal and notes, oldest first, for the log pane.
    public var log: [WireLogEntry]
    /// Where the terminal is, e.g. `HTTPS 192.168.1.50:9001`.
    public var endpoint: String
    /// Attempts not final that belong to other terminals sharing the journal: they neither block this
    /// terminal nor are settled by it; the cashier resolves each at its own terminal.
    public var elsewhere: [PaymentAttempt] = []
    /// A query, print or summary the cashier asked for, while it is on the wire.
    public var direct: ECRProtocol.Operation?
    /// Whether the terminal answered lately, and how the last request that got no answer failed.
    public var link = LinkHealth()
    /// Results of queries, prints and refusals, newest last (a few): for every subscriber, not only
    /// the caller that asked.
    public var results: [EngineResult] = []
    /// The journal holds history older than what the engine has read (`readOlderHistory()`).
    public var hasOlderHistory = false

    public init(revision: Int = 0, current: PaymentAttempt?, pending: [PaymentAttempt], problems: [JournalProblem],
                log: [WireLogEntry], endpoint: String, elsewhere: [PaymentAttempt] = [], direct: ECRProtocol.Operation? = nil,
                link: LinkHealth = LinkHealth(), results: [EngineResult] = [], hasOlderHistory: Bool = false) {
        self.revision = revision
        self.current = current
        self.pending = pending
        self.problems = problems
        self.log = log
        self.endpoint = endpoint
        self.elsewhere = elsewhere
        self.direct = direct
        self.link = link
        self.results = results
        self.hasOlderHistory = hasOlderHistory
    }

    /// The attempts at this terminal that stay unknown until resolved (query again, cancel, by hand).
    public var unresolved: [PaymentAttempt] { pending.filter { $0.state == .unresolved } }

    /// Requests on the wire now, e.g. an inquiry and a cancel beside a payment.
    public var onTheWire: [ECRProtocol.Operation] {
        log.filter { $0.kind == .exchange && !$0.finished }.compactMap(\.operation)
    }

    /// The engine is working: an attempt is being sent or polled, or a query, print or cancel is out.
    public var busy: Bool { direct != nil || pending.contains { $0.state.isActive } || !onTheWire.isEmpty }
}

/// How the link to the terminal is doing, from the answers and failures of the latest requests.
public struct LinkHealth: Sendable, Hashable {
    public var lastSuccess: Date?
    public var lastFailure: Date?
    public var lastFailureKind: TransportFailure.Certainty?
    public var lastFailureDetail: String?
    /// What went wrong the last time (a TLS refusal is not the terminal being away).
    public var lastFailureReason: FailureKind?
    /// The newest request that ended got no answer.
    public var failing = false

    public init() {}
}

/// A query's, print's or summary's answer, or a refusal, as every subscriber sees it.
public struct EngineResult: Sendable, Equatable, Identifiable {
    public enum Outcome: Sendable, Equatable {
        case answered(TerminalAnswer)
        case refused(EngineRefusal)
    }

    public let id: Int
    public let at: Date
    /// What was asked, e.g. `query`, `print`, `payment`.
    public let asked: String
    public let outcome: Outcome
}

/// The terminal's answer to a request the engine sent on the cashier's behalf (query, print).
public struct TerminalAnswer: Sendable, Equatable {
    public let request: ECRRequest
    public let response: ECRResponse?
    public let failure: TransportFailure?
    /// For a query of one of this till's attempts: the attempt after the answer was applied to it.
    public let attempt: PaymentAttempt?

    /// The terminal accepted the request (outer 6000).
    public var succeeded: Bool { response?.outer == .accepted }

    /// The transaction the terminal described, for a query.
    public var record: TransactionRecord? { response?.data }

    /// What happened, for the cashier.
    public var message: String { OutcomeText.render(self, language: .english) }
}
