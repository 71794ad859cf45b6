import XCTest
@testable import ECRProtocol

final class ResponseTests: XCTestCase {
    let key = "f46b1f08bec1f39104792cc79ec9aacd"

    func testPlainAnswerWithDataAsString() throws {
        let text = #"{"respcd":"6000","respmsg":"OK","resperr":"","data":"{\"respcd\":\"0000\",\"syssn\":\"20251121000001\",\"txamt\":\"1050\",\"busicd\":\"800208\",\"cardscheme\":\"\",\"extra\":{\"x\":1}}"}"#
        let response = try ResponseDecoder.decode(Array(text.utf8), posKey: nil)
        XCTAssertEqual(response.outer, .accepted)
        XCTAssertEqual(response.category, .success)
        XCTAssertEqual(response.data?.syssn, "20251121000001")
        XCTAssertEqual(response.data?.amount, Amount(cents: 1050))
        XCTAssertEqual(response.data?.channel, .wechat)
        XCTAssertNil(response.data?.cardScheme)
        XCTAssertNotNil(response.data?.fields["extra"], "unknown fields are kept")
        XCTAssertFalse(response.wasEncrypted)
    }

    func testDataAsObjectAndNumbersForAmounts() throws {
        let text = #"{"respcd":"6000","data":{"respcd":"0000","txamt":1050,"allow_refund_amt":500,"cancel":5}}"#
        let response = try ResponseDecoder.decode(Array(text.utf8), posKey: nil)
        XCTAssertEqual(response.data?.amount, Amount(cents: 1050))
        XCTAssertEqual(response.data?.refundableAmount, Amount(cents: 500))
        XCTAssertEqual(response.data?.cancelState, .partiallyRefunded)
    }

    /// Some firmware sends codes as JSON numbers: they are the same codes as the strings.
    func testNumericStatusCodesReadAsTheirStrings() throws {
        for (text, outer, inner) in [
            (#"{"respcd":6000,"data":{"respcd":0,"syssn":"S1"}}"#, "6000", "0000"),
            (#"{"respcd":6000,"data":"{\"respcd\":0000}"}"#, "6000", "0000"),
            (#"{"respcd":6000,"data":{"respcd":1145}}"#, "6000", "1145"),
            (#"{"respcd":"6000","data":{"respcd":"0000"}}"#, "6000", "0000"),
            (#"{"respcd":6000,"data":{"respcd":0000,"txamt":0100}}"#, "6000", "0000"),
            (#"{"respcd":006000,"data":{"respcd":000606}}"#, "6000", "0606"),
        ] {
            let response = try ResponseDecoder.decode(Array(text.utf8), posKey: nil)
            XCTAssertEqual(response.outer.code, outer, text)
            XCTAssertEqual(response.data?.status?.code, inner, text)
        }
        let approved = try ResponseDecoder.decode(Array(#"{"respcd":6000,"data":{"respcd":0}}"#.utf8), posKey: nil)
        XCTAssertEqual(approved.outer, .accepted)
        XCTAssertEqual(approved.category, .success, "a numeric 0 is 0000: approved")
        let rejected = try ResponseDecoder.decode(Array(#"{"respcd":4003,"respmsg":"denied"}"#.utf8), posKey: nil)
        XCTAssertEqual(rejected.outer, .denied)
        XCTAssertEqual(rejected.category, .rejected)
    }

    func testCategories() throws {
        func category(_ text: String) throws -> StatusCategory {
            try ResponseDecoder.decode(Array(text.utf8), posKey: nil).category
        }
        XCTAssertEqual(try category(#"{"respcd":"6000"}"#), .pending)
        XCTAssertEqual(try category(#"{"respcd":"6000","data":""}"#), .pending)
        XCTAssertEqual(try category(#"{"respcd":"6000","data":"{\"respcd\":\"1143\"}"}"#), .pending)
        XCTAssertEqual(try category(#"{"respcd":"6000","data":"{\"respcd\":\"1145\"}"}"#), .pending)
        XCTAssertEqual(try category(#"{"respcd":"6000","data":"{\"respcd\":\"1136\"}"}"#), .notFound)
        XCTAssertEqual(try category(#"{"respcd":"6000","data":"{\"respcd\":\"1205\"}"}"#), .failure)
        XCTAssertEqual(try category(#"{"respcd":"6001"}"#), .cancelled)
        for code in ["4003", "4004", "4005", "4006", "4007", "5001", "6002"] {
            XCTAssertEqual(try category("{\"respcd\":\"\(code)\"}"), .rejected, code)
        }
    }

    func testMeaningsInBothLanguages() throws {
        let r = try ResponseDecoder.decode(Array(#"{"respcd":"4003"}"#.utf8), posKey: nil)
        XCTAssertTrue(r.meaning().contains("POS-KEY mismatch"))
        XCTAssertTrue(r.meaning(in: .traditionalChinese).contains("POS-KEY 不匹配"))
        XCTAssertEqual(TransactionStatus(code: "9999").meaning.english, "transaction failed (code 9999)")
    }

    func testEncryptedAnswerIsDecrypted() throws {
        let cipher = try AESCipher(posKey: key)
        let body = "\"" + cipher.encryptToBase64(#"{"respcd":"6000","data":"{\"respcd\":\"0000\"}"}"#) + "\""
        let response = try ResponseDecoder.decode(Array(body.utf8), posKey: key)
        XCTAssertEqual(response.category, .success)
        XCTAssertTrue(response.wasEncrypted)
    }

    func testGarbledAnswersAreTypedErrors() {
        XCTAssertThrowsError(try ResponseDecoder.decode(Array("<html>oops</html>".utf8), posKey: key)) {
            guard case .garbled? = $0 as? ResponseError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ResponseDecoder.decode([], posKey: key)) { XCTAssertEqual($0 as? ResponseError, .empty) }
        XCTAssertThrowsError(try ResponseDecoder.decode(Array(#"{"respmsg":"x"}"#.utf8), posKey: key)) {
            XCTAssertEqual($0 as? ResponseError, .missingStatus)
        }
        XCTAssertThrowsError(try ResponseDecoder.decode(Array(#"{"respcd":"6000","data":"not json"}"#.utf8), posKey: key)) {
            guard case .badData? = $0 as? ResponseError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try ResponseDecoder.decode(Array("AAAAAAAAAAAAAAAAAAAAAA==".utf8), posKey: key)) {
            guard case .undecryptable? = $0 as? ResponseError else { return XCTFail("\($0)") }
        }
    }

    func testSerializedAnswerReadsBack() throws {
        let record = TransactionRecord(fields: JSONObject([("respcd", .string("0000")), ("syssn", .string("S1")), ("txamt", .string("100"))]))
        let response = ECRResponse(outer: .accepted, respmsg: "OK", data: record)
        let back = try ResponseDecoder.decode(Array(response.serialized().utf8), posKey: nil)
        XCTAssertEqual(back.data, record)
        XCTAssertEqual(back.category, .success)
    }
}
