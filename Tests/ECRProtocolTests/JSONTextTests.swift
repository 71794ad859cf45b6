import XCTest
@testable import ECRProtocol

/// Strings written out and read back, byte for byte: the writer copies unescaped runs as UTF-8 and
/// the reader gathers escaped strings as UTF-8 before decoding them.
final class JSONTextTests: XCTestCase {
    func testStringsAreEscapedExactlyAsStrictJSONNeeds() {
        XCTAssertEqual(JSONValue.string("a\"b\\c/d").serialized(), #""a\"b\\c/d""#)
        XCTAssertEqual(JSONValue.string("\n\r\t\u{08}\u{0C}\u{01}\u{1F}").serialized(), #""\n\r\t\b\f\u0001\u001f""#)
        XCTAssertEqual(JSONValue.string("支付寶 é e\u{301} 👍🏽 \u{7F}\u{2028}").serialized(), "\"支付寶 é e\u{301} 👍🏽 \u{7F}\u{2028}\"",
                       "everything else is copied as it is")
        XCTAssertEqual(JSONValue.string("\"\u{301}").serialized(), "\"\\\"\u{301}\"", "a quote carrying a combining mark")
        let object = JSONValue.object(JSONObject([("k\"", .string("v")), ("n", .number("007")), ("a", .array([.bool(true), .null]))]))
        XCTAssertEqual(object.serialized(), #"{"k\"":"v","n":7,"a":[true,null]}"#)
    }

    func testEscapedStringsReadBackTheSame() throws {
        let samples = ["plain", "", "a\"b", "支付\n寶", "\\u{301}", "e\u{301}\t\u{1}", "👍🏽\"\"", #"{\"respcd\":\"0000\"}"#]
        for sample in samples {
            XCTAssertEqual(try JSONParser.parse(JSONValue.string(sample).serialized()), .string(sample), sample)
        }
        XCTAssertEqual(try JSONParser.parse(#""\u00e9\ud83d\udc4d\/""#), .string("é👍/"))
        XCTAssertEqual(try JSONParser.parse(#"'it\'s'"#, lenient: true), .string("it's"))
        // A cut UTF-8 sequence before an escape reads as one replacement character, as before.
        XCTAssertEqual(try JSONParser.parse([0x22, 0xE4, 0xB8, 0x5C, 0x6E, 0x22]), .string("\u{FFFD}\n"))
    }

    func testDuplicateKeysAreStillRefusedAndOrderKept() throws {
        XCTAssertThrowsError(try JSONParser.parse(#"{"a":1,"b":2,"a":3}"#))
        guard case .object(let object) = try JSONParser.parse(#"{"z":1,"a":{"y":2,"b":3}}"#) else { return XCTFail() }
        XCTAssertEqual(object.keys, ["z", "a"])
        XCTAssertEqual(object["a"]?.objectValue?.keys, ["y", "b"])
    }

    /// A long object built in code keeps its order, a repeated key replaces the first one where it
    /// stood; and number literals come out as strict JSON writes them.
    func testLongObjectsKeepTheirOrderAndLastValueAndNumbersAreStrict() {
        let keys = (0..<12).map { "k\($0)" }
        let distinct = JSONObject(keys.map { ($0, JSONValue.string($0)) })
        XCTAssertEqual(distinct.keys, keys)
        let repeated = JSONObject(keys.map { ($0, JSONValue.string($0)) } + [("k3", .number("9")), ("e\u{301}", .null), ("\u{e9}", .bool(true))])
        XCTAssertEqual(repeated.keys, keys + ["e\u{301}"], "é written two ways is one key, as String compares it")
        XCTAssertEqual(repeated["k3"], .number("9"))
        XCTAssertEqual(repeated["\u{e9}"], .bool(true))
        let literals = ["0", "7", "100", "-0", "-000", "0726", "10.50", "-3e2", "1E+3", "12x", "", "-", "٣"]
        XCTAssertEqual(literals.map { JSONValue.number($0).serialized() },
                       ["0", "7", "100", "-0", "-0", "726", "10.50", "-3e2", "1E+3", #""12x""#, #""""#, #""-""#, #""٣""#])
    }
}
