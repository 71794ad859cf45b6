import XCTest
@testable import ECRProtocol

/// Every vector of PROTOCOL.md, checked byte for byte.
final class VectorTests: XCTestCase {
    let defaultKey = "f46b1f08bec1f39104792cc79ec9aacd"

    let inquiryCiphertext = "XczeNuwMCct+IaXZ00lv7Pern+ttWiSyG+Y62QH+wXr471L2opZR5JPeQPXADN/Xc1s+VL82RqBp0KFPo5Mm6KUFau0S1WRPC2YN4s6WpiFjwrbGPq3JPZ2OYXTGZHAb"
    let paymentCiphertext = "02sc4oen89DDDg3ThTAr1D7ZWydNqUa7QWxaXIKBn8tFoMBWNNAESKlPaYjZcRT0TBljvQ3TftiPz0sGR8YJYZ1dDBWBt+88TC41N4HBCPOGoYYcHphdiSe0yQMbsvUYj0S0DpK3RDUDjQbOu1YXI/uT8B+y7/8pQE5w58/aANDmYRqqdnZlgyRmdtGipL8E"

    var paymentRequest: ECRRequest {
        .payment(PaymentRequest(amount: Amount(cents: 10000), channel: .cardPayment, outTradeNo: "456799999999"))
    }

    func testInquiryDigestVector() throws {
        let content = try ECRRequest.inquiry(.orderId("12345678")).content()
        XCTAssertEqual(try content.formatted(), "{func_type=4001,orderId='12345678'}")
        XCTAssertEqual(EnvelopeEncoder.digest(formattedContent: try content.formatted(), posKey: defaultKey),
                       "99CE8BF9C7304AC964522D10F51660B4")
    }

    func testPaymentDigestVector() throws {
        let encoded = try EnvelopeEncoder.encode(paymentRequest, posKey: defaultKey, encryption: true)
        XCTAssertEqual(encoded.formattedContent, "{amt=100,channel='card_payment',func_type=1001,out_trade_no='456799999999'}")
        XCTAssertEqual(encoded.digest, "2488996B9F24A85B41488ECB435B331D")
    }

    func testInquiryCiphertextVector() throws {
        let encoded = try EnvelopeEncoder.encode(.inquiry(.orderId("12345678")), posKey: defaultKey, encryption: true)
        XCTAssertEqual(encoded.body, "\"\(inquiryCiphertext)\"")
    }

    func testPaymentCiphertextVector() throws {
        let encoded = try EnvelopeEncoder.encode(paymentRequest, posKey: defaultKey, encryption: true)
        XCTAssertEqual(encoded.body, "\"\(paymentCiphertext)\"")
    }

    func testCiphertextVectorsDecryptToTheLenientEnvelope() throws {
        let cipher = try AESCipher(posKey: defaultKey)
        let plain = String(decoding: try cipher.decryptBase64(inquiryCiphertext), as: UTF8.self)
        XCTAssertEqual(plain, "{content:{func_type=4001,orderId='12345678'}, digest:'99CE8BF9C7304AC964522D10F51660B4'}")
    }

    func testCloudSignatureVector() {
        let parameters = ["mchid": "ZaMVg12345", "out_trade_no": "01234567890123", "pay_type": "800101",
                          "txamt": "10", "txcurrcd": "HKD", "txdtm": "2019-12-25 14:21:28"]
        XCTAssertEqual(CloudSignature.signingText(parameters),
                       "mchid=ZaMVg12345&out_trade_no=01234567890123&pay_type=800101&txamt=10&txcurrcd=HKD&txdtm=2019-12-25 14:21:28")
        XCTAssertEqual(CloudSignature.sign(parameters, clientKey: "TESTKEY"), "8AD53DA3B624827B234B6F0E70F810C8")
        XCTAssertTrue(CloudSignature.verify(parameters, clientKey: "TESTKEY", signature: "8ad53da3b624827b234b6f0e70f810c8"))
        XCTAssertFalse(CloudSignature.verify(parameters, clientKey: "OTHERKEY", signature: "8AD53DA3B624827B234B6F0E70F810C8"))
    }

    func testCloudSHA256SignatureDiffersAndVerifies() {
        let parameters = ["a": "1", "b": "2"]
        let sha = CloudSignature.sign(parameters, clientKey: "K", algorithm: .sha256)
        XCTAssertEqual(sha.count, 64)
        XCTAssertEqual(sha, sha.uppercased())
        XCTAssertTrue(CloudSignature.verify(parameters, clientKey: "K", signature: sha, algorithm: .sha256))
        XCTAssertFalse(CloudSignature.verify(parameters, clientKey: "K", signature: sha, algorithm: .md5))
    }

    func testNotificationSignature() {
        let body = Array(#"{"notify_type":"payment","status":"1"}"#.utf8)
        let sign = NotificationSignature.sign(body: body, notificationKey: "NKEY")
        XCTAssertEqual(sign, MessageDigest.md5.hexDigest(#"{"notify_type":"payment","status":"1"}NKEY"#))
        XCTAssertTrue(NotificationSignature.verify(body: body, notificationKey: "NKEY", signature: sign.lowercased()))
        XCTAssertFalse(NotificationSignature.verify(body: body + [0x20], notificationKey: "NKEY", signature: sign))
        XCTAssertFalse(NotificationSignature.verify(body: body, notificationKey: "NKEY", signature: ""))
    }
}
