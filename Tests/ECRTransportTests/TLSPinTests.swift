import XCTest
@testable import ECRTransport

final class TLSPinTests: XCTestCase {
    private let root = CertificateFingerprint(bytes: [UInt8](repeating: 0x11, count: 32))!
    private let leaf = CertificateFingerprint(bytes: [UInt8](repeating: 0x22, count: 32))!

    func testDefaultsAreSystemStoreQFECRPinAndNoHostnameCheck() {
        let configuration = TLSClientConfiguration()
        XCTAssertEqual(configuration.trust, .systemStore)
        XCTAssertEqual(configuration.pin, .qfecrRoot)
        XCTAssertFalse(configuration.verifyHostname)
        XCTAssertEqual(TLSClientConfiguration(trust: .caFile("/tmp/ca.pem")).pin, .qfecrRoot, "--ca alone keeps the pin")
    }

    func testWhichCertificateEachPinLooksAt() {
        let chain = [leaf, root]
        XCTAssertTrue(TLSPin.sha256(.root, root).accepts(verifiedChain: chain))
        XCTAssertFalse(TLSPin.sha256(.root, leaf).accepts(verifiedChain: chain))
        XCTAssertTrue(TLSPin.sha256(.leaf, leaf).accepts(verifiedChain: chain))
        XCTAssertFalse(TLSPin.sha256(.leaf, root).accepts(verifiedChain: chain))
        XCTAssertTrue(TLSPin.sha256(.anyInChain, root).accepts(verifiedChain: chain))
        XCTAssertFalse(TLSPin.qfecrRoot.accepts(verifiedChain: chain))
        XCTAssertTrue(TLSPin.qfecrRoot.accepts(verifiedChain: [leaf, .qfecrRoot]))
        XCTAssertFalse(TLSPin.qfecrRoot.accepts(verifiedChain: []))
        XCTAssertTrue(TLSPin.none.accepts(verifiedChain: chain))
    }

    func testPinArgumentForms() {
        XCTAssertEqual(TLSPin(argument: "qfecr"), .qfecrRoot)
        XCTAssertEqual(TLSPin(argument: "none"), TLSPin.none)
        XCTAssertEqual(TLSPin(argument: root.colonHex), .sha256(.root, root))
        XCTAssertEqual(TLSPin(argument: "leaf:" + leaf.colonHex), .sha256(.leaf, leaf))
        XCTAssertEqual(TLSPin(argument: "any:" + leaf.colonHex), .sha256(.anyInChain, leaf))
        XCTAssertEqual(TLSPin(argument: "root:SHA256=" + String(repeating: "11", count: 32)), .sha256(.root, root))
        for bad in ["", "off", "leaf:", "root:1234", "no"] {
            XCTAssertNil(TLSPin(argument: bad), "\(bad) must not turn into a pin, least of all into .none")
        }
    }
}
