import XCTest
@testable import ArgumentParsing

final class TextWrappingTests: XCTestCase {
    func testWrapsAtTheWidthWithHangingIndent() {
        XCTAssertEqual(
            TextWrapping.wrap("one two three four five", width: 12, firstPrefix: "> ", indent: 2),
            ["> one two", "  three four", "  five"])
    }

    func testAWordLongerThanTheWidthStandsAlone() {
        XCTAssertEqual(TextWrapping.wrap("a abcdefghijkl b", width: 5), ["a", "abcdefghijkl", "b"])
    }

    func testRepeatedSpacesCollapse() {
        XCTAssertEqual(TextWrapping.wrap("  a   b  ", width: 80), ["a b"])
    }

    func testEmptyTextKeepsThePrefixWithoutTrailingSpaces() {
        XCTAssertEqual(TextWrapping.wrap("", width: 80, firstPrefix: "    "), [""])
    }
}
