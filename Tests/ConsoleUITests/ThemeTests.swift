import Foundation
import XCTest
@testable import ConsoleUI

/// The repository root, found from this file's place in it.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// `QFECR_RECORD=1 swift test --filter ConsoleUITests` rewrites recorded screens and the embedded themes.
let recording = ProcessInfo.processInfo.environment["QFECR_RECORD"] == "1"

final class ThemeTests: XCTestCase {
    func testEveryShippedThemeParsesAndSetsEveryRole() throws {
        XCTAssertEqual(ThemeCatalog.shippedNames, ["default", "high-contrast", "light", "mono"])
        for name in ThemeCatalog.shippedNames {
            let theme = try ThemeCatalog.shipped(name)
            XCTAssertEqual(Set(theme.styles.keys), Set(Role.allCases), "\(name) sets every role")
        }
        let mono = try ThemeCatalog.shipped("mono")
        for role in Role.allCases {
            XCTAssertEqual(mono.style(for: role).foreground, .terminalDefault, "mono has no colour (\(role))")
            XCTAssertEqual(mono.style(for: role).background, .terminalDefault)
        }
        XCTAssertEqual(mono.style(for: .selection).attributes, [.reverse])
    }

    func testEmbeddedThemesMatchTheThemesFolder() throws {
        let folder = repositoryRoot.appendingPathComponent("themes")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        var files: [String: String] = [:]
        for name in names { files[name] = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) }
        if recording {
            var source = """
            // Generated from the files in themes/ so the installed binary carries them; do not edit.
            // ThemeTests.testEmbeddedThemesMatchTheThemesFolder checks it; QFECR_RECORD=1 swift test rewrites it.
            enum ShippedThemes {
                static let files: [String: String] = [

            """
            for name in names {
                source += "        \"\(name)\": #\"\"\"\n" + files[name]!.trimmingCharacters(in: .newlines) + "\n\"\"\"#,\n"
            }
            source += "    ]\n}\n"
            try source.write(to: repositoryRoot.appendingPathComponent("Sources/ConsoleUI/ShippedThemes.swift"),
                             atomically: true, encoding: .utf8)
            return
        }
        XCTAssertEqual(ShippedThemes.files.keys.sorted(), names,
                       "themes/ and the embedded copy differ: run QFECR_RECORD=1 swift test --filter ConsoleUITests.ThemeTests")
        for name in names {
            XCTAssertEqual(ShippedThemes.files[name], files[name]!.trimmingCharacters(in: .newlines),
                           "themes/\(name) changed: run QFECR_RECORD=1 swift test --filter ConsoleUITests.ThemeTests")
        }
    }

    func testBrokenLinesAreReportedWithFileAndLine() {
        let cases: [(String, String)] = [
            ("normal default default\nsparkle red default\n", "t:2: unknown role 'sparkle'"),
            ("approved grean default\n", "t:1: unknown colour 'grean'"),
            ("# comment\n\napproved green default blink\n", "t:3: unknown attribute 'blink'"),
            ("approved green\n", "t:1: 'approved' needs a foreground and a background colour"),
            ("title cyan default\ntitle red default\n", "t:2: role 'title' is set twice"),
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try Theme.parse(text, name: "t", file: "t")) { error in
                XCTAssertTrue("\(error)".hasPrefix(expected), "\(error)")
            }
        }
    }

    func testAttributesCommentsAndLeftOutRoles() throws {
        let theme = try Theme.parse("normal white blue  # base\napproved bright-green default bold,underline\n",
                                    name: "mine", file: "mine")
        XCTAssertEqual(theme.style(for: .approved), Style(foreground: .indexed(10), background: .terminalDefault,
                                                          attributes: [.bold, .underline]))
        XCTAssertEqual(theme.style(for: .muted), Style(foreground: .indexed(7), background: .indexed(4)),
                       "a role left out looks like normal")
    }

    func testEightColourTerminalsGetPlainColoursInBold() {
        let bright = Style(foreground: .indexed(15), background: .indexed(9), attributes: [.underline])
        XCTAssertEqual(bright.limited(to: 8), Style(foreground: .indexed(7), background: .indexed(1), attributes: [.underline, .bold]))
        XCTAssertEqual(bright.limited(to: 256), bright)
        XCTAssertEqual(bright.limited(to: 2), Style(attributes: [.underline]))
    }

    func testUserThemesNoColorAndUnknownNames() throws {
        let home = NSTemporaryDirectory() + "qfecr-theme-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: home) }
        try FileManager.default.createDirectory(atPath: home + "/qfecr/themes", withIntermediateDirectories: true)
        try "approved black green bold\n".write(toFile: home + "/qfecr/themes/shop", atomically: true, encoding: .utf8)
        try "approved black pink\n".write(toFile: home + "/qfecr/themes/broken", atomically: true, encoding: .utf8)
        let environment = ["XDG_CONFIG_HOME": home]
        let catalog = ThemeCatalog(environment: environment)
        XCTAssertEqual(try catalog.load("shop", environment: environment).style(for: .approved).background, .indexed(2))
        XCTAssertEqual(try catalog.load("light", environment: environment).name, "light")
        XCTAssertThrowsError(try catalog.load("broken", environment: environment)) { error in
            XCTAssertEqual("\(error)".components(separatedBy: ": ").first, home + "/qfecr/themes/broken:1")
        }
        XCTAssertThrowsError(try catalog.load("neon", environment: environment)) { error in
            XCTAssertTrue("\(error)".contains("no theme 'neon'"), "\(error)")
        }
        let noColor = ["XDG_CONFIG_HOME": home, "NO_COLOR": "1"]
        XCTAssertEqual(try catalog.load("shop", environment: noColor).name, "mono", "NO_COLOR wins over the chosen theme")
    }
}
