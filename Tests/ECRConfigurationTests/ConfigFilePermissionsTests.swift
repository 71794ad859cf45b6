import XCTest
@testable import ECRConfiguration

final class ConfigFilePermissionsTests: ConfigFileTemporaryDirectoryTestCase {
    func testOwnerOnlyIsQuiet() throws {
        XCTAssertNil(ConfigFilePermissions.warning(forFileAt: try write("key = x", mode: 0o600)))
        XCTAssertNil(ConfigFilePermissions.warning(forFileAt: try write("key = x", to: "ro", mode: 0o400)))
    }

    func testReadableByOthersWarnsWithTheExactFix() throws {
        let path = try write("key = x", mode: 0o644)
        let warning = try XCTUnwrap(ConfigFilePermissions.warning(forFileAt: path))
        XCTAssertEqual(warning.mode, 0o644)
        XCTAssertEqual(warning.fixCommand, "chmod 600 \(path)")
        XCTAssertEqual(warning.description,
                       "\(path) holds the POS-KEY but other users can access it (mode 644); run: chmod 600 \(path)")
    }

    func testAnyGroupOrOtherAccessWarns() throws {
        for mode in [0o640, 0o604, 0o620, 0o601, 0o660, 0o666] {
            let path = try write("key = x", to: "config-\(String(mode, radix: 8))", mode: mode)
            XCTAssertNotNil(ConfigFilePermissions.warning(forFileAt: path), String(mode, radix: 8))
        }
    }

    func testFollowsASymlinkToTheFile() throws {
        let target = try write("key = x", to: "real", mode: 0o644)
        let link = directory + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        XCTAssertEqual(ConfigFilePermissions.warning(forFileAt: link)?.mode, 0o644)
    }

    func testMissingFileIsQuiet() {
        XCTAssertNil(ConfigFilePermissions.warning(forFileAt: directory + "/absent"))
    }

    func testPathsAreQuotedForTheShell() {
        XCTAssertEqual(ConfigFilePermissionWarning(path: "/home/till/my config", mode: 0o644).fixCommand,
                       "chmod 600 '/home/till/my config'")
        XCTAssertEqual(ConfigFilePermissionWarning(path: "/home/o'brien/config", mode: 0o644).fixCommand,
                       #"chmod 600 '/home/o'\''brien/config'"#)
        XCTAssertEqual(ConfigFilePermissionWarning(path: "/home/till/.config/qfecr/config", mode: 0o100644).fixCommand,
                       "chmod 600 /home/till/.config/qfecr/config")
    }

    func testModeIsShownInOctalWithThreeDigits() {
        XCTAssertEqual(ConfigFilePermissionWarning(path: "/c", mode: 0o100604).description,
                       "/c holds the POS-KEY but other users can access it (mode 604); run: chmod 600 /c")
        XCTAssertEqual(ConfigFilePermissionWarning(path: "/c", mode: 0o044).description,
                       "/c holds the POS-KEY but other users can access it (mode 044); run: chmod 600 /c")
    }
}
