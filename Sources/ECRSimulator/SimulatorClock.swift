import Foundation

/// Where the simulator reads the time. The pure core never asks the system itself, so tests can
/// move time by hand and nothing has to sleep.
public protocol SimulatorClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct TerminalClock: SimulatorClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// Terminal time: QFPay terminals stamp transactions in Hong Kong time, which has had no daylight
/// saving since 1979, so a fixed +08:00 offset is exact and needs no tz database.
public enum TerminalTime {
    public static let zone = TimeZone(secondsFromGMT: 8 * 3600)!

    // Made once: a calendar and a `String(format:)` per stamp were most of an inquiry's cost.
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }()

    /// `2025-11-21 14:32:01`, the form `sysdtm`, `paydtm` and `server_time` use.
    public static func stamp(_ date: Date) -> String {
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return digits(p.year!, 4) + "-" + digits(p.month!, 2) + "-" + digits(p.day!, 2) + " "
            + digits(p.hour!, 2) + ":" + digits(p.minute!, 2) + ":" + digits(p.second!, 2)
    }

    /// `20251121`: the business day, used in syssn numbers and for the card same-day refund rule.
    public static func day(_ date: Date) -> String {
        let p = calendar.dateComponents([.year, .month, .day], from: date)
        return digits(p.year!, 4) + digits(p.month!, 2) + digits(p.day!, 2)
    }

    /// `n` with leading zeros to `width` digits, as `%0*ld` writes it.
    static func digits(_ n: Int, _ width: Int) -> String {
        let text = String(n.magnitude)
        return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - (n < 0 ? 1 : 0) - text.count)) + text
    }

    /// `2025-11-21`, for summaries.
    public static func dayDisplay(_ date: Date) -> String {
        let d = day(date)
        return "\(d.prefix(4))-\(d.dropFirst(4).prefix(2))-\(d.suffix(2))"
    }
}
