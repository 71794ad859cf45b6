import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

final class CertificateAuthorityTests: XCTestCase {
    func testGeneratedCAIsASelfSignedAuthorityWithTheGivenName() throws {
        let validity = CertificateValidity(notBefore: Date(timeIntervalSince1970: 1_700_000_000),
                                           notAfter: Date(timeIntervalSince1970: 1_900_000_000))
        let authority = try CertificateAuthority.generate(commonName: "Till 01 test CA", validity: validity)
        XCTAssertEqual(authority.certificate.subject, "CN=Till 01 test CA")
        XCTAssertEqual(authority.certificate.issuer, "CN=Till 01 test CA")
        XCTAssertTrue(authority.certificate.isCertificateAuthority)
        XCTAssertTrue(authority.certificate.isSelfSigned)
        XCTAssertEqual(authority.certificate.notBefore, validity.notBefore)
        XCTAssertEqual(authority.certificate.notAfter, validity.notAfter)
        XCTAssertTrue(authority.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        XCTAssertEqual(try CertificateAuthority.generate().certificate.subjectCommonName, "qfecr simulator CA")
    }

    func testLeafCarriesLoopbackAndExtraSANsAndIsNotACA() throws {
        let authority = try CertificateAuthority.generate()
        let leaf = try authority.issue(commonName: "pos-01", dnsNames: ["pos-01.local"], ipAddresses: ["192.168.1.50", "fe80::1"])
        XCTAssertEqual(leaf.certificate.subject, "CN=pos-01")
        XCTAssertEqual(leaf.certificate.issuer, authority.certificate.subject)
        XCTAssertFalse(leaf.certificate.isCertificateAuthority)
        XCTAssertFalse(leaf.certificate.isSelfSigned)
        XCTAssertEqual(leaf.certificate.subjectAlternativeNames, [
            .ipAddress("127.0.0.1"), .ipAddress("::1"), .ipAddress("192.168.1.50"), .ipAddress("fe80::1"),
            .dns("localhost"), .dns("pos-01.local"),
        ])
        XCTAssertNotEqual(leaf.certificate.serialNumber, authority.certificate.serialNumber)
        XCTAssertEqual(leaf.issuerCertificatePEM, authority.certificatePEM)

        let bare = try authority.issue(ipAddresses: ["10.0.0.7"], includeLoopback: false)
        XCTAssertEqual(bare.certificate.subjectAlternativeNames, [.ipAddress("10.0.0.7")])
        XCTAssertThrowsError(try authority.issue(ipAddresses: ["192.168.1.500"])) { error in
            XCTAssertEqual(error as? CertificateGenerationError, .invalidIPAddress("192.168.1.500"))
        }
    }

    func testWrittenKeysAreOwnerOnlyAndFilesReadBack() throws {
        let directory = try makeScratchDirectory(self)
        let authority = try CertificateAuthority.generate()
        let leaf = try authority.issue()
        let paths = ["ca.pem", "ca.key", "leaf.pem", "leaf.key"].map { directory.appendingPathComponent($0).path }
        // A key file left world-readable by an earlier run must be tightened, not kept.
        XCTAssertTrue(FileManager.default.createFile(atPath: paths[3], contents: Data("old".utf8), attributes: [.posixPermissions: 0o644]))

        try authority.write(certificateTo: paths[0], privateKeyTo: paths[1])
        try leaf.write(certificateTo: paths[2], privateKeyTo: paths[3])

        XCTAssertEqual(mode(of: paths[0]), 0o644)
        XCTAssertEqual(mode(of: paths[1]), 0o600)
        XCTAssertEqual(mode(of: paths[2]), 0o644)
        XCTAssertEqual(mode(of: paths[3]), 0o600)
        XCTAssertEqual(try CertificateFile.certificates(atPath: paths[2]).map(\.sha256),
                       [leaf.certificate.sha256, authority.certificate.sha256], "leaf file carries the chain")
        XCTAssertEqual(try String(contentsOfFile: paths[3], encoding: .utf8), leaf.privateKeyPEM)
    }

    func testEachGenerationMakesANewKey() throws {
        let first = try CertificateAuthority.generate()
        let second = try CertificateAuthority.generate()
        XCTAssertNotEqual(first.certificate.sha256, second.certificate.sha256)
        XCTAssertNotEqual(first.privateKeyPEM, second.privateKeyPEM)
    }

    private func mode(of path: String) -> mode_t {
        var information = stat()
        XCTAssertEqual(stat(path, &information), 0, path)
        return information.st_mode & 0o777
    }
}
