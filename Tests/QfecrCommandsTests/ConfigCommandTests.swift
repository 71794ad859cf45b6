import ECRConfiguration
import XCTest
import ECREngine
@testable import QfecrCommands

final class ConfigCommandTests: XCTestCase {
    func testInitWritesAPrivateFileThatLoads() throws {
        let dir = NSTemporaryDirectory() + "qfecr-config-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = CommandRun(["config", "init"], environment: ["XDG_CONFIG_HOME": dir])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let path = dir + "/qfecr/config"
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        XCTAssertNoThrow(try ProfileLoader(environment: [:]).load(configPath: path, profileName: nil, overrides: .init()))

        let again = CommandRun(["config", "init"], environment: ["XDG_CONFIG_HOME": dir])
        XCTAssertEqual(again.exitCode, 4)
        XCTAssertTrue(again.stderr.contains("--force"))
        XCTAssertEqual(CommandRun(["config", "init", "--force"], environment: ["XDG_CONFIG_HOME": dir]).exitCode, 0)
    }

    func testCommandTableDeclarationHasNoProblems() {
        XCTAssertEqual(CommandTable.root.specProblems(), [])
    }
}
