import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import XCTest

/// The till host on the simulator: the wire log and `--trace` come from the same records, each
/// exchange holds its own bytes (masked), and packet links show their packet fields.
final class TillHostWireLogTests: XCTestCase {
    func testEveryByteOnTheWireIsInTheLogAndInTheTraceOnce() async throws {
        let simulator = try SimulatorFixture(customerDelay: 0.05)
        defer { simulator.stop() }
        for kind in [TransportKind.http, .tcp] {
            var profile = try simulator.profile(kind)
            profile.journalDirectory = simulator.scratch.appendingPathComponent("journal-\(kind.rawValue)").path
            profile.pollInterval = 0.1
            // One simulator for both: a till of its own each, so their out_trade_no never meet.
            profile.tillId = kind == .http ? "T01" : "T02"
            let trace = WireRecorder()
            var options = TillHost.Options()
            options.wireObservers = [trace]
            let host = try TillHost(profile: profile, options: options)
            let engine = try XCTUnwrap(host.engine)
            let attempt = try await engine.pay(amount: Amount(cents: 1250), channel: .wechat)
            XCTAssertEqual(attempt.state, .approved, "\(kind)")
            await host.stop()

            let log = host.wireLog.entries
            let exchanges = log.filter { $0.kind == .exchange }
            XCTAssertEqual(exchanges.first?.operation, .payment, "\(kind)")
            XCTAssertTrue(exchanges.allSatisfy(\.finished), "\(kind)")
            XCTAssertTrue(exchanges.allSatisfy { !$0.sent.isEmpty && !$0.received.isEmpty }, "\(kind): every exchange has its bytes")
            XCTAssertEqual(log.flatMap(\.sent), trace.bytes(.outbound), "\(kind): the trace and the log saw the same bytes out")
            XCTAssertEqual(log.flatMap(\.received), trace.bytes(.inbound), "\(kind): and in")
            let key = TerminalSettings.defaultPOSKey
            XCTAssertFalse(String(decoding: log.flatMap(\.sent), as: UTF8.self).contains(key), "\(kind): the key is masked")
            if kind == .tcp {
                XCTAssertTrue(exchanges[0].packets(.outbound).first?.hasPrefix("message ref ") ?? false,
                              "\(exchanges[0].packets(.outbound))")
                XCTAssertTrue(exchanges[0].packets(.inbound).contains { $0.hasPrefix("ack ref") }, "\(exchanges[0].packets(.inbound))")
            } else {
                XCTAssertEqual(exchanges[0].packets(.outbound), [], "HTTP carries no packets")
            }
        }
    }
}
