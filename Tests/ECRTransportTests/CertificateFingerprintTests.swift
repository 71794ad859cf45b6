import Foundation
import ECRProtocol
import XCTest
@testable import ECRTransport

final class CertificateFingerprintTests: XCTestCase {
    /// QFPay's real root, kept outside the repository (PROTOCOL.md §5): `../shared/fixtures/` from the repo root.
    private var qfecrRootFile: String {
        URL(fileURLWithPath: #filePath)            // …/Tests/ECRTransportTests/CertificateFingerprintTests.swift
            .deletingLastPathComponent()           // …/Tests/ECRTransportTests
            .deletingLastPathComponent()           // …/Tests
            .deletingLastPathComponent()           // repository root
            .appendingPathComponent("../shared/fixtures/qfecr-ca3.crt")
            .standardized.path
    }

    func testFingerprintOfQFPaysRealRootFileIsThePinnedConstant() throws {
        let path = qfecrRootFile
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("SKIPPED: QFPay's root certificate is not at \(path) (it is QFPay's to distribute and not part "
                + "of this repository), so the fingerprint code was not checked against the real certificate.")
        }
        XCTAssertEqual(try CertificateFile.sha256Fingerprint(atPath: path), .qfecrRoot)
        XCTAssertEqual(CertificateFingerprint.qfecrRoot.colonHex,
                       "9C:0F:A4:04:C5:9F:D7:A2:7E:A3:1F:6B:96:F4:74:01:1B:3F:86:8A:A0:84:61:47:4D:75:69:ED:63:0D:32:C3")
        let root = try XCTUnwrap(CertificateFile.certificates(atPath: path).first)
        XCTAssertEqual(root.subjectCommonName, "QFECR")
        XCTAssertEqual(root.subject, TLSFailureText.qfecrSubject)
        XCTAssertTrue(root.isSelfSigned)
        XCTAssertTrue(root.isCertificateAuthority)
        XCTAssertEqual(CertificateInfo.format(root.notAfter), "2045-07-25 09:09:04 UTC")
    }

    func testParsesTheFormsQFPaysGuideAndToolsPrint() {
        let expected = CertificateFingerprint.qfecrRoot
        for text in [
            "9C:0F:A4:04:C5:9F:D7:A2:7E:A3:1F:6B:96:F4:74:01:1B:3F:86:8A:A0:84:61:47:4D:75:69:ED:63:0D:32:C3",
            "SHA256=9C0FA404C59FD7A27EA31F6B96F474011B3F868AA08461474D7569ED630D32C3",
            "SHA-256=9C 0F A4 04 C5 9F D7 A2 7E A3 1F 6B 96 F4 74 01 1B 3F 86 8A A0 84 61 47 4D 75 69 ED 63 0D 32 C3",
            "9c0fa404c59fd7a27ea31f6b96f474011b3f868aa08461474d7569ed630d32c3",
        ] {
            XCTAssertEqual(CertificateFingerprint(text), expected, text)
        }
        for bad in ["", "9C:0F", "A74CADCED721ADCB77C8F6476C19E6C64E0E6A61", String(repeating: "ZZ", count: 32)] {
            XCTAssertNil(CertificateFingerprint(bad), bad)
        }
    }

    func testDERAndMultiCertificatePEMFiles() throws {
        let directory = try makeScratchDirectory(self)
        let authority = try CertificateAuthority.generate()
        let leaf = try authority.issue()
        let bundle = directory.appendingPathComponent("bundle.pem").path
        try (leaf.certificatePEM + authority.certificatePEM).write(toFile: bundle, atomically: true, encoding: .utf8)
        XCTAssertEqual(try CertificateFile.certificates(atPath: bundle).map(\.sha256),
                       [leaf.certificate.sha256, authority.certificate.sha256])
        XCTAssertEqual(try CertificateFile.sha256Fingerprint(atPath: bundle), leaf.certificate.sha256, "first certificate")

        let der = try derEncoding(ofPEM: authority.certificatePEM)
        let derFile = directory.appendingPathComponent("ca.der").path
        XCTAssertTrue(FileManager.default.createFile(atPath: derFile, contents: Data(der)))
        XCTAssertEqual(try CertificateFile.sha256Fingerprint(atPath: derFile), authority.certificate.sha256)
        // The fingerprint is the SHA-256 of the DER bytes, independently of OpenSSL's X509_digest.
        XCTAssertEqual(authority.certificate.sha256.bytes, MessageDigest.sha256.hash(der))
    }

    func testFilesWithoutACertificateAreReportedPlainly() throws {
        let directory = try makeScratchDirectory(self)
        let junk = directory.appendingPathComponent("junk.pem").path
        try "not a certificate\n".write(toFile: junk, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CertificateFile.sha256Fingerprint(atPath: junk)) { error in
            XCTAssertEqual(error as? CertificateFileError, .noCertificate(path: junk))
        }
        XCTAssertThrowsError(try CertificateFile.sha256Fingerprint(atPath: directory.path + "/absent.crt")) { error in
            guard case CertificateFileError.unreadable(_, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(reason, "does not exist")
        }
    }

    private func derEncoding(ofPEM pem: String) throws -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return try XCTUnwrap(Data(base64Encoded: body).map(Array.init))
    }
}
