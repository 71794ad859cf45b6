import ECRProtocol
import Foundation
import Synchronization
import XCTest
@testable import ECRTransport

/// What each transport measures of an exchange, on an injected clock that moves 1 ms a reading:
/// connect, TLS handshake, first byte and total where they apply, the exchange's tag, and over
/// HTTPS the chain the terminal showed (also when the chain was refused).
final class ExchangeTimingTests: XCTestCase {
    /// Reports kept in order; events and notes ignored.
    final class ReportRecorder: WireReportObserver {
        private let kept = Mutex<[WireExchangeReport]>([])
        func observe(_ event: WireEvent) {}
        func observe(report: WireExchangeReport) { kept.withLock { $0.append(report) } }
        var reports: [WireExchangeReport] { kept.withLock { $0 } }
    }

    /// 0 ms, 1 ms, 2 ms, … one step each time it is read.
    static func steppingClock() -> TransportClock {
        let readings = Mutex<UInt64>(0)
        return TransportClock { readings.withLock { value in defer { value += 1_000_000 }; return value } }
    }

    static func https(port: UInt16, _ configuration: TLSClientConfiguration, reportingTo recorder: ReportRecorder) throws -> LANHTTPTransport {
        try LANHTTPTransport(host: "127.0.0.1", port: port, tls: configuration, posKey: TransportFixtures.posKey,
                             timeouts: TransportTimeouts(connect: 5, request: 5, payment: 0), observer: recorder, clock: steppingClock())
    }

    func testHTTPSTimesEachStepAndKeepsTheChainForTheTaggedExchange() async throws {
        let chain = try TLSTestChain.make(in: try makeScratchDirectory(self))
        let terminal = try HTTPTerminalStandIn(tls: chain.serverConfiguration)
        defer { terminal.stop() }
        let recorder = ReportRecorder()
        let https = try Self.https(port: terminal.port, chain.pinnedClientConfiguration, reportingTo: recorder)
        _ = try await WireExchangeTag.$current.withValue(7) { try await https.perform(TransportFixtures.inquiry) }
        let report = try XCTUnwrap(recorder.reports.first)
        XCTAssertEqual(recorder.reports.count, 1, "once per exchange")
        XCTAssertEqual(report.exchange, 7, "the caller's tag")
        XCTAssertEqual(report.label, "HTTPS 127.0.0.1:\(terminal.port)")
        XCTAssertEqual(report.timings, ExchangeTimings(connect: .milliseconds(1), tlsHandshake: .milliseconds(1),
                                                       firstByte: .milliseconds(5), total: .milliseconds(6)))
        let tls = try XCTUnwrap(report.tls)
        XCTAssertFalse(tls.protocolVersion.isEmpty)
        XCTAssertEqual(tls.presentedChain.first?.sha256, chain.leaf.certificate.sha256, "the terminal's own certificate first")
        XCTAssertEqual(tls.presentedChain.first?.issuer, chain.authority.certificate.subject)
        XCTAssertEqual(report.timings.line, "connect 1.0 ms, TLS handshake 1.0 ms, first byte 5.0 ms, total 6.0 ms")
    }

    func testARefusedChainIsKeptWithNoSession() async throws {
        let directory = try makeScratchDirectory(self)
        let served = try TLSTestChain.make(in: directory, caName: "Other CA")
        let trusted = try TLSTestChain.make(in: directory)
        let terminal = try HTTPTerminalStandIn(tls: served.serverConfiguration)
        defer { terminal.stop() }
        let recorder = ReportRecorder()
        let https = try Self.https(port: terminal.port, trusted.pinnedClientConfiguration, reportingTo: recorder)
        let refused = await failure(of: https, TransportFixtures.inquiry)
        XCTAssertEqual(refused?.certainty, .notSent)
        let report = try XCTUnwrap(recorder.reports.first)
        XCTAssertEqual(report.tls?.protocolVersion, "", "the handshake did not complete")
        XCTAssertEqual(report.tls?.presentedChain.first?.issuer, served.authority.certificate.subject, "what the terminal showed")
        XCTAssertNil(report.timings.firstByte)
        XCTAssertNotNil(report.timings.total)
    }

    func testPlainHTTPHasNoHandshake() async throws {
        let terminal = try HTTPTerminalStandIn()
        defer { terminal.stop() }
        let recorder = ReportRecorder()
        let http = LANHTTPTransport(host: "127.0.0.1", port: terminal.port, posKey: TransportFixtures.posKey,
                                    timeouts: TransportFixtures.quick, observer: recorder, clock: Self.steppingClock())
        _ = try await http.perform(TransportFixtures.inquiry)
        XCTAssertEqual(recorder.reports.map(\.timings), [ExchangeTimings(connect: .milliseconds(1), firstByte: .milliseconds(3),
                                                                        total: .milliseconds(4))])
        XCTAssertNil(recorder.reports.first?.exchange, "untagged")
        XCTAssertNil(recorder.reports.first?.tls)
    }

    func testARefusalOnTheCallersThreadIsStillTimedToTheEnd() async throws {
        let recorder = ReportRecorder()
        let http = LANHTTPTransport(host: "127.0.0.1", port: try closedLoopbackPort(), posKey: TransportFixtures.posKey,
                                    timeouts: TransportFixtures.quick, observer: recorder, clock: Self.steppingClock())
        let refused = await failure(of: http, TransportFixtures.inquiry)
        XCTAssertEqual(refused?.kind, .connectionRefused)
        let report = try XCTUnwrap(recorder.reports.first)
        XCTAssertEqual(recorder.reports.count, 1)
        XCTAssertEqual(report.timings.connect, .milliseconds(1))
        XCTAssertNil(report.timings.firstByte)
        XCTAssertNotNil(report.timings.total, "the exchange ended, though its job never ran")
    }

    func testTCPPacketsTimeTheConnectionAndTheFirstByteBack() async throws {
        let terminal = try PacketTCPTerminal(PacketTerminal())
        defer { terminal.stop() }
        let recorder = ReportRecorder()
        let tcp = LANTCPTransport(host: "127.0.0.1", port: terminal.port, posKey: TransportFixtures.posKey,
                                  timeouts: TransportTimeouts(connect: 2, request: 3, payment: 0), observer: recorder, clock: Self.steppingClock())
        _ = try await tcp.perform(TransportFixtures.inquiry)
        XCTAssertEqual(recorder.reports.map(\.timings), [ExchangeTimings(connect: .milliseconds(1), firstByte: .milliseconds(3),
                                                                        total: .milliseconds(4))])
    }

    func testSerialHasOnlyTheFirstByteAndTheTotal() async throws {
        let pty = try PseudoTerminal()
        let terminal = PacketTerminal()
        let thread = try JoinableThread(name: "serial terminal") { terminal.serve(pty, answers: 1) }
        defer {
            thread.join()
            pty.close()
        }
        let recorder = ReportRecorder()
        let serial = SerialTransport(device: pty.devicePath, posKey: TransportFixtures.posKey,
                                     timeouts: TransportTimeouts(connect: 1, request: 3, payment: 0), observer: recorder,
                                     clock: Self.steppingClock())
        defer { serial.close() }
        _ = try await serial.perform(TransportFixtures.inquiry)
        XCTAssertEqual(recorder.reports.map(\.timings), [ExchangeTimings(firstByte: .milliseconds(1), total: .milliseconds(2))])
    }

    func testMillisecondsReadWithOneDecimal() {
        XCTAssertEqual(ExchangeTimings.milliseconds(.microseconds(412)), "0.4")
        XCTAssertEqual(ExchangeTimings.milliseconds(.microseconds(6_400_347)), "6400.3")
        XCTAssertEqual(ExchangeTimings.milliseconds(.seconds(2)), "2000.0")
        XCTAssertEqual(ExchangeTimings().line, "")
    }
}
