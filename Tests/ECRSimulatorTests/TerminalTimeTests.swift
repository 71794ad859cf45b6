import Foundation
import XCTest
@testable import ECRSimulator

final class TerminalTimeTests: XCTestCase {
    func testStampsAreZeroPaddedInHongKongTime() {
        let date = Date(timeIntervalSince1970: 1_763_706_721) // 2025-11-21 06:32:01 UTC
        XCTAssertEqual(TerminalTime.stamp(date), "2025-11-21 14:32:01")
        XCTAssertEqual(TerminalTime.day(date), "20251121")
        XCTAssertEqual(TerminalTime.dayDisplay(date), "2025-11-21")
        XCTAssertEqual(TerminalTime.stamp(Date(timeIntervalSince1970: -28_800)), "1970-01-01 00:00:00")
        XCTAssertEqual(TerminalTime.digits(7, 4), "0007")
        XCTAssertEqual(TerminalTime.digits(12345, 4), "12345")
        XCTAssertEqual(TerminalTime.digits(-7, 3), "-07", "as %03ld writes it")
    }

    /// The arithmetic reads the clock face as the Gregorian calendar does, at every kind of moment:
    /// whole seconds, fractions, day, month, year and leap-day edges, before 1970 and far ahead,
    /// and the years outside it where the calendar itself is asked.
    func testStampsAgreeWithTheCalendar() {
        let calendar = TerminalTime.calendar
        func expected(_ date: Date) -> (String, String) {
            let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let day = TerminalTime.digits(p.year!, 4) + "-" + TerminalTime.digits(p.month!, 2) + "-" + TerminalTime.digits(p.day!, 2)
            let time = TerminalTime.digits(p.hour!, 2) + ":" + TerminalTime.digits(p.minute!, 2) + ":" + TerminalTime.digits(p.second!, 2)
            return (day + " " + time, day.replacingOccurrences(of: "-", with: ""))
        }
        var moments: [Double] = [0, -1, -0.5, 0.999_999, 1_763_706_721.25, -28_800, -28_800.5, -2_208_988_800, -2_208_988_800 - 28_800,
                                 -2_208_988_801 - 28_800, 253_402_300_799 - 28_800, 253_402_300_800 - 28_800, 951_782_400 - 28_800,
                                 951_868_799 - 28_800, 4_107_542_400, -62_135_596_800]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<20_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            // 1890 to 2200, with a fraction of a second.
            moments.append(-2_524_521_600 + Double(state >> 11) / Double(1 << 53) * 9_782_524_800)
        }
        for year in [1900, 1970, 2000, 2024, 2100, 2400, 9999] {
            for (month, day) in [(1, 1), (2, 28), (2, 29), (3, 1), (12, 31)] {
                guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)) else { continue }
                moments += [date.timeIntervalSince1970, date.timeIntervalSince1970 - 0.25, date.timeIntervalSince1970 - 1]
            }
        }
        for moment in moments {
            let date = Date(timeIntervalSince1970: moment)
            let (stamp, day) = expected(date)
            XCTAssertEqual(TerminalTime.stamp(date), stamp, "at \(moment)")
            XCTAssertEqual(TerminalTime.day(date), day, "at \(moment)")
        }
    }
}
