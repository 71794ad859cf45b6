import ECRProtocol

/// Where a payment or refund attempt stands. Every state has a word and a glyph besides any colour,
/// so the console stays readable without colour.
public enum AttemptState: String, Sendable, Codable, CaseIterable, Hashable {
    /// Journaled, nothing sent yet (a refund checks its original sale in this state).
    case created
    /// The trade request is on its way; its answer is awaited.
    case sending
    /// The terminal accepted the trade and the customer is paying: the engine polls by inquiry.
    case awaiting
    /// The cashier asked to cancel; polling continues, since a cancel can lose the race against a payment.
    case cancelling
    case approved
    case declined
    case cancelled
    /// It never became a payment: refused by the terminal, refused locally, or not sent at all.
    case rejected
    /// Sent, but its outcome is unknown (timeout, reset, garbled answer): the engine polls by inquiry.
    case unknown
    /// The deadline passed with no final answer. Never final: resumed on start, resolvable by hand.
    case unresolved

    /// Final states never change again. `unresolved` is not final: it resumes and can be resolved.
    public var isFinal: Bool {
        switch self {
        case .approved, .declined, .cancelled, .rejected: return true
        case .created, .sending, .awaiting, .cancelling, .unknown, .unresolved: return false
        }
    }

    /// The engine is working on it right now (sending or polling); `unresolved` waits for a person.
    public var isActive: Bool { !isFinal && self != .unresolved }

    /// The state name the command line's `--json` and exit codes use.
    public var reported: ReportedState {
        switch self {
        case .approved: return .approved
        case .declined: return .declined
        case .cancelled: return .cancelled
        case .rejected: return .rejected
        case .unresolved: return .unresolved
        case .created, .sending, .awaiting, .cancelling, .unknown: return .unknown
        }
    }

    /// A glyph that tells the state apart without colour.
    public var glyph: String {
        switch self {
        case .created: return "·"
        case .sending: return "→"
        case .awaiting: return "⏳"
        case .cancelling: return "⊘"
        case .approved: return "✔"
        case .declined: return "✘"
        case .cancelled: return "⊗"
        case .rejected: return "⛔"
        case .unknown: return "?"
        case .unresolved: return "‼"
        }
    }

    public var word: LocalizedText {
        switch self {
        case .created: return LocalizedText("created", "已建立")
        case .sending: return LocalizedText("sending", "傳送中")
        case .awaiting: return LocalizedText("waiting", "等待付款")
        case .cancelling: return LocalizedText("cancelling", "取消中")
        case .approved: return LocalizedText("approved", "成功")
        case .declined: return LocalizedText("declined", "失敗")
        case .cancelled: return LocalizedText("cancelled", "已取消")
        case .rejected: return LocalizedText("rejected", "被拒絕")
        case .unknown: return LocalizedText("unknown", "結果未明")
        case .unresolved: return LocalizedText("UNRESOLVED", "未解決")
        }
    }
}

/// The six states scripts see (`--json` `state`), with the exit code DESIGN.md assigns to each.
public enum ReportedState: String, Sendable, Codable, CaseIterable {
    case approved, declined, cancelled, rejected, unknown, unresolved

    /// 0 approved, 1 declined/cancelled/rejected, 3 unknown/unresolved. (4, connection or
    /// configuration errors, is the command's to decide from `PaymentAttempt.rejection`.)
    public var exitCode: Int32 {
        switch self {
        case .approved: return 0
        case .declined, .cancelled, .rejected: return 1
        case .unknown, .unresolved: return 3
        }
    }
}
