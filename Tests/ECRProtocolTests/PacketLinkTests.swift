import XCTest
import ECRProtocol

final class PacketLinkTests: XCTestCase {
    private let encoder = PacketEncoder()
    private let seedMessage = Array(PacketSeedSample.plaintext.utf8)

    func testSentMessageIsAcknowledged() throws {
        var link = PacketLink()
        let actions = try link.send(message: seedMessage, at: 5_000)
        XCTAssertEqual(actions, [
            .write(try PacketHex.parse(PacketSeedSample.packetHex)),
            .armAckTimer(ref: 0x01, deadline: 6_000),
        ])
        XCTAssertEqual(link.status, .awaitingAck(ref: 0x01, deadline: 6_000))
        XCTAssertEqual(link.received(bytes: encoder.encodeAck(ref: 0x01), at: 5_300), [.acknowledged(ref: 0x01)])
        XCTAssertEqual(link.status, .idle)
        XCTAssertEqual(link.tick(at: 7_000), [], "no timeout once acknowledged")
    }

    func testNoAckWithin1000MillisecondsTakesTheLinkDown() throws {
        var link = PacketLink()
        _ = try link.send(message: seedMessage, at: 5_000)
        XCTAssertEqual(link.nextDeadline, 6_000)
        XCTAssertEqual(link.tick(at: 5_999), [])
        let reason = PacketLinkDownReason.ackTimeout(ref: 0x01, waitedMilliseconds: 1_000)
        XCTAssertEqual(link.tick(at: 6_000), [.linkDown(reason)])
        XCTAssertEqual(link.status, .down(reason))
        XCTAssertTrue("\(reason)".contains("0x01"))
        XCTAssertThrowsError(try link.send(message: [1], at: 6_001)) {
            XCTAssertEqual($0 as? PacketLinkError, .linkDown(reason))
        }
        link.reconnected()
        XCTAssertEqual(link.status, .idle)
        let next = try link.send(message: [1], at: 7_000)
        XCTAssertEqual(next.last, .armAckTimer(ref: 0x02, deadline: 8_000), "refs keep counting across a reconnect")
    }

    func testAckArrivingAfterTheDeadlineIsTooLate() throws {
        var link = PacketLink()
        _ = try link.send(message: seedMessage, at: 0)
        XCTAssertEqual(link.received(bytes: encoder.encodeAck(ref: 0x01), at: 1_000), [
            .linkDown(.ackTimeout(ref: 0x01, waitedMilliseconds: 1_000)),
            .unexpectedAck(ref: 0x01),
        ])
    }

    func testSecondSendWhileAwaitingAnAckIsRefused() throws {
        var link = PacketLink()
        _ = try link.send(message: [1], at: 0)
        XCTAssertThrowsError(try link.send(message: [2], at: 10)) {
            XCTAssertEqual($0 as? PacketLinkError, .awaitingAck(ref: 0x01))
        }
        XCTAssertEqual(link.status, .awaitingAck(ref: 0x01, deadline: 1_000), "the refused send changed nothing")
    }

    func testMessageTooLongIsRefusedWithoutUsingARef() throws {
        var link = PacketLink()
        XCTAssertThrowsError(try link.send(message: [UInt8](repeating: 0, count: 70_000), at: 0)) {
            XCTAssertEqual($0 as? PacketEncodingError, .messageTooLong(byteCount: 70_000))
        }
        XCTAssertEqual(link.status, .idle)
        XCTAssertEqual(try link.send(message: [1], at: 0).last, .armAckTimer(ref: 0x01, deadline: 1_000))
    }

    func testReceivedRequestIsAcknowledgedWithItsRefAndDelivered() throws {
        var link = PacketLink()
        let packet = try encoder.encodeRequest(seedMessage, ref: 0x42)[0]
        XCTAssertEqual(link.received(bytes: packet, at: 100), [
            .write(encoder.encodeAck(ref: 0x42)),
            .deliver(ref: 0x42, message: seedMessage),
        ])
    }

    func testSplitMessageIsAcknowledgedOnceWhenWhole() throws {
        var link = PacketLink()
        let message = packetTestMessage(count: 2500)
        let parts = try encoder.encodeRequest(message, ref: 0x07)
        XCTAssertEqual(link.received(bytes: parts[0], at: 0), [])
        XCTAssertEqual(link.received(bytes: parts[1], at: 100), [])
        XCTAssertEqual(link.received(bytes: parts[2], at: 200), [
            .write(encoder.encodeAck(ref: 0x07)),
            .deliver(ref: 0x07, message: message),
        ])
    }

    func testPeerErrorIsSurfacedWithItsMeaningAndEndsTheWait() throws {
        var link = PacketLink()
        _ = try link.send(message: seedMessage, at: 0)
        let actions = link.received(bytes: encoder.encodeError(.decryptionError, ref: 0x01), at: 50)
        XCTAssertEqual(actions, [.peerReportedError(ref: 0x01, type: .decryptionError)])
        guard case let .peerReportedError(_, type)? = actions.first else { return }
        XCTAssertTrue(type.meaning.contains("POS-KEY"), type.meaning)
        XCTAssertEqual(link.status, .idle)
    }

    func testBrokenRequestIsAnsweredWithAFormatError() throws {
        var link = PacketLink()
        var packet = try encoder.encodeRequest(seedMessage, ref: 0x33)[0]
        packet[packet.count - 2] = 0x00
        let actions = link.received(bytes: packet, at: 0)
        XCTAssertEqual(actions.prefix(2).last, .write(encoder.encodeError(.formatError, ref: 0x33)))
        guard case .framingProblem(.badEndMarker)? = actions.first else {
            return XCTFail("\(actions)")
        }
    }

    func testBrokenAckIsLoggedButNotAnswered() {
        var link = PacketLink()
        let brokenAck: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x05, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x00]
        let actions = link.received(bytes: brokenAck, at: 0) + link.tick(at: 1_000)
        XCTAssertFalse(actions.contains { if case .write = $0 { return true } else { return false } }, "\(actions)")
    }

    func testAbandonedSplitMessageIsAnsweredWithAReassemblyError() throws {
        var link = PacketLink()
        let parts = try encoder.encodeRequest(packetTestMessage(count: 2000), ref: 0x08)
        XCTAssertEqual(link.received(bytes: parts[0], at: 0), [])
        XCTAssertEqual(link.nextDeadline, 500)
        XCTAssertEqual(link.tick(at: 500), [
            .reassemblyFailed(ref: 0x08, reason: .timedOut(afterMilliseconds: 500)),
            .write(encoder.encodeError(.reassemblyError, ref: 0x08)),
        ])
    }

    func testUnexpectedAckIsReported() {
        var link = PacketLink()
        XCTAssertEqual(link.received(bytes: encoder.encodeAck(ref: 0x09), at: 0), [.unexpectedAck(ref: 0x09)])
    }

    func testSerialSettingsAllowForTheTimeTheBytesTakeOnTheLine() throws {
        var link = PacketLink(settings: .serial9600)
        let actions = try link.send(message: packetTestMessage(count: 3000), at: 0)
        // 3033 bytes at 1042 µs each ≈ 3161 ms on the line, then the 1000 ms ack window.
        XCTAssertEqual(actions.last, .armAckTimer(ref: 0x01, deadline: 1_000 + (3033 * 1042 + 999) / 1000))
        XCTAssertEqual(actions.count, 4)
    }

    func testTwoLinksTalkToEachOther() throws {
        var register = PacketLink()
        var terminal = PacketLink(refs: PacketRefCounter(startingAt: 0x7F))
        let request = packetTestMessage(count: 1500, salt: 1)
        let answer = Array(#"{"respcd":"0000"}"#.utf8)

        let toTerminal = try register.send(message: request, at: 0).writtenBytes
        let atTerminal = terminal.received(bytes: toTerminal, at: 10)
        XCTAssertEqual(atTerminal.delivered, [request])
        XCTAssertEqual(register.received(bytes: atTerminal.writtenBytes, at: 20), [.acknowledged(ref: 0x01)])

        let toRegister = try terminal.send(message: answer, at: 500).writtenBytes
        let atRegister = register.received(bytes: toRegister, at: 510)
        XCTAssertEqual(atRegister.delivered, [answer])
        XCTAssertEqual(terminal.received(bytes: atRegister.writtenBytes, at: 520), [.acknowledged(ref: 0x7F)])
        XCTAssertEqual(register.status, .idle)
        XCTAssertEqual(terminal.status, .idle)
    }
}

private extension Array where Element == PacketLink.Action {
    var writtenBytes: [UInt8] {
        flatMap { action -> [UInt8] in
            if case let .write(bytes) = action { return bytes }
            return []
        }
    }

    var delivered: [[UInt8]] {
        compactMap { action in
            if case let .deliver(_, message) = action { return message }
            return nil
        }
    }
}
