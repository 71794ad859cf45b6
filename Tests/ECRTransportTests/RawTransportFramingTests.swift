import XCTest
@testable import ECRTransport

final class RawTransportFramingTests: XCTestCase {
    private func length(_ text: String) -> Int? {
        RawTransportFraming.completeAnswerLength(Array(text.utf8))
    }

    func testAJSONObjectEndsAtItsClosingBraceNotAtBracesInStrings() {
        XCTAssertEqual(length(#" {"respcd":"6000","data":"{\"a\":{}}"} trailing"#), 38)
        XCTAssertNil(length(#"{"respcd":"6000","data":"{"#))
        XCTAssertEqual(length(#"{"a":[{"b":"\"}"}]}"#), 19)
    }

    func testAQuotedStringEndsAtItsClosingQuote() {
        XCTAssertEqual(length(#""QUJD\"REVG" "#), 12)
        XCTAssertNil(length(#""QUJD"#))
    }

    func testBareBase64AndBlanksNeedTheEndOfTheStream() {
        XCTAssertNil(length("QUJDREVG"))
        XCTAssertNil(length(" \r\n"))
    }
}
