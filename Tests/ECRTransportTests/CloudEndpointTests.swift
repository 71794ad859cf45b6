import ECRProtocol
import XCTest
@testable import ECRTransport

final class CloudEndpointTests: XCTestCase {
    static let production = "https://openapi-hk.qfapi.com"

    func testProductionURLUsesTLSOnPort443WithNoPrefix() throws {
        let endpoint = try CloudEndpoint(baseURL: Self.production)
        XCTAssertTrue(endpoint.usesTLS)
        XCTAssertEqual(endpoint.port, 443)
        XCTAssertEqual(endpoint.hostHeader, "openapi-hk.qfapi.com")
        XCTAssertEqual(endpoint.target(for: Operation.payment.cloudPath), "/ecr/v1/payment/async")
    }

    func testPortAndPathPrefixAreKept() throws {
        let endpoint = try CloudEndpoint(baseURL: "http://127.0.0.1:9003/gateway/")
        XCTAssertFalse(endpoint.usesTLS)
        XCTAssertEqual(endpoint.hostHeader, "127.0.0.1:9003")
        XCTAssertEqual(endpoint.target(for: Operation.inquiry.cloudPath), "/gateway/ecr/v1/query")
        XCTAssertEqual(try CloudEndpoint(baseURL: "http://[::1]:9003").hostHeader, "[::1]:9003")
    }

    func testFormBodyIsPercentEncodedWhileTheSignatureUsesRawValues() {
        let parameters = ["b": "x y&z=1", "a": "中"]
        XCTAssertEqual(String(decoding: CloudFormEncoding.encode(parameters), as: UTF8.self), "a=%E4%B8%AD&b=x%20y%26z%3D1")
        XCTAssertEqual(CloudSignature.signingText(parameters), "a=中&b=x y&z=1")
    }

    func testDefaultScanTypeIsMerchantPresentedOnlyForFPS() {
        XCTAssertEqual(CloudParameters.defaultScanType(for: .fps), .qrCodePay)
        XCTAssertEqual(CloudParameters.defaultScanType(for: .alipay), .scanPay)
        XCTAssertEqual(CloudParameters.defaultScanType(for: .cardPayment), .scanPay)
    }
}
