import ECRProtocol
import ECREngine

/// The reconcile view as the cashier moves in it: which day, which row, and the adopt question.
public struct ReconcileView: Sendable, Hashable {
    /// 0 today, -1 yesterday, and so on back.
    public var dayOffset = 0
    /// The selected row of the table.
    public var index = 0
    /// The payment the cashier is asked to confirm adopting.
    public var adopting: String?
    /// Why the last key did nothing here.
    public var hint: LocalizedText?

    public init(dayOffset: Int = 0, index: Int = 0, adopting: String? = nil, hint: LocalizedText? = nil) {
        self.dayOffset = dayOffset
        self.index = index
        self.adopting = adopting
        self.hint = hint
    }
}

/// A reconciliation of one day as the till runs it (`ConsoleReconciler`): how far it got, what it
/// found, and what came of adopting.
public struct ReconcileStatus: Sendable, Hashable {
    public enum Phase: Sendable, Hashable {
        case running
        case finished
        /// The cashier closed the view or moved to another day before the end.
        case stopped
        /// The till would not ask (a sale started): the rest was not asked.
        case refused(LocalizedText)
    }

    /// `2026-12-01`, in the till's time zone.
    public var day: String
    public var dayOffset: Int
    /// The terminal asked, e.g. `HTTP 127.0.0.1:9001`.
    public var terminal: String
    /// Attempts of the day, and the one being asked (1-based; 0 before the first).
    public var total: Int
    public var position: Int
    public var findings: [ReconcileFinding]
    public var phase: Phase
    /// Payments adopted from this view.
    public var adopted: Set<String> = []
    /// An adoption on its way (asking the terminal again, then the journal).
    public var adopting: String?
    /// What came of the last adoption.
    public var message: Notice?

    public init(day: String, dayOffset: Int, terminal: String, total: Int = 0, position: Int = 0,
                findings: [ReconcileFinding] = [], phase: Phase = .running) {
        self.day = day
        self.dayOffset = dayOffset
        self.terminal = terminal
        self.total = total
        self.position = position
        self.findings = findings
        self.phase = phase
    }

    public var isRunning: Bool { phase == .running }

    /// Mismatches not adopted since.
    public var mismatches: Int { findings.filter { $0.verdict == .mismatch && !adopted.contains($0.outTradeNo) }.count }

    public func count(_ verdict: ReconcileFinding.Verdict) -> Int { findings.filter { $0.verdict == verdict }.count }

    /// The row can be adopted now: the terminal's record proves a payment the journal missed.
    public func canAdopt(_ finding: ReconcileFinding) -> Bool { finding.adoptable && !adopted.contains(finding.outTradeNo) }
}
