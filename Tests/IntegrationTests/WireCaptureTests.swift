import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import XCTest

/// What the transports measure reaches the wire log's own entry and the `--trace` file: the step
/// times on every link, and over the simulator's HTTPS (its generated identity) the chain it shows.
final class WireCaptureTests: XCTestCase {
    func testTheSimulatorsHTTPSChainIsOnTheExchangeAndInTheTrace() async throws {
        let simulator = try SimulatorFixture(customerDelay: 0.05)
        defer { simulator.stop() }
        var profile = try simulator.profile(.https)
        profile.journalDirectory = simulator.scratch.appendingPathComponent("journal").path
        let tracePath = simulator.scratch.appendingPathComponent("trace.log").path
        var options = TillHost.Options()
        options.wireObservers = [try WireTraceFile(path: tracePath)]
        let host = try TillHost(profile: profile, options: options)
        let engine = try XCTUnwrap(host.engine)
        let answer = try await engine.query(.outTradeNo("T09-NEVER-SEEN"))
        XCTAssertNotNil(answer.response)
        await host.stop()

        let entry = try XCTUnwrap(host.wireLog.entries.last { $0.kind == .exchange })
        let tls = try XCTUnwrap(entry.tls, "the exchange holds its connection's TLS session")
        XCTAssertTrue(tls.protocolVersion.hasPrefix("TLSv1."), tls.protocolVersion)
        let chain = tls.presentedChain
        XCTAssertEqual(chain.first?.subject, "CN=qfecr simulator terminal", "the terminal's own certificate first")
        XCTAssertEqual(chain.first?.issuer, "CN=qfecr simulator CA")
        let caFingerprint = try CertificateFile.sha256Fingerprint(atPath: try XCTUnwrap(profile.caFile))
        XCTAssertTrue(chain.contains { $0.sha256 == caFingerprint }, "the CA the simulator generated, by its SHA-256")
        for certificate in chain { XCTAssertTrue(certificate.isValid(at: Date()), "\(certificate.subject) valid now") }

        let timings = try XCTUnwrap(entry.timings)
        let connect = try XCTUnwrap(timings.connect), handshake = try XCTUnwrap(timings.tlsHandshake)
        let first = try XCTUnwrap(timings.firstByte), total = try XCTUnwrap(timings.total)
        XCTAssertLessThanOrEqual(connect + handshake, first, "connected and secured before the answer came")
        XCTAssertLessThanOrEqual(first, total)

        let trace = try String(contentsOfFile: tracePath, encoding: .utf8)
        XCTAssertTrue(trace.contains(" timing HTTPS 127.0.0.1:"), trace)
        XCTAssertTrue(trace.contains("TLS handshake ") && trace.contains("first byte ") && trace.contains("total "), trace)
        XCTAssertTrue(trace.contains("certificate 0: subject CN=qfecr simulator terminal; issuer CN=qfecr simulator CA;"), trace)
        XCTAssertTrue(trace.contains("SHA-256 \(caFingerprint.colonHex)"), "the CA's fingerprint in the trace")
    }

    func testEveryLinkRecordsWhatAppliesToItOnItsOwnExchange() async throws {
        let simulator = try SimulatorFixture(customerDelay: 0.05)
        defer { simulator.stop() }
        for kind in [TransportKind.http, .tcp, .serial, .cloud] {
            var profile = try simulator.profile(kind)
            profile.journalDirectory = simulator.scratch.appendingPathComponent("journal-\(kind.rawValue)").path
            profile.pollInterval = 0.1
            profile.tillId = "T0\(kind.rawValue.count)"
            let host = try TillHost(profile: profile)
            let engine = try XCTUnwrap(host.engine)
            let attempt = try await engine.pay(amount: Amount(cents: 1250), channel: .wechat)
            XCTAssertEqual(attempt.state, .approved, "\(kind)")
            await host.stop()
            let exchanges = host.wireLog.entries.filter { $0.kind == .exchange }
            XCTAssertFalse(exchanges.isEmpty, "\(kind)")
            for entry in exchanges {
                let timings = try XCTUnwrap(entry.timings, "\(kind) \(entry.operation?.rawValue ?? "")")
                XCTAssertNotNil(timings.firstByte, "\(kind)")
                XCTAssertNotNil(timings.total, "\(kind)")
                XCTAssertEqual(timings.connect == nil, kind == .serial, "\(kind): a connection on every link but the serial line")
                XCTAssertNil(timings.tlsHandshake, "\(kind): no TLS")
                XCTAssertNil(entry.tls, "\(kind)")
            }
        }
    }
}
