import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

final class LANHTTPSTransportTests: XCTestCase {
    private func transport(port: UInt16, _ configuration: TLSClientConfiguration) throws -> LANHTTPTransport {
        try LANHTTPTransport(host: "127.0.0.1", port: port, tls: configuration, posKey: TransportFixtures.posKey,
                             timeouts: TransportTimeouts(connect: 5, request: 5, payment: 0))
    }

    func testTrustedGeneratedCAIsAcceptedForEveryOperationOverOneContext() async throws {
        let chain = try TLSTestChain.make(in: try makeScratchDirectory(self))
        let terminal = try HTTPTerminalStandIn(tls: chain.serverConfiguration)
        defer { terminal.stop() }
        let https = try transport(port: terminal.port, chain.pinnedClientConfiguration)
        XCTAssertEqual(https.endpointDescription, "HTTPS 127.0.0.1:\(terminal.port)")
        for request in TransportFixtures.everyOperation {
            let response = try await https.perform(request)
            XCTAssertEqual(response, TransportFixtures.answer(to: request).withRaw(response.raw))
        }
        XCTAssertEqual(terminal.seen.map(\.path), TransportFixtures.everyOperation.map(\.operation.httpPath))
    }

    func testChainFromAnotherCAIsNotSentAndSaysItIsNotTrusted() async throws {
        let directory = try makeScratchDirectory(self)
        let served = try TLSTestChain.make(in: directory, caName: "Other CA")
        let trusted = try TLSTestChain.make(in: directory)
        let terminal = try HTTPTerminalStandIn(tls: served.serverConfiguration)
        defer { terminal.stop() }
        let failure = await failure(of: try transport(port: terminal.port, trusted.pinnedClientConfiguration), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertTrue(failure?.message.contains("is not trusted") ?? false, failure?.message ?? "")
        XCTAssertTrue(failure?.message.contains("Other CA") ?? false, failure?.message ?? "")
        XCTAssertTrue(terminal.seen.isEmpty, "nothing of the request may go out before the chain is trusted")
    }

    /// Made for the console, the transport's failure tells its user which configuration line to change.
    func testAChainFromAnotherCANamesTheConfigurationLineForTheConsole() async throws {
        let directory = try makeScratchDirectory(self)
        let served = try TLSTestChain.make(in: directory, caName: "Other CA")
        let trusted = try TLSTestChain.make(in: directory)
        let terminal = try HTTPTerminalStandIn(tls: served.serverConfiguration)
        defer { terminal.stop() }
        var configuration = trusted.pinnedClientConfiguration
        configuration.settingNaming = .configFile
        let message = await failure(of: try transport(port: terminal.port, configuration), TransportFixtures.payment)?.message ?? ""
        XCTAssertTrue(message.contains("is not trusted") && message.contains("ca_file"), message)
        XCTAssertFalse(message.contains("--ca"), message)
    }

    func testExpiredLeafIsNotSentAndSaysItExpired() async throws {
        let notAfter = Date(timeIntervalSinceNow: -86_400)
        let chain = try TLSTestChain.make(in: try makeScratchDirectory(self),
                                          leafValidity: CertificateValidity(notBefore: notAfter.addingTimeInterval(-86_400 * 30), notAfter: notAfter))
        let terminal = try HTTPTerminalStandIn(tls: chain.serverConfiguration)
        defer { terminal.stop() }
        let failure = await failure(of: try transport(port: terminal.port, chain.pinnedClientConfiguration), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertTrue(failure?.message.contains("expired on") ?? false, failure?.message ?? "")
    }

    func testTrustedChainFailingThePinIsNotSentAndSaysSo() async throws {
        let directory = try makeScratchDirectory(self)
        let chain = try TLSTestChain.make(in: directory)
        let other = try CertificateAuthority.generate(commonName: "pinned elsewhere")
        let terminal = try HTTPTerminalStandIn(tls: chain.serverConfiguration)
        defer { terminal.stop() }
        let configuration = TLSClientConfiguration(trust: .caFile(chain.caFile), pin: .sha256(.root, other.certificate.sha256))
        let failure = await failure(of: try transport(port: terminal.port, configuration), TransportFixtures.inquiry)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertTrue(failure?.message.contains("fails the pin") ?? false, failure?.message ?? "")
    }

    func testHostnameCheckRefusesALeafThatDoesNotNameTheAddress() async throws {
        let directory = try makeScratchDirectory(self)
        let authority = try CertificateAuthority.generate()
        let leaf = try authority.issue(commonName: "terminal", dnsNames: ["pos.example"], includeLoopback: false)
        let caFile = directory.appendingPathComponent("ca.pem").path
        try authority.write(certificateTo: caFile)
        let terminal = try HTTPTerminalStandIn(tls: TLSServerConfiguration(issued: leaf))
        defer { terminal.stop() }
        var configuration = TLSClientConfiguration(trust: .caFile(caFile), pin: .sha256(.root, authority.certificate.sha256))
        _ = try await transport(port: terminal.port, configuration).perform(TransportFixtures.inquiry)
        configuration.verifyHostname = true
        let failure = await failure(of: try transport(port: terminal.port, configuration), TransportFixtures.inquiry)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertTrue(failure?.message.contains("does not cover 127.0.0.1") ?? false, failure?.message ?? "")
    }

    func testUnreadableCAFileIsRefusedWhenTheTransportIsMade() throws {
        let configuration = TLSClientConfiguration(trust: .caFile("/nonexistent/qfecr-ca.pem"))
        XCTAssertThrowsError(try LANHTTPTransport(host: "127.0.0.1", tls: configuration, posKey: TransportFixtures.posKey)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/qfecr-ca.pem"), "\(error)")
        }
    }
}

extension ECRResponse {
    /// The same answer with another raw form, to compare meaning rather than member order.
    func withRaw(_ raw: JSONObject) -> ECRResponse {
        ECRResponse(outer: outer, respmsg: respmsg, resperr: resperr, data: data, raw: raw, wasEncrypted: wasEncrypted)
    }
}
