import COpenSSL
import Foundation
import XCTest
@testable import ECRTransport

/// The trust policy of PROTOCOL.md §5, end to end over a socket pair: each refusal must come out as
/// its own `TLSFailure`, not as a generic handshake error.
final class TLSHandshakeTests: XCTestCase {
    func testTrustedCAWithRootPinCompletesAndEchoesBothWays() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        let server = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration)

        let stream = try TLSStream.connect(descriptor: clientEnd, host: "127.0.0.1",
                                           configuration: chain.pinnedClientConfiguration, deadline: .after(seconds: 10))
        defer { stream.close() }
        let message = Array("trade amt=123.45".utf8)
        try stream.write([0, 0, 0, UInt8(message.count)] + message, deadline: .after(seconds: 5))
        let answer = try TLSTestServer.readExactly(message.count, from: stream, deadline: .after(seconds: 5))
        XCTAssertEqual(answer, message.reversed())
        XCTAssertEqual(try stream.read(maxCount: 16, deadline: .after(seconds: 5)), [], "server's close_notify ends the stream")
        XCTAssertFalse(stream.peerClosedWithoutNotify)

        let session = stream.session
        XCTAssertTrue(["TLSv1.2", "TLSv1.3"].contains(session.protocolVersion), session.protocolVersion)
        XCTAssertEqual(session.verifiedChain.map(\.sha256), [chain.leaf.certificate.sha256, chain.authority.certificate.sha256])
        XCTAssertEqual(session.presentedChain.first?.sha256, chain.leaf.certificate.sha256)
        XCTAssertEqual(session.presentedChain.first?.subjectAlternativeNames,
                       [.ipAddress("127.0.0.1"), .ipAddress("::1"), .dns("localhost")])
        XCTAssertNil(session.serverName, "no SNI for an IP address")
        if case .failure(let error)? = server.result() { XCTFail("server: \(error)") }
    }

    func testLargeTransferCrossesManyRecordsAndPartialWrites() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        let server = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration)
        let stream = try TLSStream.connect(descriptor: clientEnd, host: "localhost",
                                           configuration: chain.pinnedClientConfiguration, deadline: .after(seconds: 10))
        defer { stream.close() }
        let size = 1 << 20
        let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try stream.write([UInt8(size >> 24), UInt8(size >> 16 & 0xFF), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + message,
                         deadline: .after(seconds: 20))
        let answer = try TLSTestServer.readExactly(size, from: stream, deadline: .after(seconds: 20))
        XCTAssertTrue(answer == message.reversed(), "1 MiB came back reversed")
        if case .failure(let error)? = server.result() { XCTFail("server: \(error)") }
    }

    func testCAOtherThanTheOneTrustedIsAnUntrustedChainNamingThePresentedRoot() throws {
        let directory = try makeScratchDirectory(self)
        let served = try TLSTestChain.make(in: directory)
        // Same CN on purpose: a look-alike root must be told apart by key, not by name.
        let trusted = try TLSTestChain.make(in: directory)
        let (clientEnd, serverEnd) = makeSocketPair()
        let server = TLSTestServer(descriptor: serverEnd, configuration: served.serverConfiguration)

        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: trusted.pinnedClientConfiguration)
        guard case .untrustedChain(let presented, let trust, _)? = failure else {
            return XCTFail("expected untrustedChain, got \(String(describing: failure))")
        }
        XCTAssertEqual(trust, .caFile(trusted.caFile))
        XCTAssertEqual(presented.map(\.sha256), [served.leaf.certificate.sha256, served.authority.certificate.sha256])
        let message = failure?.message ?? ""
        XCTAssertTrue(message.contains(served.authority.certificate.sha256.colonHex), message)
        XCTAssertTrue(message.contains("CN=qfecr simulator CA"), message)
        XCTAssertTrue(message.contains("--ca"), message)
        XCTAssertFalse(failure?.requestMayHaveReachedPeer ?? true)
        guard case .failure? = server.result() else { return XCTFail("the server must see the handshake refused") }
    }

    /// A terminal whose TLS stops at 1.1 (an old ECR app): refused with its own message, not as a
    /// generic handshake failure, and before anything of a request was sent.
    func testAServerThatSpeaksOnlyTLS11IsRefusedAsTooOld() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let old = try TLSContext(server: chain.serverConfiguration)
        // OpenSSL 3 allows TLS 1.1 only at security level 0.
        SSL_CTX_set_security_level(old.handle, 0)
        XCTAssertEqual(SSL_CTX_ctrl(old.handle, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_1_VERSION), nil), 1)
        XCTAssertEqual(SSL_CTX_ctrl(old.handle, SSL_CTRL_SET_MAX_PROTO_VERSION, Int(TLS1_1_VERSION), nil), 1)
        XCTAssertEqual(SSL_CTX_set_cipher_list(old.handle, "DEFAULT:@SECLEVEL=0"), 1)
        let (clientEnd, serverEnd) = makeSocketPair()
        let server = Thread {
            _ = try? TLSStream.accept(descriptor: serverEnd, context: old, deadline: .after(seconds: 10)).close()
            Glibc.close(serverEnd)
        }
        server.start()

        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: chain.pinnedClientConfiguration)
        guard case .protocolTooOld(let reason)? = failure else {
            return XCTFail("expected protocolTooOld, got \(String(describing: failure))")
        }
        XCTAssertTrue(reason.contains("protocol"), reason)
        let message = failure?.message ?? ""
        XCTAssertTrue(message.contains("older than 1.2"), message)
        XCTAssertTrue(message.contains("Update the terminal's ECR app"), message)
        XCTAssertFalse(failure?.requestMayHaveReachedPeer ?? true)
    }

    func testExpiredLeafIsReportedAsExpiredWithItsDate() throws {
        let notAfter = Date(timeIntervalSince1970: TimeInterval(Int(Date().timeIntervalSince1970) - 86_400))
        let chain = try TLSTestChain.make(
            in: makeScratchDirectory(self),
            leafValidity: CertificateValidity(notBefore: notAfter.addingTimeInterval(-30 * 86_400), notAfter: notAfter)
        )
        let (clientEnd, serverEnd) = makeSocketPair()
        _ = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration)

        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: chain.pinnedClientConfiguration)
        guard case .certificateExpired(let certificate, _)? = failure else {
            return XCTFail("expected certificateExpired, got \(String(describing: failure))")
        }
        XCTAssertEqual(certificate.sha256, chain.leaf.certificate.sha256)
        XCTAssertEqual(certificate.notAfter, notAfter)
        XCTAssertTrue(failure?.message.contains(CertificateInfo.format(notAfter)) ?? false, failure?.message ?? "")
    }

    func testLeafNotYetValidIsReportedAsSuch() throws {
        let notBefore = Date().addingTimeInterval(7 * 86_400)
        let chain = try TLSTestChain.make(
            in: makeScratchDirectory(self),
            leafValidity: CertificateValidity(notBefore: notBefore, notAfter: notBefore.addingTimeInterval(86_400))
        )
        let (clientEnd, serverEnd) = makeSocketPair()
        _ = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration)

        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: chain.pinnedClientConfiguration)
        guard case .certificateNotYetValid(let certificate, _)? = failure else {
            return XCTFail("expected certificateNotYetValid, got \(String(describing: failure))")
        }
        XCTAssertEqual(certificate.sha256, chain.leaf.certificate.sha256)
    }

    func testTrustedChainWithAnotherPinnedRootIsAPinMismatchShowingBothFingerprints() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        let server = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration)
        let otherPin = CertificateFingerprint(bytes: [UInt8](repeating: 0xAB, count: 32))!

        let failure = expectHandshakeFailure(
            descriptor: clientEnd,
            configuration: TLSClientConfiguration(trust: .caFile(chain.caFile), pin: .sha256(.root, otherPin))
        )
        guard case .pinMismatch(let expected, let verifiedChain)? = failure else {
            return XCTFail("expected pinMismatch, got \(String(describing: failure))")
        }
        XCTAssertEqual(expected, .sha256(.root, otherPin))
        XCTAssertEqual(verifiedChain.last?.sha256, chain.authority.certificate.sha256)
        let message = failure?.message ?? ""
        XCTAssertTrue(message.contains(otherPin.colonHex), message)
        XCTAssertTrue(message.contains(chain.authority.certificate.sha256.colonHex), message)
        guard case .failure? = server.result() else { return XCTFail("a pin mismatch must abort the handshake") }
    }

    func testCAFileWithoutExplicitPinStillRequiresTheQFECRRoot() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        _ = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration)

        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: TLSClientConfiguration(trust: .caFile(chain.caFile)))
        guard case .pinMismatch(.qfecrRoot, _)? = failure else {
            return XCTFail("expected a QFECR pin mismatch, got \(String(describing: failure))")
        }
        XCTAssertTrue(failure?.message.contains(CertificateFingerprint.qfecrRoot.colonHex) ?? false)
    }

    func testLeafAndAnyInChainPinsAndExplicitNone() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let pins: [TLSPin] = [
            .sha256(.leaf, chain.leaf.certificate.sha256),
            .sha256(.anyInChain, chain.leaf.certificate.sha256),
            .sha256(.anyInChain, chain.authority.certificate.sha256),
            .none,
        ]
        for pin in pins {
            let (clientEnd, serverEnd) = makeSocketPair()
            let server = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration, behaviour: .handshakeOnly)
            XCTAssertNoThrow(try TLSStream.connect(descriptor: clientEnd, host: "127.0.0.1",
                                                   configuration: TLSClientConfiguration(trust: .caFile(chain.caFile), pin: pin),
                                                   deadline: .after(seconds: 10)).close(), "pin \(pin)")
            _ = server.result()
        }
        // A leaf pin on the root's fingerprint must not pass.
        let (clientEnd, serverEnd) = makeSocketPair()
        _ = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration, behaviour: .handshakeOnly)
        let failure = expectHandshakeFailure(
            descriptor: clientEnd,
            configuration: TLSClientConfiguration(trust: .caFile(chain.caFile), pin: .sha256(.leaf, chain.authority.certificate.sha256))
        )
        guard case .pinMismatch? = failure else { return XCTFail("expected pinMismatch, got \(String(describing: failure))") }
    }

    func testDefaultPolicyRefusesAGeneratedChain() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        _ = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration)

        XCTAssertEqual(TLSClientConfiguration.qfecrDefault, TLSClientConfiguration(trust: .systemStore, pin: .qfecrRoot, verifyHostname: false))
        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: .qfecrDefault)
        guard case .untrustedChain(_, .systemStore, _)? = failure else {
            return XCTFail("expected untrustedChain against the system store, got \(String(describing: failure))")
        }
        let message = failure?.message ?? ""
        XCTAssertTrue(message.contains(chain.authority.certificate.sha256.colonHex), message)
        XCTAssertTrue(message.contains("update-ca-certificates"), message)
        XCTAssertTrue(message.contains(CertificateFingerprint.qfecrRoot.colonHex), message)
    }

    func testHostnameVerificationMatchesIPSANsOnlyWhenOn() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        func configuration(verifyHostname: Bool) -> TLSClientConfiguration {
            var configuration = chain.pinnedClientConfiguration
            configuration.verifyHostname = verifyHostname
            return configuration
        }
        for (host, verify) in [("127.0.0.1", true), ("localhost", true), ("[::1]", true), ("127.0.0.2", false)] {
            let (clientEnd, serverEnd) = makeSocketPair()
            _ = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration, behaviour: .handshakeOnly)
            XCTAssertNoThrow(try TLSStream.connect(descriptor: clientEnd, host: host, configuration: configuration(verifyHostname: verify),
                                                   deadline: .after(seconds: 10)).close(), "\(host), verify \(verify)")
        }
        for host in ["127.0.0.2", "terminal.example"] {
            let (clientEnd, serverEnd) = makeSocketPair()
            _ = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration, behaviour: .handshakeOnly)
            let failure = expectHandshakeFailure(descriptor: clientEnd, host: host, configuration: configuration(verifyHostname: true))
            guard case .hostnameMismatch(let checked, let certificate, _)? = failure else {
                XCTFail("\(host): expected hostnameMismatch, got \(String(describing: failure))")
                continue
            }
            XCTAssertEqual(checked, host)
            XCTAssertEqual(certificate.sha256, chain.leaf.certificate.sha256)
            XCTAssertTrue(failure?.message.contains("IP 127.0.0.1") ?? false, failure?.message ?? "")
        }
    }

    func testServerNameIndicationIsSentForNamesOnly() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        for (host, expected) in [("localhost", "localhost" as String?), ("127.0.0.1", nil), ("[::1]", nil)] {
            let (clientEnd, serverEnd) = makeSocketPair()
            let server = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration, behaviour: .handshakeOnly)
            let stream = try TLSStream.connect(descriptor: clientEnd, host: host, configuration: chain.pinnedClientConfiguration,
                                               deadline: .after(seconds: 10))
            stream.close()
            guard case .success(let summary)? = server.result() else { return XCTFail("server failed for \(host)") }
            XCTAssertEqual(summary.serverName, expected, host)
        }
    }

    func testUnreadableCAFileIsAConfigurationErrorAndClosesTheDescriptor() throws {
        let (clientEnd, serverEnd) = makeSocketPair()
        defer { close(serverEnd) }
        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: TLSClientConfiguration(trust: .caFile("/nonexistent/ca.pem")))
        guard case .trustStoreUnusable(.caFile("/nonexistent/ca.pem"), let reason)? = failure else {
            return XCTFail("expected trustStoreUnusable, got \(String(describing: failure))")
        }
        XCTAssertTrue(reason.contains("does not exist"), reason)
        XCTAssertEqual(fcntl(clientEnd, F_GETFD), -1, "ownership of the descriptor passed to the stream, which closed it")
    }
}
