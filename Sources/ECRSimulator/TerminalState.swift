import ECRProtocol
import Foundation

/// Everything the terminal must remember across a restart: the books, the operation the customer is
/// still busy with, and how far the scenario has got. Saved whole after every change.
public struct TerminalState: Codable, Sendable, Hashable {
    public internal(set) var ledger = MerchantLedger()
    var running: RunningOperation?
    /// Results owed to callers waiting on a sync answer; a few, newest last.
    var finished: [FinishedOperation] = []
    /// Trades started so far: the position in the scenario.
    var tradesStarted = 0
    var lastTicket = 0

    public init() {}

    /// Whether a payment or refund is in progress.
    public var isBusy: Bool { running != nil }
}

/// The payment or refund the terminal is busy with.
struct RunningOperation: Codable, Sendable, Hashable {
    enum Work: Codable, Sendable, Hashable {
        case payment(syssn: String)
        case refund(orderId: String, amount: Amount?, outTradeNo: String?)
    }

    let ticket: Int
    let work: Work
    let outcome: Outcome
    let startedAt: Date
    /// When the customer finishes; nil: never (only a cancel request ends it).
    let customerDoneAt: Date?
    /// Ack answers are sent at once: no sync answer is owed at the end.
    let answeredAtOnce: Bool
}

/// How an operation ended, kept until its waiting caller collects the answer.
struct FinishedOperation: Codable, Sendable, Hashable {
    enum Result: Codable, Sendable, Hashable {
        /// The payment's entry holds the result (approved, declined, or not paid by the customer).
        case payment(syssn: String)
        case refund(syssn: String)
        case refundRefused(code: String, message: String, orderId: String)
        case cancelledByRequest
    }

    let ticket: Int
    let outcome: Outcome
    let result: Result

    static let kept = 8
}

/// Something that happened on the terminal without a request asking for it: the customer finished.
public enum TerminalEvent: Sendable, Hashable {
    case paymentFinished(LedgerEntry)
    case refundFinished(refund: LedgerEntry, payment: LedgerEntry)
    case refundRefused(orderId: String, refusal: LedgerRefusal)
    case cancelled(what: String)
}
