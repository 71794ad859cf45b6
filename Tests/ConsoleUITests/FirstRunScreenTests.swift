import Foundation
import XCTest
import ECRProtocol
@testable import ConsoleUI

/// The first-run screen: the console's frame, status line and key bar around what to set and where.
final class FirstRunScreenTests: XCTestCase {
    static let lan = FirstRunFacts(configPath: "/home/till/.config/qfecr/config", configExists: false, transport: "http",
                                   items: [FirstRunItem(.transport, isSet: true, isDefault: true), FirstRunItem(.host, isSet: false),
                                           FirstRunItem(.posKey, isSet: false)])
    static let cloud = FirstRunFacts(configPath: "/etc/qfecr/till.conf", configExists: true, transport: "cloud",
                                     items: [FirstRunItem(.transport, isSet: true), FirstRunItem(.terminalID, isSet: false),
                                             FirstRunItem(.cloudAppCode, isSet: true), FirstRunItem(.cloudClientKey, isSet: false)])

    func dump(_ facts: FirstRunFacts, _ width: Int, _ height: Int, _ language: Language, glyphs: Glyphs = .unicode) -> CellGrid {
        FirstRunScreen.render(facts, width: width, height: height, now: Fixtures.now, language: language, glyphs: glyphs, timeZone: Fixtures.utc)
    }

    func testTheScreenAtEightyAndOneHundredTwentyColumnsInBothLanguages() {
        for (width, height) in ScreenTests.sizes {
            for language in Language.allCases {
                assertScreen(dump(Self.lan, width, height, language), "first-run-\(width)x\(height)-\(language.rawValue)")
            }
        }
        for language in Language.allCases { assertScreen(dump(Self.cloud, 80, 24, language), "first-run-cloud-80x24-\(language.rawValue)") }
        assertScreen(dump(Self.lan, 80, 24, .english, glyphs: .ascii), "first-run-80x24-ascii")
    }

    /// Everything the cashier needs is on the smallest screen: the file, each setting, how to create
    /// the file, and the keys; in the console's frame with its status line and key bar.
    func testItSaysWhatToSetWhereAndOffersTheDemo() {
        for language in Language.allCases {
            for facts in [Self.lan, Self.cloud] {
                let lines = dump(facts, 80, 24, language).dump()
                let text = lines.joined(separator: "\n")
                XCTAssertTrue(text.contains(facts.configPath), text)
                for item in facts.items { XCTAssertTrue(text.contains(Strings.firstRunLine(item.setting, facts.transport)), text) }
                XCTAssertTrue(text.contains("qfecr config init"), text)
                XCTAssertTrue(text.contains("Enter") && text.contains(" d ") && text.contains("F10") && text.contains(" x "), text)
                XCTAssertTrue(lines[0].hasPrefix("┌ qfecr · ") && lines[0].hasSuffix("14:32 ┐"), lines[0])
                XCTAssertTrue(lines[23].hasPrefix("└Enter ") && lines[23].contains("F10 ") && lines[23].hasSuffix("┘"), lines[23])
            }
        }
        let english = dump(Self.lan, 80, 24, .english).dump().joined(separator: "\n")
        for expected in ["QFECR_KEY", "(not there yet)", "✘ pos_key", "· transport = http      default:", "qfecr demo"] {
            XCTAssertTrue(english.contains(expected), "\(expected): \(english)")
        }
        let cloud = dump(Self.cloud, 80, 24, .english).dump().joined()
        XCTAssertTrue(cloud.contains("QFECR_CLIENT_KEY"))
        XCTAssertTrue(cloud.contains("✔ transport = cloud       set:"), "written in the file: ticked, " + cloud)
    }

    func testTooSmallSaysSoAndF10StillQuits() {
        let text = dump(Self.lan, 50, 15, .english).dump().joined(separator: "\n")
        XCTAssertTrue(text.contains("window too small (need 80×24, have 50×15)"), text)
        XCTAssertEqual(KeyTable.firstRunAction(for: .function(10)), .quit)
    }

    /// Enter or d start the demo, F10 or x quit; nothing else does anything. The screen's keys are its
    /// own: they are not in the console's table, so `d` there never clashes with a console key.
    func testTheScreensOwnKeys() {
        for key in [Key.enter, .character("d"), .character("D")] { XCTAssertEqual(KeyTable.firstRunAction(for: key), .submit, key.name) }
        for key in [Key.function(10), .character("x"), .character("X")] { XCTAssertEqual(KeyTable.firstRunAction(for: key), .quit, key.name) }
        for key in [Key.escape, .character("q"), .character("1"), .function(1), .tab] { XCTAssertNil(KeyTable.firstRunAction(for: key), key.name) }
        XCTAssertFalse(KeyTable.bindings.contains { $0.context == .firstRun })
        XCTAssertFalse(KeyTable.helpRows.contains { $0.label == KeyTable.firstRun[0].label })
    }

    /// For a pipe (and left behind when the screen quits): the same words as plain text.
    func testThePlainText() {
        let text = FirstRunScreen.plainText(Self.lan, language: .english)
        XCTAssertTrue(text.hasPrefix("qfecr — first run: no payment terminal configured\n"), text)
        for expected in ["/home/till/.config/qfecr/config", "host = 192.168.1.50", "pos_key", "QFECR_KEY", "`qfecr config init`", "`qfecr demo`"] {
            XCTAssertTrue(text.contains(expected), "\(expected): \(text)")
        }
        XCTAssertFalse(text.contains("Enter"), "no keys in plain text: \(text)")
        XCTAssertTrue(FirstRunScreen.plainText(Self.lan, language: .traditionalChinese).contains("首次使用"))
    }
}

extension FirstRunScreenTests {
    func testKeysEndTheScreen() {
        XCTAssertEqual(FirstRunScreen.exit(for: .enter, width: 80, height: 24), .demo)
        XCTAssertEqual(FirstRunScreen.exit(for: .character("d"), width: 120, height: 40), .demo)
        XCTAssertEqual(FirstRunScreen.exit(for: .character("x"), width: 80, height: 24), .quit)
        XCTAssertNil(FirstRunScreen.exit(for: .character("q"), width: 80, height: 24))
        XCTAssertNil(FirstRunScreen.exit(for: .enter, width: 50, height: 15), "too small: only quitting")
        XCTAssertEqual(FirstRunScreen.exit(for: .function(10), width: 50, height: 15), .quit)
    }
}
