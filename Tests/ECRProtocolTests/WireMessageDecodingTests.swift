import XCTest
@testable import ECRProtocol

/// Bodies read back whichever way they went: the PROTOCOL.md §1–3 vectors, answers plain and
/// encrypted, and garbage named for what it is not.
final class WireMessageDecodingTests: XCTestCase {
    static let key = "f46b1f08bec1f39104792cc79ec9aacd"
    static let inquiryBody = "\"XczeNuwMCct+IaXZ00lv7Pern+ttWiSyG+Y62QH+wXr471L2opZR5JPeQPXADN/Xc1s+VL82RqBp0KFPo5Mm6KUFau0S1WRPC2YN4s6WpiFjwrbGPq3JPZ2OYXTGZHAb\""
    static let paymentBase64 = "02sc4oen89DDDg3ThTAr1D7ZWydNqUa7QWxaXIKBn8tFoMBWNNAESKlPaYjZcRT0TBljvQ3TftiPz0sGR8YJYZ1dDBWBt+88TC41N4HBCPOGoYYcHphdiSe0yQMbsvUYj0S0DpK3RDUDjQbOu1YXI/uT8B+y7/8pQE5w58/aANDmYRqqdnZlgyRmdtGipL8E"
    static let answer = #"{"respcd":"6000","respmsg":"payment approved","resperr":"","data":"{\"respcd\":\"0000\",\"respmsg\":\"approved\",\"txamt\":\"100\",\"syssn\":\"20261201000100000004\",\"out_trade_no\":\"456799999999\"}"}"#

    private func decode(_ text: String, key: String? = WireMessageDecodingTests.key) throws -> WireMessageDecoding {
        try WireMessageDecoding.inspect(Array(text.utf8), posKey: key)
    }

    func testTheEncryptedVectorsReadAsRequestsQuotedOrBare() throws {
        let inquiry = try decode(Self.inquiryBody)
        XCTAssertEqual(inquiry.lines, [
            "form: encrypted (encryptedQuoted)",
            "content: {func_type=4001,orderId='12345678'}",
            "operation: inquiry (func_type 4001)",
            "digest: 99CE8BF9C7304AC964522D10F51660B4 (matches the POS-KEY)",
        ])
        let payment = try decode(Self.paymentBase64)
        XCTAssertEqual(payment.lines.first, "form: encrypted (encryptedBare)")
        XCTAssertEqual(payment.lines[1], "content: {amt=100,channel='card_payment',func_type=1001,out_trade_no='456799999999'}")
        XCTAssertEqual(payment.lines[3], "digest: 2488996B9F24A85B41488ECB435B331D (matches the POS-KEY)")
        XCTAssertFalse(payment.digestDiffers)
    }

    func testAPlainEnvelopeIsARequestAndItsDigestIsChecked() throws {
        let plain = try decode(#"{"content":{"amt":100,"channel":"card_payment","func_type":1001,"out_trade_no":"456799999999"},"digest":"2488996B9F24A85B41488ECB435B331D"}"#)
        XCTAssertEqual(plain.lines.first, "form: plain")
        XCTAssertFalse(plain.digestDiffers)
        let wrong = try decode(#"{"content":{"func_type":3002},"digest":"AA"}"#)
        XCTAssertTrue(wrong.digestDiffers)
        XCTAssertTrue(try decode(#"{"content":{"func_type":3002},"digest":"AA"}"#, key: nil).lines.last?.contains("not checked") ?? false)
    }

    func testAPlainAnswerShowsItsStatusAndTheDataAsAnObject() throws {
        guard case .answer(let answer) = try decode(Self.answer, key: nil) else { return XCTFail("not read as an answer") }
        XCTAssertEqual(answer.lines, [
            "form: plain answer",
            "answer: 6000/0000 approved",
            "respmsg: payment approved",
            #"json: {"respcd":"6000","respmsg":"payment approved","resperr":"","data":{"respcd":"0000","respmsg":"approved","txamt":"100","syssn":"20261201000100000004","out_trade_no":"456799999999"}}"#,
        ])
        let refused = try decode(#"{"respcd":"4003","respmsg":"sign error","resperr":"digest mismatch"}"#, key: nil)
        XCTAssertEqual(Array(refused.lines.prefix(4)), ["form: plain answer", "answer: 4003 \(ECRResponse(outer: .denied).meaning())",
                                                        "respmsg: sign error", "resperr: digest mismatch"])
    }

    func testAnEncryptedAnswerDecryptsWithTheKey() throws {
        let cipher = try AESCipher(posKey: Self.key)
        let body = "\"" + cipher.encryptToBase64(Self.answer) + "\""
        guard case .answer(let answer) = try decode(body) else { return XCTFail("not read as an answer") }
        XCTAssertEqual(answer.lines.first, "form: encrypted answer")
        XCTAssertEqual(answer.response.data?.syssn, "20261201000100000004")
    }

    func testGarbageSaysWhatWasExpected() {
        let cases: [(String, String?, String)] = [
            ("hello world", Self.key, "neither JSON nor Base64"),
            (#"{"a":1}"#, Self.key, "neither content (a request) nor respcd (an answer)"),
            ("{not json", Self.key, "does not parse"),
            (Self.inquiryBody, nil, "set QFECR_KEY"),
            (Self.inquiryBody, "00000000000000000000000000000000", "could not be decrypted"),
            ("   ", Self.key, "empty"),
        ]
        for (text, key, expected) in cases {
            XCTAssertThrowsError(try decode(text, key: key), text) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(text): \(error)")
            }
        }
        XCTAssertThrowsError(try decode("hello world")) { error in
            XCTAssertTrue("\(error)".contains("expected JSON"), "\(error)")
        }
    }
}
