import XCTest
@testable import ECRProtocol

/// Known member names are taken as literals; the parsed object is the same as if each key were
/// decoded, for names known, unknown, escaped and near misses.
final class JSONKeyNamesTests: XCTestCase {
    private func known(_ text: String) -> String? {
        Array(text.utf8).withUnsafeBufferPointer { JSONKeyNames.known($0) }
    }

    func testEachKnownNameIsItselfAndNothingElseIsKnown() {
        for name in ["respcd", "respmsg", "resperr", "data", "syssn", "out_trade_no", "txamt", "allow_refund_amt",
                     "orig_out_trade_no", "server_time", "amt", "udid", "customer_source"] {
            XCTAssertEqual(known(name), name)
        }
        for other in ["", "respce", "Respcd", "respcd ", "resp", "out_trade_nO", "xyz", "a_name_longer_than_any_known_name"] {
            XCTAssertNil(known(other), other)
        }
    }

    func testAnObjectReadsTheSameWithKnownUnknownAndEscapedKeys() throws {
        let text = #"{"respcd":"0000","resp\u0063d2":"1","respce":"x","syssn":"20251121000100020001","data":"{\"a\":1}"}"#
        let value = try JSONParser.parse(text)
        guard case .object(let object) = value else { return XCTFail("not an object: \(value)") }
        XCTAssertEqual(object.members.map(\.key), ["respcd", "respcd2", "respce", "syssn", "data"])
        XCTAssertEqual(object["respcd"], .string("0000"))
        XCTAssertEqual(object["respcd2"], .string("1"))
        XCTAssertEqual(object["data"], .string(#"{"a":1}"#))
        XCTAssertThrowsError(try JSONParser.parse(#"{"respcd":"1","respcd":"2"}"#), "a known name twice is still a duplicate")
    }

    func testManyEscapedStringsShareTheScratchAndReadBackWhole() throws {
        // Each later string is unescaped into the buffer the first one made.
        let members = (0..<50).map { #""k\#($0)":"line\n\#($0)\t\"q\"\u00e9""# }
        let value = try JSONParser.parse("{" + members.joined(separator: ",") + "}")
        guard case .object(let object) = value else { return XCTFail("not an object") }
        for index in 0..<50 { XCTAssertEqual(object["k\(index)"], .string("line\n\(index)\t\"q\"é")) }
    }
}
