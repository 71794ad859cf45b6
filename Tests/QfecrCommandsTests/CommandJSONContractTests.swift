import Foundation
import XCTest
@testable import QfecrCommands

/// The command-line contract for scripts: with --json, a command that talks to the terminal prints
/// one JSON object even when it stops at the configuration (exit 4); a bad flag value is reported
/// under the flag the cashier typed.
final class CommandJSONContractTests: XCTestCase {
    private var till: EmptyTill!
    override func setUpWithError() throws { till = try EmptyTill("jsoncontract") }
    override func tearDown() { till = nil }
    private var environment: [String: String] { till.environment }

    func testAConfigurationErrorStillPrintsOneJSONObject() throws {
        for arguments in [["pay", "1", "--channel", "wx", "--host", "127.0.0.1", "--json"],
                          ["refund", "20261121000100020001", "--host", "127.0.0.1", "--json"],
                          ["query", "--out-trade-no", "T01-X", "--host", "127.0.0.1", "--json"],
                          ["summary", "--host", "127.0.0.1", "--json"]] {
            let run = CommandRun(arguments, environment: environment)
            XCTAssertEqual(run.exitCode, 4, "\(arguments): \(run.stdout) \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("QFECR_KEY"), "\(arguments): \(run.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
            XCTAssertEqual(object?["state"] as? String, "rejected", "\(arguments): \(run.stdout)")
            XCTAssertTrue((object?["message"] as? String)?.contains("QFECR_KEY") ?? false, "\(arguments): \(run.stdout)")
            XCTAssertEqual(run.lines.count, 1, "one object: \(run.stdout)")
        }
    }

    func testABadKeyFlagIsReportedUnderTheKeyFlag() {
        let run = CommandRun(["pay", "1", "--channel", "wx", "--host", "127.0.0.1", "--key", String(repeating: "k", count: 33)],
                             environment: environment)
        XCTAssertEqual(run.exitCode, 4, run.stderr)
        XCTAssertTrue(run.stderr.contains("--key "), run.stderr)
        XCTAssertFalse(run.stderr.contains("--pos-key"), run.stderr)
        XCTAssertFalse(run.stderr.contains(String(repeating: "k", count: 33)), "the key is never shown")
    }
}
