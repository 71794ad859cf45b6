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

/// With `notify_listen` configured the host runs the receiver, and what it receives is in the log.
final class TillHostNotificationTests: XCTestCase {
    func testAReceivedNotificationIsANoteInTheLog() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-host-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var profile = TerminalProfile()
        profile.host = "127.0.0.1"
        profile.port = 9
        profile.posKey = Secret(TerminalSettings.defaultPOSKey)
        profile.journalDirectory = directory
        profile.notifyListen = "127.0.0.1:0"
        profile.notifyKey = Secret("notify-key-for-the-host-tests")
        var options = TillHost.Options()
        options.receivesNotifications = true
        let host = try TillHost(profile: profile, options: options)
        let receiver = try XCTUnwrap(host.notificationReceiver)
        let engine = try XCTUnwrap(host.engine)

        // Unsigned: refused, and the refusal is what the log shows.
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: receiver.port, timeout: 2)
        var request = HTTPRequest(method: "POST", target: "/qfpay/notify", body: Array(#"{"out_trade_no":"X1"}"#.utf8))
        request.headers.add("Host", "127.0.0.1:\(receiver.port)")
        request.headers.add("Content-Type", "application/json")
        _ = try HTTPClient.exchange(request, over: connection, deadline: .after(seconds: 5))
        connection.close()

        // The receiver hands the note to the engine on a task of its own: wait for it, up to 5 s.
        var notes: [String] = []
        for _ in 0..<100 where !notes.contains(where: { $0.hasPrefix("notification: ") }) {
            notes = await engine.snapshot.log.filter { $0.kind == .note }.compactMap(\.note)
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTAssertTrue(notes.contains { $0.hasPrefix("notification: ") }, "\(notes)")
        XCTAssertFalse(notes.joined().contains("notify-key-for-the-host-tests"), "the key never in the log")
        await host.stop()
        XCTAssertNil(host.notificationReceiver, "stopping the host stops the receiver")
    }
}
