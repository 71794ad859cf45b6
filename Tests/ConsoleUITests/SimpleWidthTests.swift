import XCTest
@testable import ConsoleUI

/// The shortcut that skips grapheme breaking must give what walking characters gives.
final class SimpleWidthTests: XCTestCase {
    func testEverySimpleScalarHasItsCharacterWidth() {
        for value in UInt32(0)...0xFFFF {
            guard let scalar = Unicode.Scalar(value), let simple = TerminalText.simpleWidth(value) else { continue }
            XCTAssertEqual(simple, TerminalText.width(of: Character(scalar)), String(value, radix: 16))
        }
    }

    func testSimpleTextsAreOneCharacterAScalar() {
        for text in ["┌─ qfecr · Till 01 ─┐", "支付寶 ● ready …", "→ trade amt=123.45", "é ß ÿ ‰ ‼"] {
            XCTAssertEqual(text.unicodeScalars.count, text.count, text)
            XCTAssertEqual(TerminalText.simpleWidth(of: text), text.reduce(0) { $0 + TerminalText.width(of: $1) }, text)
        }
        for text in ["e\u{301}", "‼\u{FE0F}", "👍", "한글", "a\u{200D}b", "\r\n"] {
            XCTAssertNil(TerminalText.simpleWidth(of: text), text)
        }
    }

    func testGridsDrawSimpleAndOtherTextAlike() {
        for text in ["┌──┐ 支付 x", "支付寶支付寶", "ab支"] {
            for limit in 0...8 {
                var simple = CellGrid(width: 8, height: 1)
                simple.put(text, x: 1, y: 0, limit: limit)
                var walked = CellGrid(width: 8, height: 1)
                // A zero-width space at the end (no cell) sends the same text the character way.
                walked.put(text + "\u{200B}", x: 1, y: 0, limit: limit)
                XCTAssertTrue(simple == walked, "\(text) in \(limit)")
            }
        }
    }
}
