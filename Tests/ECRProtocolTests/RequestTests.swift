import XCTest
@testable import ECRProtocol

final class RequestTests: XCTestCase {
    let key = "f46b1f08bec1f39104792cc79ec9aacd"

    func testKeysSortByCodePoint() throws {
        let request = ECRRequest.payment(PaymentRequest(amount: Amount(cents: 1050), channel: .wechat, outTradeNo: "T01-1",
                                                        camera: .front, paymentTimeout: 60, waitCardTimeout: 120,
                                                        scanType: .scanPay, moveToBack: true))
        XCTAssertEqual(try request.content().formatted(),
                       "{amt=10.5,camera_id=1,channel='wx',func_type=1001,moveToBack=1,out_trade_no='T01-1',payment_timeout=60,scan_type='SCAN_PAY',wait_card_timeout=120}")
    }

    func testRefundContent() throws {
        let request = ECRRequest.refund(RefundRequest(orderId: "20251121000123", refundAmount: Amount(cents: 5), allowModify: true))
        XCTAssertEqual(try request.content().formatted(),
                       "{allow_modify_flag=1,func_type=1002,orderId='20251121000123',refund_amount='0.05'}")
    }

    func testOtherOperationsContent() throws {
        XCTAssertEqual(try ECRRequest.printSummary.content().formatted(), "{func_type=3002}")
        XCTAssertEqual(try ECRRequest.cancelRequest.content().formatted(), "{func_type=5001}")
        XCTAssertEqual(try ECRRequest.printReceipt(orderId: "123").content().formatted(), "{func_type=3001,orderId='123'}")
        XCTAssertEqual(try ECRRequest.inquiry(.outTradeNo("A-1")).content().formatted(), "{func_type=4001,out_trade_no='A-1'}")
    }

    func testValidationRefusals() {
        let cases: [(ECRRequest, String)] = [
            (.payment(PaymentRequest(amount: Amount(cents: 100), channel: .payme, outTradeNo: "X", paymentTimeout: 121)), "payment_timeout"),
            (.payment(PaymentRequest(amount: Amount(cents: 100), channel: .wechat, outTradeNo: "X", paymentTimeout: 0)), "payment_timeout"),
            (.payment(PaymentRequest(amount: Amount(cents: 100), channel: .wechat, outTradeNo: "X", waitCardTimeout: -1)), "wait_card_timeout"),
            (.payment(PaymentRequest(amount: Amount(cents: 100), channel: .wechat, outTradeNo: String(repeating: "9", count: 33))), "out_trade_no"),
            (.payment(PaymentRequest(amount: Amount(cents: 100), channel: .wechat, outTradeNo: "a'b")), "out_trade_no"),
            (.payment(PaymentRequest(amount: Amount(cents: 0), channel: .wechat, outTradeNo: "X")), "amt"),
            (.refund(RefundRequest(orderId: "1", refundAmount: Amount(cents: 501), refundable: Amount(cents: 500))), "refund_amount"),
            (.printReceipt(orderId: ""), "orderId"),
            (.inquiry(.orderId("a b")), "orderId"),
        ]
        for (request, field) in cases {
            XCTAssertThrowsError(try request.content(), "\(request)") { error in
                guard case .invalidField(let f, _)? = error as? RequestError else { return XCTFail("\(error)") }
                XCTAssertEqual(f, field)
            }
        }
        XCTAssertNoThrow(try ECRRequest.payment(PaymentRequest(amount: Amount(cents: 100), channel: .payme, outTradeNo: "X",
                                                               paymentTimeout: 120)).content())
    }

    func testFormattingRefusesCharactersThatBreakTheFormat() {
        for bad in ["'", "{", "}", ",", "="] {
            let content = Content(["func_type": .integer(4001), "orderId": .string("a\(bad)b")])
            XCTAssertThrowsError(try content.formatted()) { error in
                XCTAssertEqual(error as? ContentError, .unformattableCharacter(field: "orderId", character: Character(bad)))
            }
        }
    }

    func testNullAndCanonicalNumbers() throws {
        let content = Content(["a": .null, "b": .number("100.0"), "c": .number("10.50")])
        XCTAssertEqual(try content.formatted(), "{a='',b=100,c=10.5}")
    }

    /// Generated requests survive encode → tolerant decode unchanged, encrypted and plain.
    func testRoundTripsThroughEveryEnvelopeForm() throws {
        var requests: [ECRRequest] = [.printSummary, .cancelRequest, .printReceipt(orderId: "9988"),
                                      .inquiry(.orderId("555")), .inquiry(.outTradeNo("T-9"))]
        for (i, channel) in Channel.allCases.enumerated() {
            for cents: Int64 in [1, 10, 99, 100, 1050, 12345, 99_999_999] {
                requests.append(.payment(PaymentRequest(amount: Amount(cents: cents), channel: channel, outTradeNo: "T01-\(i)-\(cents)",
                                                        camera: cents % 2 == 0 ? .back : nil, paymentTimeout: channel == .payme ? 120 : 300,
                                                        scanType: i % 2 == 0 ? .qrCodePay : nil, moveToBack: cents > 100)))
                requests.append(.refund(RefundRequest(orderId: "SY\(cents)", refundAmount: Amount(cents: cents), allowModify: false)))
            }
        }
        for request in requests {
            for encryption in [true, false] {
                let encoded = try EnvelopeEncoder.encode(request, posKey: key, encryption: encryption)
                let decoded = try EnvelopeDecoder.decode(Array(encoded.body.utf8), posKey: key)
                XCTAssertEqual(decoded.content, encoded.content)
                XCTAssertEqual(try ECRRequest(content: decoded.content), request)
                XCTAssertTrue(decoded.digestMatches(posKey: key))
                XCTAssertEqual(decoded.wasEncrypted, encryption)
            }
        }
    }

    func testDecoderAcceptsEveryFormOfProtocolSection2() throws {
        let encoded = try EnvelopeEncoder.encode(.inquiry(.orderId("12345678")), posKey: key, encryption: true)
        let base64 = String(encoded.body.dropFirst().dropLast())
        let forms = [
            encoded.body,
            base64,
            "{content:{func_type=4001,orderId='12345678'}, digest:'99CE8BF9C7304AC964522D10F51660B4'}",
            #"{"content":{"func_type":4001,"orderId":"12345678"},"digest":"99ce8bf9c7304ac964522d10f51660b4"}"#,
            #"{"content":"{\"func_type\":4001,\"orderId\":\"12345678\"}","digest":"99CE8BF9C7304AC964522D10F51660B4"}"#,
            #"{"content": "{func_type: 4001, orderId: '12345678'}", "digest": "99CE8BF9C7304AC964522D10F51660B4"}"#,
        ]
        for form in forms {
            let decoded = try EnvelopeDecoder.decode(Array(form.utf8), posKey: key)
            XCTAssertEqual(try ECRRequest(content: decoded.content), .inquiry(.orderId("12345678")), form)
            XCTAssertTrue(decoded.digestMatches(posKey: key), form)
        }
    }

    func testDecoderErrorsAreTyped() throws {
        XCTAssertThrowsError(try EnvelopeDecoder.decode([], posKey: key)) { XCTAssertEqual($0 as? EnvelopeError, .empty) }
        let encoded = try EnvelopeEncoder.encode(.printSummary, posKey: key, encryption: true)
        XCTAssertThrowsError(try EnvelopeDecoder.decode(Array(encoded.body.utf8), posKey: "00000000000000000000000000000000")) {
            guard case .undecryptable? = $0 as? EnvelopeError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try EnvelopeDecoder.decode(Array(encoded.body.utf8), posKey: nil)) {
            XCTAssertEqual($0 as? EnvelopeError, .encryptedWithoutKey)
        }
        XCTAssertThrowsError(try EnvelopeDecoder.decode(Array("\"not base64!!\"".utf8), posKey: key)) {
            XCTAssertEqual($0 as? EnvelopeError, .undecryptable(.notBase64))
        }
        XCTAssertThrowsError(try EnvelopeDecoder.decode(Array(#"{"digest":"X"}"#.utf8), posKey: key)) {
            XCTAssertEqual($0 as? EnvelopeError, .missingContent)
        }
        XCTAssertThrowsError(try EnvelopeDecoder.decode(Array(#"{"content":{"func_type":3002}}"#.utf8), posKey: key)) {
            XCTAssertEqual($0 as? EnvelopeError, .missingDigest)
        }
        let wrongDigest = try EnvelopeDecoder.decode(Array(#"{"content":{"func_type":3002},"digest":"AB"}"#.utf8), posKey: key)
        XCTAssertFalse(wrongDigest.digestMatches(posKey: key))
    }

    func testRequestFromContentRefusesWhatTheTerminalWould() {
        let bad: [Content] = [
            Content([:]),
            Content(["func_type": .integer(9999)]),
            Content(["func_type": .integer(1001), "channel": .string("wx"), "out_trade_no": .string("A")]),
            Content(["func_type": .integer(1001), "amt": .number("1"), "channel": .string("bitcoin"), "out_trade_no": .string("A")]),
            Content(["func_type": .integer(1001), "amt": .number("1"), "channel": .string("wx"), "out_trade_no": .string("A"), "camera_id": .integer(2)]),
            Content(["func_type": .integer(1001), "amt": .number("1"), "channel": .string("wx"), "out_trade_no": .string("A"), "moveToBack": .integer(5)]),
            Content(["func_type": .integer(1001), "amt": .number("1"), "channel": .string("wx"), "out_trade_no": .string("A"), "scan_type": .string("X")]),
            Content(["func_type": .integer(1002)]),
            Content(["func_type": .integer(4001)]),
        ]
        for content in bad {
            XCTAssertThrowsError(try ECRRequest(content: content), "\(content)")
        }
    }
}
