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
}
