import Foundation
import XCTest
import CNcursesw
@testable import ConsoleUI

/// The curses side that runs without a terminal: key decoding and the wake pipe.
final class BackendTests: XCTestCase {
    func testKeysFromCursesMapToTheKeyContract() {
        let keys: [(UInt32, Bool, TerminalInput)] = [
            (UInt32(KEY_F0 + 1), true, .key(.function(1))), (UInt32(KEY_F0 + 10), true, .key(.function(10))),
            (UInt32(KEY_UP), true, .key(.up)), (UInt32(KEY_DOWN), true, .key(.down)),
            (UInt32(KEY_NPAGE), true, .key(.pageDown)), (UInt32(KEY_PPAGE), true, .key(.pageUp)),
            (UInt32(KEY_BACKSPACE), true, .key(.backspace)), (UInt32(KEY_ENTER), true, .key(.enter)),
            (UInt32(KEY_BTAB), true, .key(.backTab)), (UInt32(qfecr_key_resize()), true, .resize),
            (13, false, .key(.enter)), (10, false, .key(.enter)), (127, false, .key(.backspace)), (8, false, .key(.backspace)),
            (9, false, .key(.tab)), (27, false, .key(.escape)), (0x31, false, .key(.character("1"))),
            (0x2E, false, .key(.character("."))), (0x7D50, false, .key(.character("結"))),
        ]
        for (code, function, expected) in keys {
            XCTAssertEqual(KeyDecoder.decode(code, isFunctionKey: function), expected, "\(code) \(function)")
        }
        XCTAssertNil(KeyDecoder.decode(1, isFunctionKey: false), "control characters other than the contract's are ignored")
    }

    func testAnAsciiTerminalGetsStandInsCellForCell() {
        let text = "↑ / ↓  80×24  收款 ✔ ok"
        let shown = CursesScreen.ascii(text)
        XCTAssertEqual(shown, "^ / v  80x24  ???? ? ok")
        XCTAssertEqual(shown.count, TerminalText.width(of: text), "the layout keeps its cells")
    }

    func testTheWakePipeCarriesWakesAndSignalNumbersWithoutBlocking() throws {
        let wake = try ConsoleWake()
        XCTAssertEqual(wake.drain(), [], "an empty pipe reads nothing and does not block")
        wake.wake()
        var byte = UInt8(SIGWINCH)
        _ = write(wake.writeDescriptor, &byte, 1)
        XCTAssertEqual(wake.drain(), [0, UInt8(SIGWINCH)])
    }

    func testTheConsoleRefusesToOpenWithoutATerminal() throws {
        guard !CursesScreen.isTerminal else { throw XCTSkip("the tests run in a terminal") }
        final class Still: TillSource {
            func currentTill() -> TillState { Fixtures.till() }
            func perform(_ intent: Intent) {}
            func takeNotices() -> [Notice] { [] }
            func attach(_ wake: ConsoleWake) {}
        }
        let settings = ConsoleSettings(language: .english, theme: try ThemeCatalog.shipped("mono"), glyphs: .ascii)
        XCTAssertThrowsError(try ConsoleLoop.run(source: Still(), settings: settings)) { error in
            XCTAssertEqual(error as? ConsoleError, .notATerminal)
            XCTAssertTrue("\(error)".contains("needs a terminal"))
        }
    }
}
