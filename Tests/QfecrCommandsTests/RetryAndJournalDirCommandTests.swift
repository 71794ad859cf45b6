import Foundation
import XCTest
@testable import QfecrCommands

/// What the cashier reads about `--charge-again`, and a `journal_dir` the till refuses before use.
final class RetryAndJournalDirCommandTests: XCTestCase {
    private var till: EmptyTill!
    override func setUpWithError() throws { till = try EmptyTill("retry-journal-dir") }
    override func tearDown() { till = nil }

    func testPayHelpDocumentsChargeAgain() {
        let run = CommandRun(["pay", "--help"], environment: till.environment)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("--charge-again"), run.stdout)
        XCTAssertTrue(run.stdout.contains("found approved"), run.stdout)
    }

    func testARelativeJournalDirIsAConfigurationErrorWithFileAndLine() throws {
        let config = till.root.appendingPathComponent("config").path
        try "transport = http\njournal_dir = journal\n".write(toFile: config, atomically: true, encoding: .utf8)
        for arguments in [["history"], ["pay", "1.00", "--channel", "wx", "--host", "127.0.0.1"]] {
            let run = CommandRun(arguments + ["--config", config], environment: till.environment.merging(keyEnvironment) { $1 })
            XCTAssertEqual(run.exitCode, 4, "\(arguments): \(run.stdout) \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("\(config):2: invalid value for 'journal_dir': must be an absolute path"), run.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/journal"),
                           "no journal was made relative to the working directory")
        }
    }
}
