import ECRProtocol
import ECREngine

/// The panes Tab moves between.
public enum Pane: Sendable, Hashable, CaseIterable {
    case amount, channel, history, log
}

/// Which exchanges the log list shows; the filter key steps through them in this order.
public enum LogFilter: Sendable, Hashable, CaseIterable {
    case all, errors, payment, refund, inquiry, print, cancel

    public func admits(_ entry: WireLogEntry) -> Bool {
        switch self {
        case .all: return true
        case .errors: return entry.failure != nil || (entry.response.map { $0.outer != .accepted } ?? false)
        case .payment: return entry.operation == .payment
        case .refund: return entry.operation == .refund
        case .inquiry: return entry.operation == .inquiry
        case .print: return entry.operation == .printReceipt || entry.operation == .printSummary
        case .cancel: return entry.operation == .cancelRequest
        }
    }

    var next: LogFilter {
        let all = LogFilter.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// The exchange detail view: which log entry, and how far it is scrolled.
public struct ExchangeView: Sendable, Hashable {
    public var id: Int
    public var scroll: Int
}

/// A message for the cashier on the message line, in both languages.
public struct Notice: Sendable, Hashable {
    public var text: LocalizedText
    public var role: Role

    public init(_ text: LocalizedText, role: Role = .normal) {
        self.text = text
        self.role = role
    }
}

/// The refund dialog: the sale, the amount field (it starts at the refundable amount) and whether the
/// cashier is at the final "send it?" question.
public struct RefundDraft: Sendable, Hashable {
    public var sale: AttemptSummary
    public var amountText: String
    /// The field still holds the amount it opened with: the first digit typed replaces it.
    public var prefilled: Bool
    public var confirming: Bool
    public var problem: LocalizedText?
}

/// Settling an unresolved attempt by hand: paid or not, then a reason.
public struct SettleDraft: Sendable, Hashable {
    public var attempt: AttemptSummary
    public var paid: Bool?
    public var reason: String
}

public enum Dialog: Sendable, Hashable {
    case help
    case confirmCancel
    case quitWhileRunning
    /// Quitting would lose the amount being typed.
    case quitLosingAmount
    case refund(RefundDraft)
    case settle(SettleDraft)
    /// A resumed attempt of this amount ended approved: charge the same amount again only on a yes.
    case sameAmount(amount: Amount, channel: Channel, approved: AttemptSummary)
    /// One exchange of the wire log, opened from the log list.
    case exchange(ExchangeView)
    /// The day's counts and sums, from the attempts the till shows.
    case totals
    /// A technician's view: the settings, the live doctor, the profile list.
    case commissioning(CommissioningView)
    /// The day's journal held against the terminal (ReconcileView.swift).
    case reconcile(ReconcileView)
}

/// What the cashier is doing on screen; changed only by `ConsoleReducer`.
public struct ViewState: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var amountText: String
    /// Why the typed amount cannot be charged, shown under it.
    public var amountProblem: LocalizedText?
    public var notice: Notice?
    public var focus: Pane
    /// The channel picked; nil means the last one used (or the first the terminal takes).
    public var channel: Channel?
    /// The selected history row, 0 the newest.
    public var historyIndex: Int
    public var dialog: Dialog?
    /// Resumed approvals the cashier has seen and said yes past.
    public var acknowledged: Set<String>
    /// The log pane shows the bytes on the wire in hex instead of decoded JSON.
    public var logAsHex = false
    /// The selected entry of the log list, 0 the newest of those the filter admits.
    public var logIndex = 0
    public var logFilter = LogFilter.all
    /// How far the help screen is scrolled (when it is longer than the window).
    public var helpScroll = 0

    public init(width: Int = 80, height: Int = 24) {
        self.width = width
        self.height = height
        amountText = ""
        focus = .amount
        historyIndex = 0
        acknowledged = []
    }

    public var isTooSmall: Bool { width < ScreenModel.minimumWidth || height < ScreenModel.minimumHeight }

    /// The channel a sale would use now.
    public func selectedChannel(in till: TillState) -> Channel? {
        let enabled = till.channels.filter(\.isEnabled).map(\.channel)
        if let channel, enabled.contains(channel) { return channel }
        if let last = till.history.first(where: { $0.kind == .payment })?.channel, enabled.contains(last) { return last }
        return enabled.first
    }

    /// The log entries the filter admits, newest first.
    public func visibleLog(in till: TillState) -> [WireLogEntry] {
        till.exchanges.reversed().filter(logFilter.admits)
    }

    public func selectedLogEntry(in till: TillState) -> WireLogEntry? {
        let visible = visibleLog(in: till)
        return visible.isEmpty ? nil : visible[min(logIndex, visible.count - 1)]
    }

    public func selectedRow(in till: TillState) -> AttemptSummary? {
        till.history.isEmpty ? nil : till.history[min(historyIndex, till.history.count - 1)]
    }
}

/// What the cashier asked the till to do.
public enum Intent: Sendable, Hashable {
    case pay(amount: Amount, channel: Channel)
    case cancel
    /// `amount` nil: everything still refundable.
    case refund(syssn: String, amount: Amount?)
    case query(outTradeNo: String)
    /// A query by the terminal's own id (a refund's syssn, or its sale's).
    case queryOrder(syssn: String)
    /// Polls an unresolved attempt again with a fresh deadline.
    case resolveAgain(outTradeNo: String)
    case print(syssn: String)
    case summary
    case settle(outTradeNo: String, paid: Bool, note: String)
    /// Write the visible log or one exchange to a file.
    case export(LogExport)
    /// Run or stop the live doctor, switch profiles.
    case commissioning(CommissioningIntent)
    /// Reconcile a day (0 today, -1 yesterday) with the terminal, instead of any run before; stop it.
    case reconcile(dayOffset: Int)
    case stopReconcile
    /// Ask the terminal again about a payment the journal missed and record it as approved.
    case adopt(outTradeNo: String)
    /// Read the next older part of the history from the journal (the cashier scrolled near its end).
    case olderHistory
    case quit
}

/// What reaches the reducer: a key, a new window size, or something to tell the cashier.
public enum ConsoleEvent: Sendable, Hashable {
    case key(Key)
    case resized(width: Int, height: Int)
    case notice(Notice)
}
