import Foundation
import XCTest
import ECRProtocol
import ECREngine
@testable import ConsoleUI

/// What a first-time cashier tripped over in the demo, each kept fixed.
final class UsabilityTests: XCTestCase {
    /// F3 on a row that is no approved sale is refused; the refusal is about that row, so it goes once
    /// the cashier moves on (another row, a dialog, a result) instead of staying under a refund that worked.
    func testARefusalGoesWhenTheCashierMovesOn() {
        let till = Fixtures.till()
        let refused = Fixtures.press([.function(3)], till: till).0
        XCTAssertEqual(refused.notice?.text, Strings.onlyApprovedSales, "the newest row is a cancelled sale")
        XCTAssertNil(Fixtures.press([.tab, .tab, .down], from: refused, till: till).0.notice, "moving to another row clears it")
        let refunding = Fixtures.press([.tab, .tab, .down, .function(3)], from: refused, till: till).0
        XCTAssertNotNil(refunding.dialog, "the refund dialog is open")
        XCTAssertNil(refunding.notice, "and the refusal of the other row is gone")
        XCTAssertEqual(Fixtures.press([.function(8)], from: refused, till: till).0.notice, refused.notice,
                       "flipping the log's view is no reason to drop it")
        let text = ScreenRenderer.render(Fixtures.model(till, view: refused)).dump().joined(separator: " ")
        XCTAssertTrue(text.contains("Tab to History"), "the refusal says how to pick the sale: \(text)")
    }
}

extension UsabilityTests {
    /// The bottom-right corner vanished from the Chinese key bar at 80 columns after a redraw: curses
    /// puts that corner by inserting a character before it, which a wide character there does not
    /// survive. The key bar leaves the cell before the corner to the frame at every width.
    func testTheCellBeforeTheBottomRightCornerIsTheFrame() {
        for width in 80...160 {
            for language in Language.allCases {
                let grid = ScreenRenderer.render(Fixtures.model(Fixtures.till(), language: language, width: width, height: 24))
                XCTAssertEqual(grid[width - 2, 23].character, "─", "\(width) columns, \(language)")
                XCTAssertEqual(grid[width - 1, 23].character, "┘")
            }
        }
    }
}

extension UsabilityTests {
    /// LANG=zh_TW.UTF-8 on a till where that locale is not installed: curses would stay in "C" and
    /// draw every box line and Chinese character as `M-x` garbage. C.UTF-8 draws them instead.
    func testAUTF8LocaleThatIsNotInstalledFallsBackToCUTF8() {
        let saved = ProcessInfo.processInfo.environment["LC_ALL"]
        defer {
            if let saved { setenv("LC_ALL", saved, 1) } else { unsetenv("LC_ALL") }
            setlocale(LC_ALL, "C")
        }
        setenv("LC_ALL", "xx_NOWHERE.UTF-8", 1)
        CursesScreen.adoptLocale(wantsUTF8: true)
        XCTAssertEqual(String(cString: nl_langinfo(nl_item(CODESET))), "UTF-8")
        setlocale(LC_ALL, "C")
        CursesScreen.adoptLocale(wantsUTF8: false)
        XCTAssertEqual(String(cString: nl_langinfo(nl_item(CODESET))), "ANSI_X3.4-1968", "an ASCII terminal stays ASCII")
    }
}

extension UsabilityTests {
    /// Help longer than the window scrolls with ↑/↓ and PgUp/PgDn, says where it is, stops at the
    /// ends, and opens at the top again.
    func testALongHelpScrolls() {
        var till = Fixtures.till()
        till.helpNotes = (1...12).map { LocalizedText("note \($0)", "註 \($0)") }
        var (view, _) = Fixtures.press([.function(1)], till: till)
        var lines = ScreenRenderer.render(Fixtures.model(till, view: view)).dump()
        XCTAssertTrue(lines[23].contains("↑/↓ 1–22/"), lines[23])
        XCTAssertFalse(lines.joined().contains("note 12"))
        (view, _) = Fixtures.press([.pageDown, .pageDown, .pageDown], from: view, till: till)
        lines = ScreenRenderer.render(Fixtures.model(till, view: view)).dump()
        XCTAssertTrue(lines[22].contains("note 12"), "the end is reached: \(lines.joined(separator: "\n"))")
        let most = view.helpScroll
        (view, _) = Fixtures.press([.down], from: view, till: till)
        XCTAssertEqual(view.helpScroll, most, "it stops at the end")
        (view, _) = Fixtures.press([.up], from: view, till: till)
        XCTAssertEqual(view.helpScroll, most - 1)
        (view, _) = Fixtures.press([.escape, .function(1)], from: view, till: till)
        XCTAssertEqual(view.helpScroll, 0, "help opens at the top")
        let big = ScreenRenderer.render(Fixtures.model(till, view: view, width: 120, height: 40)).dump()
        XCTAssertTrue(big.joined().contains("note 12") && !big[39].contains("↑/↓"), "no scrolling where it fits")
    }
}

extension UsabilityTests {
    /// At 100 columns the history had room to spare but cut "Visa / Mast…": from 100 columns the
    /// channel's name is whole, and the syssn still fits beside it.
    func testTheChannelNameIsWholeInTheHistoryFromOneHundredColumns() {
        for language in Language.allCases {
            let lines = ScreenRenderer.render(Fixtures.model(Fixtures.till(), language: language, width: 100, height: 30)).dump()
            let row = lines.first { $0.contains("48.00") && $0.contains(Fixtures.sale3.syssn!) }
            XCTAssertNotNil(row, lines.joined(separator: "\n"))
            XCTAssertTrue(row?.contains(Channel.cardPayment.name.text(in: language)) == true, row ?? "")
        }
    }
}
