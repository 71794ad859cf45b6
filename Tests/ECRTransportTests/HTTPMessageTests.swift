import XCTest
@testable import ECRTransport

/// The lookups the server makes on every request, read as bytes where the text is ASCII.
final class HTTPMessageTests: XCTestCase {
    func testTokensAreFoundInCommaSeparatedValuesWhateverTheirCase() {
        let headers: HTTPHeaders = ["Host": "t", "connection": " keep-alive ,\tClose ", "Upgrade": "h2c"]
        XCTAssertTrue(headers.hasToken("close", in: "Connection"))
        XCTAssertTrue(headers.hasToken("KEEP-ALIVE", in: "CONNECTION"))
        XCTAssertFalse(headers.hasToken("clos", in: "Connection"))
        XCTAssertFalse(headers.hasToken("h2c", in: "Connection"), "only the named header counts")
        var repeated = HTTPHeaders()
        repeated.add("Connection", "upgrade")
        repeated.add("Connection", "close")
        XCTAssertTrue(repeated.hasToken("close", in: "connection"), "every field of the name is looked at")
        XCTAssertFalse(HTTPHeaders().hasToken("close", in: "Connection"))
        XCTAssertFalse((["Connection": " , ,"] as HTTPHeaders).hasToken("close", in: "Connection"))
        // Beyond ASCII, Unicode spaces are trimmed too, as Foundation trims them.
        XCTAssertTrue((["Connection": "\u{00A0}close\u{2003}"] as HTTPHeaders).hasToken("close", in: "Connection"))
        XCTAssertFalse((["Connection": "clöse"] as HTTPHeaders).hasToken("close", in: "Connection"))
    }

    func testThePathEndsAtTheQuery() {
        XCTAssertEqual(HTTPRequest(method: "POST", target: "/api/pos/trade").path, "/api/pos/trade")
        XCTAssertEqual(HTTPRequest(method: "GET", target: "/notify?a=1?b").path, "/notify")
        XCTAssertEqual(HTTPRequest(method: "GET", target: "?x").path, "")
    }
}
