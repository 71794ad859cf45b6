import Foundation
import ECRProtocol
import ECREngine

/// Whether the terminal can take a request now.
public enum LinkState: Sendable, Hashable {
    case ready, busy, unreachable
    /// The terminal is there but its TLS was refused (certificate, pin, expiry, name, an old protocol).
    case tlsRefused
}

/// A channel in the picker; one the configured terminal model cannot take is shown disabled with why.
public struct ChannelChoice: Sendable, Hashable {
    public var channel: Channel
    public var disabledReason: LocalizedText?

    public init(channel: Channel, disabledReason: LocalizedText? = nil) {
        self.channel = channel
        self.disabledReason = disabledReason
    }

    public var isEnabled: Bool { disabledReason == nil }
}

/// A payment or refund as the screens show it.
public struct AttemptSummary: Sendable, Hashable {
    public var outTradeNo: String
    public var kind: AttemptKind
    public var amount: Amount
    public var channel: Channel?
    public var state: AttemptState
    public var createdAt: Date
    /// What happened and what to do, as a value the screen words in its language.
    public var reason: OutcomeReason
    public var syssn: String?
    public var channelOrderNo: String?
    /// For a refund: the sale it gives money back from.
    public var refundOf: String?
    /// For an approved sale: what may still be refunded.
    public var refundable: Amount?
    /// When polling gives up (the countdown's end).
    public var deadline: Date?
    public var cancelRequested: Bool
    /// Found unfinished in the journal at start and resumed.
    public var resumed: Bool

    public init(outTradeNo: String, kind: AttemptKind, amount: Amount, channel: Channel?, state: AttemptState,
                createdAt: Date, reason: OutcomeReason = .legacy(text: ""), syssn: String? = nil, channelOrderNo: String? = nil,
                refundOf: String? = nil, refundable: Amount? = nil, deadline: Date? = nil,
                cancelRequested: Bool = false, resumed: Bool = false) {
        self.outTradeNo = outTradeNo
        self.kind = kind
        self.amount = amount
        self.channel = channel
        self.state = state
        self.createdAt = createdAt
        self.reason = reason
        self.syssn = syssn
        self.channelOrderNo = channelOrderNo
        self.refundOf = refundOf
        self.refundable = refundable
        self.deadline = deadline
        self.cancelRequested = cancelRequested
        self.resumed = resumed
    }
}

/// One line of the log pane.
public struct LogLine: Sendable, Hashable {
    public var at: Date
    /// → sent, ← received, · a note.
    public var direction: String
    public var text: String

    public init(at: Date, direction: String, text: String) {
        self.at = at
        self.direction = direction
        self.text = text
    }
}

/// What the till knows, as the screens need it: built from the engine by `TillState(engine…)`
/// (EngineAdapter.swift) and nothing else, so the engine's snapshot can grow without touching screens.
public struct TillState: Sendable, Hashable {
    public var tillID: String
    /// Transport and address, e.g. `HTTP 127.0.0.1:9001`.
    public var endpoint: String
    public var link: LinkState
    /// The POS-KEY's last 4 characters (`…aacd`), never more.
    public var maskedKey: String?
    public var currency: String
    public var maximumAmount: Amount
    public var channels: [ChannelChoice]
    /// The attempt the cashier is looking at: the running one, else the last one that changed.
    public var current: AttemptSummary?
    /// Attempts that wait for a person (deadline passed, outcome unknown).
    public var unresolved: [AttemptSummary]
    /// Unfinished attempts bound to other terminals sharing the journal: they block nothing here and
    /// are resolved at their own terminal.
    public var elsewhere: [AttemptSummary]
    /// Newest first.
    public var history: [AttemptSummary]
    /// The journal holds older history than `history`: scrolling to its end reads the next part.
    public var olderHistory = false
    /// Oldest first: requests and answers as JSON, notes.
    public var log: [LogLine]
    /// The same log as the bytes on the wire, in hex (the log key flips between the two).
    public var hexLog: [LogLine]
    /// The engine's wire log entries, oldest first: the log list and the exchange detail read them.
    public var exchanges: [WireLogEntry]
    /// What the virtual customer does (the demo's customer pane); nil hides the pane.
    public var customer: [LocalizedText]?
    /// Extra help lines (the demo's outcome table).
    public var helpNotes: [LocalizedText]
    /// The profile, its settings, the other profiles and the live doctor, for the technician's views.
    public var commissioning = CommissioningFacts()
    /// The reconciliation the cashier opened (`k`), running or done; nil before one.
    public var reconcile: ReconcileStatus?

    public init(tillID: String, endpoint: String, link: LinkState = .ready, maskedKey: String? = nil, currency: String = "HKD",
                maximumAmount: Amount = .defaultMaximum, channels: [ChannelChoice] = Channel.allCases.map { ChannelChoice(channel: $0) },
                current: AttemptSummary? = nil, unresolved: [AttemptSummary] = [], elsewhere: [AttemptSummary] = [],
                history: [AttemptSummary] = [],
                log: [LogLine] = [], hexLog: [LogLine] = [], exchanges: [WireLogEntry] = [], customer: [LocalizedText]? = nil, helpNotes: [LocalizedText] = []) {
        self.tillID = tillID
        self.endpoint = endpoint
        self.link = link
        self.maskedKey = maskedKey
        self.currency = currency
        self.maximumAmount = maximumAmount
        self.channels = channels
        self.current = current
        self.unresolved = unresolved
        self.elsewhere = elsewhere
        self.history = history
        self.log = log
        self.hexLog = hexLog
        self.exchanges = exchanges
        self.customer = customer
        self.helpNotes = helpNotes
    }

    /// A sale or refund the engine is working on right now.
    public var running: AttemptSummary? {
        guard let current, current.state.isActive else { return nil }
        return current
    }
}

/// Everything one frame shows: what the till knows, what the cashier is doing, and when.
public struct ScreenModel: Sendable, Hashable {
    public var till: TillState
    public var view: ViewState
    public var now: Date
    public var language: Language
    public var glyphs: Glyphs
    public var timeZone: TimeZone

    public init(till: TillState, view: ViewState = ViewState(), now: Date, language: Language = .english,
                glyphs: Glyphs = .unicode, timeZone: TimeZone = .current) {
        self.till = till
        self.view = view
        self.now = now
        self.language = language
        self.glyphs = glyphs
        self.timeZone = timeZone
    }

    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// When the picture changes with time alone (the countdown each second, the clock each minute);
    /// the loop sleeps until then, or until a key or a new snapshot.
    public func nextTimedChange() -> Date {
        if let running = till.running, running.deadline != nil {
            return Date(timeIntervalSince1970: (now.timeIntervalSince1970).rounded(.down) + 1)
        }
        let minute = (now.timeIntervalSince1970 / 60).rounded(.down) + 1
        return Date(timeIntervalSince1970: minute * 60)
    }
}

/// The console asks about a resumed sale by the engine's own double-charge rule.
extension AttemptSummary: RetriedSale {}
/// The totals view sums the summaries with the engine's own totals code.
extension AttemptSummary: TotalledAttempt {}
