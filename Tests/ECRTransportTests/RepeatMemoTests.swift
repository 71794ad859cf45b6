import XCTest
@testable import ECRTransport

final class RepeatMemoTests: XCTestCase {
    private struct Refused: Error {}

    func testOnlyAnExactRepeatIsServedFromTheMemo() {
        let memo = RepeatMemo<[UInt8], String>()
        var made = 0
        func value(_ key: [UInt8]) -> String {
            memo.value(for: key) { made += 1; return "made \(made) for \(key)" }
        }
        XCTAssertEqual(value([1, 2]), "made 1 for [1, 2]")
        XCTAssertEqual(value([1, 2]), "made 1 for [1, 2]", "a repeat")
        XCTAssertEqual(value([1, 3]), "made 2 for [1, 3]", "one byte different")
        XCTAssertEqual(value([1, 2]), "made 3 for [1, 2]", "only the last is kept")
        XCTAssertEqual(made, 3)
    }

    func testAFailureIsNotKept() {
        let memo = RepeatMemo<Int, Int>()
        XCTAssertThrowsError(try memo.value(for: 1) { () throws(Refused) -> Int in throw Refused() })
        XCTAssertEqual(memo.value(for: 1) { 7 }, 7, "made again after the failure")
        XCTAssertThrowsError(try memo.value(for: 2) { () throws(Refused) -> Int in throw Refused() })
        XCTAssertEqual(memo.value(for: 1) { 8 }, 7, "a failure for another key does not replace the kept value")
    }
}

