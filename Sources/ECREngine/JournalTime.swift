import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Journal timestamps: UTC, ISO 8601 with milliseconds (`2026-11-21T06:32:01.123Z`), readable by a
/// person repairing a till and cheap to parse when 100,000 lines are read at start.
enum JournalTime {
    static func format(_ date: Date) -> String {
        let totalMillis = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        var seconds = time_t(totalMillis >= 0 ? totalMillis / 1000 : (totalMillis - 999) / 1000)
        let millis = Int(totalMillis - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))T"
            + "\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2)).\(pad(millis, 3))Z"
    }

    /// Reads what `format` writes (milliseconds optional).
    static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54, b[13] == 0x3A, b[16] == 0x3A, b.last == 0x5A else {
            return nil
        }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                let d = Int(b[i]) - 0x30
                guard d >= 0 && d <= 9 else { return nil }
                value = value * 10 + d
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var millis = 0
        if b.count > 20 {
            // Only the first three digits count: a longer fraction (hand-edited, damaged) must not overflow.
            guard b[19] == 0x2E, b.count >= 22, b[20..<(b.count - 1)].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
                  let fraction = number(20..<min(23, b.count - 1)) else { return nil }
            let digits = min(3, b.count - 21)
            millis = fraction * Self.power10(3 - digits)
        } else if b.count != 20 {
            return nil
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Date(timeIntervalSince1970: Double(seconds) + Double(millis) / 1000)
    }

    /// The UTC day of `date` as yyyymmdd: the journal index groups lines by it.
    static func day(_ date: Date) -> Int32 {
        var seconds = time_t((date.timeIntervalSince1970).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return (parts.tm_year + 1900) * 10_000 + (parts.tm_mon + 1) * 100 + parts.tm_mday
    }

    private static func power10(_ n: Int) -> Int {
        var value = 1
        for _ in 0..<n { value *= 10 }
        return value
    }
}
