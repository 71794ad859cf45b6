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
