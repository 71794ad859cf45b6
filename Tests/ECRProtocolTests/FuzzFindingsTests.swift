import XCTest
@testable import ECRProtocol

/// Inputs `make fuzz` found, kept as they were found (the reproducing bytes), each with the
/// behaviour that is right for it.
final class FuzzFindingsTests: XCTestCase {
    /// envelope_decoder, crash-2be65927…: a strict JSON envelope whose content has the key
    /// `fun~c_type`. It decoded, but its formatted content `{fun~c_type=4001,…}` could not be read
    /// back (a bare key cannot hold `~`), so a request re-encoded from it was unreadable and its
    /// digest could never match. Such a key is now refused where the content is read.
    func testAContentKeyTheFormatCannotCarryIsRefused() {
        let bytes: [UInt8] = Array(#"{"content": {"fun~c_type": 4001, "orderId": "12345678"}, "digest": "997304AC964522D10F51660B4"}"#.utf8)
        XCTAssertThrowsError(try EnvelopeDecoder.decode(bytes, posKey: "f46b1f08bec1f39104792cc79ec9aacd")) { error in
            XCTAssertEqual(error as? EnvelopeError, .content(.unformattableKey("fun~c_type")))
            XCTAssertTrue("\(error)".contains("fun~c_type"), "\(error)")
        }
        XCTAssertThrowsError(try Content(["fun~c_type": .integer(4001)]).formatted()) { error in
            XCTAssertEqual(error as? ContentError, .unformattableKey("fun~c_type"))
        }
        XCTAssertThrowsError(try Content(["": .integer(1)]).formatted(), "an empty key cannot be written either")
        XCTAssertEqual(try Content(["func_type": .integer(4001), "x-y": .string("a")]).formatted(), "{func_type=4001,x-y='a'}")
    }

    /// The same round trip for values: a backslash or a control character in a string is read back
    /// by the terminal's reader as an escape (or refused), so it is refused when formatting.
    func testAValueTheFormatCannotCarryIsRefused() {
        for bad in ["a\\nb", "line\nbreak", "tab\there", "del\u{7F}"] {
            XCTAssertThrowsError(try Content(["note": .string(bad)]).formatted(), bad) { error in
                guard case .unformattableCharacter(let field, _)? = error as? ContentError else { return XCTFail("\(error)") }
                XCTAssertEqual(field, "note")
            }
        }
    }

    /// response_decoder, crash-be28135b… (found once leniently read numbers could keep leading
    /// zeros): `{"respcd":0726,…}` read leniently was written back as `0726`, which is not JSON, so
    /// an answer passed on (`--json`, the simulator) could not be read. Such a literal is written as
    /// a string with the same digits; every other number is written as it came.
    func testANumberLiteralJSONDoesNotAllowIsWrittenAsAString() throws {
        XCTAssertEqual(JSONValue.object(JSONObject([("respcd", .number("0726")), ("txamt", .number("5"))])).serialized(),
                       #"{"respcd":"0726","txamt":5}"#)
        for literal in ["0", "-0", "10", "-12.50", "0.5", "1e5", "2E-3", "1.5e+10"] {
            XCTAssertEqual(JSONValue.number(literal).serialized(), literal)
        }
        for literal in ["0000", "-01", "1.", ".5", "1e", "+1", "", "12a"] {
            let text = JSONValue.number(literal).serialized()
            XCTAssertEqual(try JSONParser.parse(text), .string(literal), text)
        }
    }
}
