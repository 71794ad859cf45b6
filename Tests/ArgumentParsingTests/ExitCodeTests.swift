import XCTest
import ArgumentParsing

final class ExitCodeTests: XCTestCase {
    func testStatusesMatchTheCommandLineContract() {
        XCTAssertEqual(ExitCode.ok.rawValue, 0)
        XCTAssertEqual(ExitCode.declined.rawValue, 1)
        XCTAssertEqual(ExitCode.cancelled, .declined)
        XCTAssertEqual(ExitCode.rejected, .declined)
        XCTAssertEqual(ExitCode.usage.rawValue, 2)
        XCTAssertEqual(ExitCode.unresolved.rawValue, 3)
        XCTAssertEqual(ExitCode.unknown, .unresolved)
        XCTAssertEqual(ExitCode.connectionOrConfiguration.rawValue, 4)
        XCTAssertEqual(ExitCode.connection, .connectionOrConfiguration)
        XCTAssertEqual(ExitCode.configuration, .connectionOrConfiguration)
    }

    func testUsageErrorsExitWithTheUsageStatus() {
        XCTAssertEqual(UsageError("bad amount").exitCode, .usage)
        XCTAssertEqual(UsageError("bad amount").description, "bad amount")
    }
}
