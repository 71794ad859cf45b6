import ECRProtocol

/// What the virtual customer (and the network) does with one trade.
public enum Outcome: Codable, Sendable, Hashable {
    /// Paid after the customer delay.
    case approve
    /// Declined with this data.respcd after the customer delay.
    case decline(code: String)
    /// The customer presses cancel: outer 6001, and inquiry then says not paid.
    case customerCancels
    /// The customer walks away: the trade stays open (inquiry 1143) until a cancel request arrives.
    case neverPays
    /// Paid, but the connection drops before the answer: only an inquiry finds the payment.
    case dropConnection
    /// Paid after three times the customer delay.
    case slowApproval
    /// Paid, but the answer's bytes are garbage.
    case garbledAnswer
    /// Answered at once with 6000 and no result; paid after the customer delay, found by inquiry.
    case acknowledgeOnly
    /// Paid, but the link fails in the middle of the answer: half of it arrives, then nothing.
    case answerCutShort
    /// Paid, but the answer describes another sale (another out_trade_no, syssn and amount).
    case answerForAnotherSale
    /// Paid, but only after the till's payment deadline has passed: the answer comes too late.
    case answerAfterTheDeadline

    public static let defaultDeclineCode = "1205"
    /// `.61` pays after this many customer delays.
    public static let lateFactor = 20.0

    /// The built-in table: the amount's cents choose the outcome, so a demo or a test needs no file.
    public static func forAmount(_ amount: Amount) -> Outcome {
        switch amount.cents % 100 {
        case 51: return .decline(code: defaultDeclineCode)
        case 52: return .customerCancels
        case 53: return .neverPays
        case 54: return .dropConnection
        case 55: return .slowApproval
        case 56: return .garbledAnswer
        case 57: return .acknowledgeOnly
        case 58: return .answerCutShort
        case 59: return .answerForAnotherSale
        case 61: return .answerAfterTheDeadline
        default: return .approve
        }
    }

    /// The word a scenario file uses.
    public var scenarioName: String {
        switch self {
        case .approve: return "approve"
        case .decline(let code): return code == Outcome.defaultDeclineCode ? "decline" : "decline \(code)"
        case .customerCancels: return "cancel"
        case .neverPays: return "never-pay"
        case .dropConnection: return "drop"
        case .slowApproval: return "slow"
        case .garbledAnswer: return "garbled"
        case .acknowledgeOnly: return "ack"
        case .answerCutShort: return "cut"
        case .answerForAnotherSale: return "foreign"
        case .answerAfterTheDeadline: return "late"
        }
    }

    static let scenarioWords = ["approve", "decline [CODE]", "cancel", "never-pay", "drop", "slow", "garbled", "ack", "cut", "foreign", "late"]

    /// How long the customer takes, in customer delays; nil: never, only a cancel request ends it.
    var delayFactor: Double? {
        switch self {
        case .neverPays: return nil
        case .slowApproval: return 3
        // Long enough to outlast a till's payment timeout plus grace in every test that uses it.
        case .answerAfterTheDeadline: return Outcome.lateFactor
        default: return 1
        }
    }
}
