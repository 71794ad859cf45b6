import ECRProtocol
import XCTest

/// The key made ready once must seal exactly as the one-off cipher and digest do, request after
/// request (the context is keyed once and started again from the IV each time).
final class EnvelopeKeyTests: XCTestCase {
    let posKey = "f46b1f08bec1f39104792cc79ec9aacd"

    func testBodiesAreByteForByteThoseOfTheOneOffEncoder() throws {
        let key = try XCTUnwrap(EnvelopeKey(posKey: posKey))
        let requests: [ECRRequest] = [
            .inquiry(.outTradeNo("BENCH-0001")),
            .inquiry(.outTradeNo("A-longer-out-trade-no-0123456789")),
            .payment(PaymentRequest(amount: Amount(cents: 1250), channel: .alipay, outTradeNo: "P-1")),
            .inquiry(.outTradeNo("BENCH-0001")),
        ]
        for encryption in [true, false] {
            for request in requests {
                let expected = try EnvelopeEncoder.encode(request, posKey: posKey, encryption: encryption)
                let body = try EnvelopeEncoder.body(request, key: key, encryption: encryption)
                XCTAssertEqual(String(decoding: body, as: UTF8.self), expected.body, "\(request), encryption \(encryption)")
            }
        }
    }

    func testDigestAndCipherMatchTheOneOffOnesForEveryLength() throws {
        let key = try XCTUnwrap(EnvelopeKey(posKey: posKey))
        let cipher = try AESCipher(posKey: posKey)
        for length in [0, 1, 15, 16, 17, 31, 32, 33, 200] {
            let message = (0..<length).map { UInt8(0x20 + ($0 * 37 + 11) % 95) }
            XCTAssertEqual(key.encrypt(message), cipher.encrypt(message), "length \(length)")
            XCTAssertEqual(try cipher.decrypt(key.encrypt(message)), message)
            XCTAssertEqual(String(decoding: key.digest(message), as: UTF8.self),
                           EnvelopeEncoder.digest(formattedContent: String(decoding: message, as: UTF8.self), posKey: posKey),
                           "length \(length)")
        }
    }

    func testAKeyAESCannotTakeIsNotMadeReady() {
        XCTAssertNil(EnvelopeKey(posKey: "short"))
        XCTAssertNotNil(EnvelopeKey(posKey: String(repeating: "k", count: 24)))
    }

    func testBase64IsFoundationsForEveryRemainder() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 91 &+ 7) }
            XCTAssertEqual(String(decoding: Base64.encode(bytes), as: UTF8.self), Data(bytes).base64EncodedString(), "length \(length)")
        }
    }
}
