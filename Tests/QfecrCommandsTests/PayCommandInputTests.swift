import Foundation
import XCTest
@testable import QfecrCommands

/// `qfecr pay`: everything the cashier typed is refused with exit 2 before any I/O — before the
/// configuration is even needed, so a bad line never reads as a connection or configuration error.
final class PayCommandInputTests: XCTestCase {
    private var till: EmptyTill!
    override func setUpWithError() throws { till = try EmptyTill("payinput") }
    override func tearDown() { till = nil }
    private var environment: [String: String] { till.environment }

    private func assertUsage(_ arguments: [String], mentions word: String, file: StaticString = #filePath, line: UInt = #line) {
        let run = CommandRun(arguments, environment: environment)
        XCTAssertEqual(run.exitCode, 2, run.stdout + run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains(word), run.stderr, file: file, line: line)
        XCTAssertFalse(FileManager.default.fileExists(atPath: till.root.appendingPathComponent("data").path),
                       "nothing was created: the journal was not even opened", file: file, line: line)
    }

    func testABadOutTradeNoIsAUsageErrorBeforeAnyIO() {
        assertUsage(["pay", "12.50", "--channel", "wx", "--out-trade-no", "not valid!"], mentions: "out_trade_no")
        assertUsage(["pay", "12.50", "--channel", "wx", "--out-trade-no", String(repeating: "A", count: 33)], mentions: "out_trade_no")
    }

    func testAPaymentTimeoutTheChannelDoesNotAllowIsAUsageErrorBeforeAnyIO() {
        assertUsage(["pay", "12.50", "--channel", "payme", "--payment-timeout", "300"], mentions: "payment_timeout")
    }

    func testAPaymentTimeoutBeyondWhatTheConfigurationAcceptsIsAUsageError() {
        // payment_timeout in the configuration takes 1–3600 s; the flag takes no more.
        assertUsage(["pay", "12.50", "--channel", "wx", "--payment-timeout", "99999999999"], mentions: "--payment-timeout")
    }
}
