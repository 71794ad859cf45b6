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

    /// envelope_decoder, crash-43a0e419…: content with null values, re-encoded encrypted, came back
    /// with empty strings where the nulls were. That is the protocol (a null is formatted as `''`,
    /// PROTOCOL.md §1), so the digest is the same either way; the target's check was too strict and
    /// now compares formatted content for the encrypted form. Pinned here: same formatted content,
    /// same digest, and the plain form keeps the null.
    func testANullValueReadsBackAsAnEmptyStringFromTheEncryptedFormWithTheSameDigest() throws {
        let key = "f46b1f08bec1f39104792cc79ec9aacd"
        let bytes = Array("{content:{amt=100,chaonel='card_payment',func_tyt_trade_not=null,ote=null,gt='456799999999'}, digest:'2488996B9F24285B41488ECB435B331D'}".utf8)
        let content = try EnvelopeDecoder.decode(bytes, posKey: key).content
        XCTAssertEqual(content["ote"], .null)
        let sealed = try EnvelopeEncoder.encode(content, posKey: key, encryption: true)
        let back = try EnvelopeDecoder.decode(Array(sealed.body.utf8), posKey: key)
        XCTAssertEqual(back.content["ote"], .string(""))
        XCTAssertEqual(try back.content.formatted(), try content.formatted())
        XCTAssertTrue(back.digestMatches(posKey: key))
        let plain = try EnvelopeEncoder.encode(content, posKey: key, encryption: false)
        XCTAssertEqual(try EnvelopeDecoder.decode(Array(plain.body.utf8), posKey: key).content, content)
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

    /// response_decoder, crash-be28135b… (found once the lenient reader kept leading zeros, as in a
    /// code such as `0726` sent as a number): written back verbatim, `{"respcd":0726,…}` was not
    /// JSON, so an answer passed on (`--json`, the simulator) could not be read. Numbers are written
    /// as strict JSON has them (`726`: the same number, and the same four-digit code), and request
    /// content keeps the same canonical form, so its digest is the same however it was sent.
    func testANumberLiteralWithLeadingZerosIsWrittenAsStrictJSON() throws {
        let answer = JSONValue.object(JSONObject([("respcd", .number("0726")), ("txamt", .number("-000")), ("x", .number("00.50"))]))
        XCTAssertEqual(answer.serialized(), #"{"respcd":726,"txamt":-0,"x":0.50}"#)
        XCTAssertNoThrow(try JSONParser.parse(answer.serialized()))
        for literal in ["0", "-0", "10", "-12.50", "0.5", "1e5", "2E-3", "1.5e+10"] {
            XCTAssertEqual(JSONValue.number(literal).serialized(), literal)
        }
        for literal in ["1.", ".5", "1e", "+1", "", "12a", "--1"] {
            XCTAssertEqual(try JSONParser.parse(JSONValue.number(literal).serialized()), .string(literal), "no number: kept as text")
        }
        XCTAssertEqual(ContentValue.canonicalNumber("0100"), "100")
        XCTAssertEqual(ContentValue.canonicalNumber("-000"), "0")
        XCTAssertEqual(ContentValue.canonicalNumber("007.10"), "7.1")
        let content = try Content(json: JSONObject([("amt", .number("0100")), ("func_type", .number("1001"))]))
        XCTAssertEqual(try content.formatted(), "{amt=100,func_type=1001}")
    }

    /// Found by the response fuzzer: an outer `respcd` sent as the number `06e00` read as the code
    /// `06e00`, and the same answer written out and read back as `6e00`. A number that is not a
    /// plain integer reads as its strict form, so the code is the same however it was written.
    func testAnExponentCodeReadsTheSameWrittenOutAndBack() throws {
        let bytes = Array(#"{"respcd":06e00,"data":{"respcHtxamt":00,"daamt":5}}"#.utf8)
        let response = try ResponseDecoder.decode(bytes, posKey: nil)
        let again = try ResponseDecoder.decode(Array(response.serialized().utf8), posKey: nil)
        XCTAssertEqual(response.outer, again.outer)
        XCTAssertEqual(response.outer.code, "6e00")
        XCTAssertEqual(again.serialized(), response.serialized())
    }
}
