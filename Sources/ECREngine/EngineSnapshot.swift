import Foundation
import ECRProtocol
import ECRTransport

/// What the console and the commands see of the engine, published after every change.
public struct EngineSnapshot: Sendable {
    /// The attempt the cashier is looking at: the one in progress, else the last one that changed.
    public var current: PaymentAttempt?
    /// Every attempt at this terminal not final yet (normally none or one); while any exists, new sales are refused.
    public var pending: [PaymentAttempt]
    /// Damaged journal lines, fixed permissions, failed journal writes.
    public var problems: [JournalProblem]
    /// The latest requests and answers, oldest first, for the log pane.
    public var activity: [ActivityLine]
    /// Where the terminal is, e.g. `HTTPS 192.168.1.50:9001`.
    public var endpoint: String
    /// Attempts not final that belong to other terminals sharing the journal: they neither block this
    /// terminal nor are settled by it; the cashier resolves each at its own terminal.
    public var elsewhere: [PaymentAttempt] = []
}

/// One line of the log pane: a request sent, an answer received, or a note.
public struct ActivityLine: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable {
        case sent = "→"
        case received = "←"
        case note = "·"
    }

    public let at: Date
    public let direction: Direction
    public let text: String

    public init(at: Date, direction: Direction, text: String) {
        self.at = at
        self.direction = direction
        self.text = text
    }
}

/// The terminal's answer to a request the engine sent on the cashier's behalf (query, print).
public struct TerminalAnswer: Sendable {
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

enum ActivityText {
    static func describe(_ request: ECRRequest) -> String { request.summary }

    static func describe(_ result: Result<ECRResponse, TransportFailure>) -> String {
        switch result {
        case .failure(let failure):
            return "\(failure.certainty == .notSent ? "not sent" : "no answer"): \(failure.message)"
        case .success(let response):
            if let status = response.data?.status, response.outer == .accepted {
                return "\(response.outer.code)/\(status.code) \(status.meaning.english)"
            }
            return "\(response.outer.code) \(response.meaning())"
        }
    }
}
