import XCTest
@testable import ECRProtocol

final class ChannelTests: XCTestCase {
    func testNineChannelsWithTheirRules() {
        XCTAssertEqual(Channel.allCases.count, 9)
        XCTAssertEqual(Channel(payType: "800101"), .alipay)
        XCTAssertEqual(Channel(payType: "802808"), .cardPayment)
        XCTAssertNil(Channel(payType: "000000"))
        XCTAssertFalse(Channel.fps.allowsRefund)
        XCTAssertFalse(Channel.octopus.allowsRefund)
        XCTAssertTrue(Channel.wechat.allowsRefund)
        XCTAssertEqual(Channel.allCases.filter(\.cardRulesApply), [.cardPayment, .unionPayCard, .amexCard])
        XCTAssertEqual(Channel.allCases.filter(\.acceptedByPaxA920), [.wechat, .alipay, .payme, .unionQR, .fps])
        XCTAssertEqual(Channel.payme.maximumPaymentTimeout, 120)
        XCTAssertEqual(Channel.wechat.name.text(in: .traditionalChinese), "微信支付")
    }

    func testParseNamesAndAliases() throws {
        XCTAssertEqual(try Channel.parse("card_payment"), .cardPayment)
        XCTAssertEqual(try Channel.parse("Visa"), .cardPayment)
        XCTAssertEqual(try Channel.parse("wechat"), .wechat)
        XCTAssertThrowsError(try Channel.parse("bitcoin")) { error in
            XCTAssertTrue("\(error)".contains("use one of card_payment, wx"))
        }
    }
}

final class JSONParserTests: XCTestCase {
    func testNumbersKeepTheirText() throws {
        XCTAssertEqual(try JSONParser.parse("[0.07, 100, -1.5e3]"), .array([.number("0.07"), .number("100"), .number("-1.5e3")]))
    }

    func testStringsKeepEveryScalarAroundEscapes() throws {
        // Runs before, between and after escapes; a surrogate pair; raw UTF-8; a lone invalid byte repaired.
        XCTAssertEqual(try JSONParser.parse(#"["plain", "a\"b\\c\/d\n", "\u00e9t\u00E9 \ud83d\ude00!", "e\u0301", "", "\t"]"#),
                       .array([.string("plain"), .string("a\"b\\c/d\n"), .string("été 😀!"), .string("e\u{301}"), .string(""),
                               .string("\t")]))
        XCTAssertEqual(try JSONParser.parse(Array("[\"退款 ok\"]".utf8)), .array([.string("退款 ok")]))
        XCTAssertEqual(try JSONParser.parse([0x22, 0x61, 0xFF, 0x5C, 0x6E, 0x62, 0x22]), .string("a\u{FFFD}\nb"))
        // String equality is canonical; the scalars themselves must come through unchanged.
        guard case .string(let combined) = try JSONParser.parse(#""e\u0301\u00e9""#) else { return XCTFail("not a string") }
        XCTAssertEqual(Array(combined.unicodeScalars), ["e", "\u{301}", "\u{e9}"])
        XCTAssertEqual(try JSONParser.parse("{'k': 'it\\'s'}", lenient: true), .object(JSONObject([("k", .string("it's"))])))
    }

    func testStrictRefusesLenientSyntax() {
        XCTAssertThrowsError(try JSONParser.parse("{a:1}"))
        XCTAssertThrowsError(try JSONParser.parse("{'a':1}"))
        XCTAssertThrowsError(try JSONParser.parse(#"{"a"=1}"#))
        XCTAssertNoThrow(try JSONParser.parse("{a=1, 'b': 'x'}", lenient: true))
    }

    func testMalformedInputFailsWithOffset() {
        for bad in ["", "{", "{\"a\":}", "[1,]", "\"abc", "01x", "{\"a\":1,\"a\":2}", "nul", "\"\\q\"", "[1 2]"] {
            XCTAssertThrowsError(try JSONParser.parse(bad), bad)
        }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        XCTAssertThrowsError(try JSONParser.parse(deep)) { error in
            XCTAssertTrue("\(error)".contains("nested too deeply"))
        }
    }

    func testEscapesAndSurrogates() throws {
        XCTAssertEqual(try JSONParser.parse(#""a\"b\\c\n\u00e9\ud83d\ude00""#), .string("a\"b\\c\né😀"))
        XCTAssertEqual(JSONValue.string("a\"\n\u{01}").serialized(), #""a\"\n\u0001""#)
    }
}
