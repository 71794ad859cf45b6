import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

final class LANTCPTransportTests: XCTestCase {
    private func transport(port: UInt16, framing: TCPFraming = .packet, timeouts: TransportTimeouts = TransportFixtures.quick,
                           observer: (any WireObserver)? = nil) -> LANTCPTransport {
        LANTCPTransport(host: "127.0.0.1", port: port, framing: framing, posKey: TransportFixtures.posKey, timeouts: timeouts,
                        observer: observer)
    }

    private var patient: TransportTimeouts { TransportTimeouts(connect: 2, request: 3, payment: 0) }

    // MARK: Packet framing

    func testEveryOperationTravelsInPacketsWithRefsCountingAcrossConnections() async throws {
        let terminal = try PacketTCPTerminal(PacketTerminal(), connections: TransportFixtures.everyOperation.count)
        defer { terminal.stop() }
        let tcp = transport(port: terminal.port, timeouts: patient)
        XCTAssertEqual(tcp.endpointDescription, "TCP 127.0.0.1:\(terminal.port)")
        for request in TransportFixtures.everyOperation {
            let response = try await tcp.perform(request)
            XCTAssertEqual(response.data, TransportFixtures.answer(to: request).data, "\(request.operation)")
        }
        XCTAssertEqual(terminal.terminal.seen.map(\.request), TransportFixtures.everyOperation)
        XCTAssertEqual(Set(terminal.terminal.seen.map(\.form)), [.encryptedQuoted])
        XCTAssertEqual(terminal.terminal.refs, [1, 2, 3, 4, 5, 6])
    }

    func testAnswerSplitIntoSeveralPacketsIsReassembled() async throws {
        let terminal = try PacketTCPTerminal(PacketTerminal(maxDataPerPacket: 40))
        defer { terminal.stop() }
        let recorder = NoteRecorder()
        let response = try await transport(port: terminal.port, timeouts: patient, observer: recorder).perform(TransportFixtures.payment)
        XCTAssertEqual(response.data, TransportFixtures.answer(to: TransportFixtures.payment).data)
        let inboundPackets = recorder.events.filter { $0.direction == .inbound }.flatMap(\.bytes)
        XCTAssertGreaterThan(inboundPackets.count, TransportFixtures.answerBytes(to: TransportFixtures.payment).count + 3 * 11,
                             "the answer came in several packets")
    }

    func testRefusedConnectionIsNotSent() async throws {
        let failure = await failure(of: transport(port: try closedLoopbackPort()), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent)
    }

    func testNoAcknowledgementWithinASecondIsUnknown() async throws {
        let terminal = try PacketTCPTerminal(PacketTerminal(behaviour: .neverAcknowledge))
        defer { terminal.stop() }
        var result: TransportFailure?
        let seconds = await elapsed { result = await failure(of: transport(port: terminal.port, timeouts: patient), TransportFixtures.payment) }
        XCTAssertEqual(result?.certainty, .unknown)
        XCTAssertTrue(result?.message.contains("no acknowledgement for packet ref 0x01") ?? false, result?.message ?? "")
        XCTAssertEqual(seconds, 1.0, accuracy: 0.5)
        XCTAssertEqual(terminal.terminal.seen.count, 1, "the request did arrive: that is why the outcome is unknown")
    }

    func testPeerClosingAfterTheRequestIsUnknown() async throws {
        let terminal = try PacketTCPTerminal(PacketTerminal(behaviour: .closeAfterRequest))
        defer { terminal.stop() }
        let failure = await failure(of: transport(port: terminal.port, timeouts: patient), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("closed the connection") ?? false, failure?.message ?? "")
    }

    func testAcknowledgedButNeverAnsweredIsUnknownAtTheDeadline() async throws {
        let terminal = try PacketTCPTerminal(PacketTerminal(behaviour: .acknowledgeOnly))
        defer { terminal.stop() }
        var result: TransportFailure?
        let seconds = await elapsed { result = await failure(of: transport(port: terminal.port), TransportFixtures.inquiry) }
        XCTAssertEqual(result?.certainty, .unknown)
        XCTAssertTrue(result?.message.contains("No answer") ?? false, result?.message ?? "")
        XCTAssertEqual(seconds, 0.5, accuracy: 0.3)
    }

    func testGarbledAnswerIsUnknown() async throws {
        let terminal = try PacketTCPTerminal(PacketTerminal { _ in Array("%%% not an answer %%%".utf8) })
        defer { terminal.stop() }
        let failure = await failure(of: transport(port: terminal.port, timeouts: patient), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("cannot be read") ?? false, failure?.message ?? "")
    }

    func testErrorPacketInsteadOfAnAckIsNotSentWithItsMeaning() async throws {
        let terminal = try PacketTCPTerminal(PacketTerminal(behaviour: .refuse(.decryptionError)))
        defer { terminal.stop() }
        let failure = await failure(of: transport(port: terminal.port, timeouts: patient), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertTrue(failure?.message.contains("decryption error") ?? false, failure?.message ?? "")
    }

    /// An acknowledged request reached the terminal: an error packet that names its ref afterwards
    /// (the terminal complaining about something else, e.g. the till's ack of its own message,
    /// which carries the same ref number) cannot make it "not sent" — only "unknown".
    func testErrorPacketAfterTheAckIsUnknownNotNotSent() async throws {
        let peer = try MisbehavingPeer { connection in
            let deadline = Deadline.after(seconds: 5)
            var received: [UInt8] = []
            // One whole request packet: its total length is in bytes 5–6.
            while received.count < 7 || received.count < Int(received[5]) << 8 | Int(received[6]) {
                let chunk = try connection.read(maxCount: 4096, deadline: deadline)
                if chunk.isEmpty { return }
                received += chunk
            }
            let ref = received[4]
            try connection.write(PacketEncoder().encodeAck(ref: ref), deadline: deadline)
            Thread.sleep(forTimeInterval: 0.1)
            try connection.write(PacketEncoder().encodeError(.formatError, ref: ref), deadline: deadline)
            _ = try? connection.read(maxCount: 4096, deadline: .after(seconds: 2))
        }
        defer { peer.stop() }
        let failure = await failure(of: transport(port: peer.port, timeouts: patient), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown, failure?.message ?? "")
    }

    // MARK: Raw framing

    /// A raw-mode terminal: reads one request body, answers `reply`, then closes if asked to.
    private func rawTerminal(reply: @escaping @Sendable (ECRRequest) -> [UInt8], closeAfter: Bool = false,
                             seen: LockedBox<[SeenRequest]>) throws -> MisbehavingPeer {
        try MisbehavingPeer { connection in
            var received: [UInt8] = []
            let deadline = Deadline.after(seconds: 5)
            while RawTransportFraming.completeAnswerLength(received) == nil {
                let chunk = try connection.read(maxCount: 4096, deadline: deadline)
                if chunk.isEmpty { return }
                received += chunk
            }
            let request = try readEnvelope(received)
            seen.mutate { $0.append(request) }
            try connection.write(reply(request.request), deadline: deadline)
            if !closeAfter { _ = try? connection.read(maxCount: 1, deadline: deadline) }
        }
    }

    func testRawFramingSendsTheBareBodyAndReadsOneJSONAnswer() async throws {
        let seen = LockedBox<[SeenRequest]>([])
        let peer = try rawTerminal(reply: { TransportFixtures.answerBytes(to: $0) + Array("\n".utf8) }, seen: seen)
        defer { peer.stop() }
        let tcp = transport(port: peer.port, framing: .raw, timeouts: patient)
        XCTAssertEqual(tcp.endpointDescription, "TCP 127.0.0.1:\(peer.port) (raw)")
        let response = try await tcp.perform(TransportFixtures.refund)
        XCTAssertEqual(response.data, TransportFixtures.answer(to: TransportFixtures.refund).data)
        XCTAssertEqual(seen.value.map(\.request), [TransportFixtures.refund])
    }

    func testRawFramingReadsQuotedAndBareEncryptedAnswers() async throws {
        let cipher = try AESCipher(posKey: TransportFixtures.posKey)
        for quoted in [true, false] {
            let seen = LockedBox<[SeenRequest]>([])
            let peer = try rawTerminal(reply: { request in
                let base64 = cipher.encryptToBase64(TransportFixtures.answer(to: request).serialized())
                return Array((quoted ? "\"\(base64)\"" : base64).utf8)
            }, closeAfter: !quoted, seen: seen)
            let response = try await transport(port: peer.port, framing: .raw, timeouts: patient).perform(TransportFixtures.inquiry)
            peer.stop()
            XCTAssertTrue(response.wasEncrypted)
            XCTAssertEqual(response.data, TransportFixtures.answer(to: TransportFixtures.inquiry).data, quoted ? "quoted" : "bare")
        }
    }

    func testRawPeerClosingWithoutAnAnswerIsUnknown() async throws {
        let peer = try MisbehavingPeer { connection in _ = try connection.read(maxCount: 4096, deadline: .after(seconds: 5)) }
        defer { peer.stop() }
        let failure = await failure(of: transport(port: peer.port, framing: .raw, timeouts: patient), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
    }

    func testRawAnswerThatIsNotAnAnswerIsUnknown() async throws {
        let seen = LockedBox<[SeenRequest]>([])
        let peer = try rawTerminal(reply: { _ in Array(#"{"hello":"world"}"#.utf8) }, seen: seen)
        defer { peer.stop() }
        let failure = await failure(of: transport(port: peer.port, framing: .raw, timeouts: patient), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
        XCTAssertTrue(failure?.message.contains("no respcd") ?? false, failure?.message ?? "")
    }
}
