import Foundation
import XCTest
@testable import ECRTransport

final class TLSFailureTests: XCTestCase {
    /// A certificate under `CN=Root`, its fingerprint `byte` repeated.
    func certificate(_ name: String, _ byte: UInt8, selfSigned: Bool) -> CertificateInfo {
        CertificateInfo(subject: "CN=\(name)", issuer: "CN=Root", subjectCommonName: name,
                        notBefore: Date(timeIntervalSince1970: 0), notAfter: Date(timeIntervalSince1970: 2_000_000_000),
                        sha256: CertificateFingerprint(bytes: [UInt8](repeating: byte, count: 32))!,
                        subjectAlternativeNames: [], isCertificateAuthority: selfSigned, isSelfSigned: selfSigned, serialNumber: "01")
    }

    func testOnlyHandshakeFailuresAreSafeToRetry() {
        XCTAssertFalse(TLSFailure.timedOut(.handshake).requestMayHaveReachedPeer)
        XCTAssertFalse(TLSFailure.handshakeFailed(reason: "x").requestMayHaveReachedPeer)
        XCTAssertFalse(TLSFailure.peerClosedDuringHandshake(detail: "x").requestMayHaveReachedPeer)
        XCTAssertFalse(TLSFailure.closed.requestMayHaveReachedPeer)
        XCTAssertTrue(TLSFailure.timedOut(.read).requestMayHaveReachedPeer)
        XCTAssertTrue(TLSFailure.timedOut(.write).requestMayHaveReachedPeer)
        XCTAssertTrue(TLSFailure.connectionLost(.write, reason: "x").requestMayHaveReachedPeer)
    }

    func testHandshakeFailuresAreNotSentAndLaterOnesUnknown() {
        XCTAssertEqual(TLSFailure.timedOut(.handshake).transportFailure.certainty, .notSent)
        XCTAssertEqual(TLSFailure.pinMismatch(expected: .qfecrRoot, verifiedChain: []).transportFailure.certainty, .notSent)
        XCTAssertEqual(TLSFailure.timedOut(.read).transportFailure.certainty, .unknown)
        XCTAssertEqual(TLSFailure.timedOut(.read).transportFailure.message, TLSFailure.timedOut(.read).message)
    }

    /// A terminal that sends only its leaf, signed by QFECR, to a till without QFPay's root installed.
    func testLeafSignedByQFECRWithoutTheRootSaysTheQFPayRootIsMissing() {
        let leaf = CertificateInfo(
            subject: "CN=192.168.1.50", issuer: TLSFailureText.qfecrSubject, subjectCommonName: "192.168.1.50",
            notBefore: Date(timeIntervalSince1970: 0), notAfter: Date(timeIntervalSince1970: 2_000_000_000),
            sha256: CertificateFingerprint(bytes: [UInt8](repeating: 0x5A, count: 32))!,
            subjectAlternativeNames: [], isCertificateAuthority: false, isSelfSigned: false, serialNumber: "01"
        )
        let failure = TLSFailure.untrustedChain(presented: [leaf], trust: .systemStore, reason: "unable to get local issuer certificate")
        let message = failure.message
        XCTAssertTrue(message.contains("issued by CN=QFECR"), message)
        XCTAssertTrue(message.contains("QFPay's root that is missing"), message)
        XCTAssertTrue(message.contains("/usr/local/share/ca-certificates/"), message)
        XCTAssertTrue(message.contains(leaf.sha256.colonHex), message)
        XCTAssertEqual(failure.presentedChain, [leaf])
    }

    /// Issue 7: the pin-mismatch advice names the fingerprint it just showed, ready to paste.
    func testPinMismatchFillsInTheFingerprintToPin() {
        let leaf = certificate("192.168.1.50", 0x11, selfSigned: false)
        let root = certificate("Root", 0x22, selfSigned: true)
        let rootMessage = TLSFailure.pinMismatch(expected: .qfecrRoot, verifiedChain: [leaf, root]).message
        XCTAssertTrue(rootMessage.contains("pass --pin root:\(root.sha256)."), rootMessage)
        XCTAssertFalse(rootMessage.contains("<its SHA-256>"), rootMessage)
        let leafPin = TLSPin.sha256(.leaf, CertificateFingerprint(bytes: [UInt8](repeating: 0x33, count: 32))!)
        let leafMessage = TLSFailure.pinMismatch(expected: leafPin, verifiedChain: [leaf, root]).message
        XCTAssertTrue(leafMessage.contains("pass --pin leaf:\(leaf.sha256)."), leafMessage)
    }

    /// The console's user fixes trust in the configuration file: the advice names its lines (`ca_file`,
    /// `pin = …`, `transport = http`), never a flag; the command line keeps its flags.
    func testAdviceNamesTheConfigurationLinesForTheConsole() {
        let leaf = certificate("192.168.1.50", 0x11, selfSigned: false)
        let root = certificate("Root", 0x22, selfSigned: true)
        let failures: [(TLSFailure, String)] = [
            (.untrustedChain(presented: [leaf, root], trust: .systemStore, reason: "self-signed certificate in chain"), "ca_file = FILE"),
            (.untrustedChain(presented: [leaf, root], trust: .caFile("/etc/qfecr/ca.pem"), reason: "x"), "Set ca_file to the file"),
            (.pinMismatch(expected: .qfecrRoot, verifiedChain: [leaf, root]), "set pin = root:\(root.sha256) in the configuration file."),
            (.protocolTooOld(reason: "unsupported protocol"), "or set transport = http on a trusted LAN."),
        ]
        for (failure, advice) in failures {
            let console = failure.message(naming: .configFile)
            XCTAssertTrue(console.contains(advice), console)
            XCTAssertNil(console.range(of: "--(ca|pin|transport)\\b", options: .regularExpression), console)
            XCTAssertEqual(failure.message(naming: .flags), failure.message, "the command line's words are unchanged")
            XCTAssertEqual(failure.transportFailure(naming: .configFile).message, console)
            XCTAssertNotNil(failure.message.range(of: "--(ca|pin|transport)\\b", options: .regularExpression), failure.message)
        }
        // Doctor names a setting the file set by its line, any other by its flag.
        let mixed = SettingNaming.lines(for: ["pin"])
        XCTAssertEqual(mixed.setting("pin", "root:AB"), "pin = root:AB")
        XCTAssertEqual(mixed.setting("ca_file", "FILE"), "--ca FILE")
    }
}
