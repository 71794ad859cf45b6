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
    static let offsetSeconds = 8 * 3600
    public static let zone = TimeZone(secondsFromGMT: offsetSeconds)!

    // Made once, for dates outside the years the arithmetic below is used for.
    static let calendar: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        return c
    }()

    /// `2025-11-21 14:32:01`, the form `sysdtm`, `paydtm` and `server_time` use.
    public static func stamp(_ date: Date) -> String {
        guard let t = Reading(date) else {
            let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            return digits(p.year!, 4) + "-" + digits(p.month!, 2) + "-" + digits(p.day!, 2) + " "
                + digits(p.hour!, 2) + ":" + digits(p.minute!, 2) + ":" + digits(p.second!, 2)
        }
        // Every inquiry answer carries two or three of these: written straight into the string.
        return String(unsafeUninitializedCapacity: 19) { out in
            t.writeDay(into: out, at: 0, separator: UInt8(ascii: "-"))
            out[10] = UInt8(ascii: " ")
            put(t.hour, into: out, at: 11, width: 2)
            out[13] = UInt8(ascii: ":")
            put(t.minute, into: out, at: 14, width: 2)
            out[16] = UInt8(ascii: ":")
            put(t.second, into: out, at: 17, width: 2)
            return 19
        }
    }

    /// `20251121`: the business day, used in syssn numbers and for the card same-day refund rule.
    public static func day(_ date: Date) -> String {
        guard let t = Reading(date) else {
            let p = calendar.dateComponents([.year, .month, .day], from: date)
            return digits(p.year!, 4) + digits(p.month!, 2) + digits(p.day!, 2)
        }
        return String(unsafeUninitializedCapacity: 8) { out in
            t.writeDay(into: out, at: 0, separator: nil)
            return 8
        }
    }

    /// The terminal's clock face at a moment, worked out from the seconds since 1970 (the Gregorian
    /// calendar's days, with no table); nil outside the years 1900–9999, which the calendar reads.
    struct Reading {
        let year, month, day, hour, minute, second: Int

        init?(_ date: Date) {
            // As the calendar reads it: the whole second at or before the moment, in terminal time.
            let local = (date.timeIntervalSinceReferenceDate + Double(TerminalTime.offsetSeconds)).rounded(.down)
            // 1900-01-01 and 10000-01-01, in seconds since 2001-01-01.
            guard local >= -3_155_673_600, local < 252_423_993_600 else { return nil }
            let sinceEpoch = Int(local) + 978_307_200
            let days = sinceEpoch >= 0 ? sinceEpoch / 86_400 : (sinceEpoch - 86_399) / 86_400
            let seconds = sinceEpoch - days * 86_400
            (hour, minute, second) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
            // Days to a date in the proleptic Gregorian calendar, counting years from March so the
            // leap day comes last (H. Hinnant, "chrono-compatible low-level date algorithms").
            let shifted = days + 719_468
            let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
            let dayOfEra = shifted - era * 146_097
            let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
            let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
            let monthFromMarch = (5 * dayOfYear + 2) / 153
            day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
            month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
            year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        }

        /// `2025-11-21` with a separator, `20251121` without.
        func writeDay(into out: UnsafeMutableBufferPointer<UInt8>, at start: Int, separator: UInt8?) {
            put(year, into: out, at: start, width: 4)
            guard let separator else {
                put(month, into: out, at: start + 4, width: 2)
                put(day, into: out, at: start + 6, width: 2)
                return
            }
            out[start + 4] = separator
            put(month, into: out, at: start + 5, width: 2)
            out[start + 7] = separator
            put(day, into: out, at: start + 8, width: 2)
        }
    }

    /// `n` (0 ≤ n < 10^width) as exactly `width` decimal digits.
    private static func put(_ n: Int, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int, width: Int) {
        var n = n
        for i in stride(from: start + width - 1, through: start, by: -1) {
            out[i] = UInt8(truncatingIfNeeded: 0x30 + n % 10)
            n /= 10
        }
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
