import Foundation

/// The simulator's console log: one line per request and per thing the customer does, printouts,
/// and warnings. `quiet` keeps only warnings and notices. Lines never carry the POS-KEY or the
/// client key: nothing that logs is ever given them.
public final class SimulatorLog: Sendable {
    public enum Kind: Sendable {
        /// Requests, answers and customer events: suppressed when quiet.
        case traffic
        /// Receipts and summaries: suppressed when quiet (they are still saved to files).
        case printout
        /// Start-up and shut-down facts.
        case notice
        case warning
    }

    private let sink: @Sendable (String) -> Void
    private let events: (@Sendable (TerminalEvent) -> Void)?
    private let quiet: Bool
    private let stamped: Bool

    /// `stamped` prefixes local wall-clock time, for a human watching the console. `events` gets what
    /// the customer and merchant did as values (the demo's customer pane words them in its language).
    public init(quiet: Bool = false, stamped: Bool = false, sink: @escaping @Sendable (String) -> Void,
                events: (@Sendable (TerminalEvent) -> Void)? = nil) {
        self.sink = sink
        self.events = events
        self.quiet = quiet
        self.stamped = stamped
    }

    /// Lines go nowhere.
    public static let silent = SimulatorLog { _ in }

    /// Standard error, time-stamped.
    public static func standardError(quiet: Bool) -> SimulatorLog {
        SimulatorLog(quiet: quiet, stamped: true) { line in
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    /// The same log, quiet when either it or `quiet` says so.
    public func quieted(_ quiet: Bool) -> SimulatorLog {
        SimulatorLog(quiet: self.quiet || quiet, stamped: stamped, sink: sink, events: events)
    }

    /// Hands an event to whoever watches them; quiet or not, since no line is printed.
    public func observe(_ event: TerminalEvent) {
        events?(event)
    }

    /// `line` is worded only when it is written: a quiet simulator words no request's line.
    public func write(_ kind: Kind, _ line: @autoclosure () -> String) {
        if quiet && (kind == .traffic || kind == .printout) { return }
        let line = line()
        let prefix = kind == .warning && !line.hasPrefix("warning:") ? "warning: " : ""
        sink((stamped ? Self.clockText() + " " : "") + prefix + line)
    }

    private static func clockText() -> String {
        let parts = Calendar.current.dateComponents([.hour, .minute, .second], from: Date())
        return String(format: "%02ld:%02ld:%02ld", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}
