import XCTest
import ECRProtocol

/// Split messages: parts share a ref; the next part must start within 500 ms of the previous one.
final class PacketReassemblyTests: XCTestCase {
    private let message = packetTestMessage(count: 3000, salt: 9)
    private var parts: [[UInt8]] { try! PacketEncoder().encodeRequest(message, ref: 0x11) }

    func testPartsWithin499MillisecondsReassemble() {
        var decoder = PacketDecoder()
        XCTAssertEqual(decoder.feed(parts[0], at: 10_000), [])
        XCTAssertTrue(decoder.isReassembling)
        XCTAssertEqual(decoder.nextDeadline, 10_500)
        XCTAssertEqual(decoder.tick(at: 10_499), [])
        XCTAssertEqual(decoder.feed(parts[1], at: 10_499), [])
        XCTAssertEqual(decoder.feed(parts[2], at: 10_998), [.message(ref: 0x11, data: message)])
        XCTAssertFalse(decoder.isReassembling)
        XCTAssertNil(decoder.nextDeadline)
    }

    func testMissingPartFor500MillisecondsFailsTheMessage() {
        var decoder = PacketDecoder()
        _ = decoder.feed(parts[0], at: 10_000)
        XCTAssertEqual(decoder.tick(at: 10_499), [])
        XCTAssertEqual(decoder.tick(at: 10_500), [.reassemblyFailed(ref: 0x11, reason: .timedOut(afterMilliseconds: 500))])
        XCTAssertFalse(decoder.isReassembling)
        XCTAssertEqual(decoder.tick(at: 20_000), [])
    }

    func testPartArrivingAt500MillisecondsIsTooLateAndFailsInTurn() {
        var decoder = PacketDecoder()
        _ = decoder.feed(parts[0], at: 0)
        XCTAssertEqual(decoder.feed(parts[1], at: 500), [.reassemblyFailed(ref: 0x11, reason: .timedOut(afterMilliseconds: 500))])
        // The late part cannot complete anything (its first part is gone), so it fails too.
        XCTAssertEqual(decoder.feed(parts[2], at: 600), [])
        XCTAssertEqual(decoder.tick(at: 1_100), [.reassemblyFailed(ref: 0x11, reason: .timedOut(afterMilliseconds: 500))])
    }

    func testOnlyTheNextPartsHeaderHasToBeInTime() {
        // At 9600 baud a 1035-byte part takes over a second: the deadline covers its start only.
        var decoder = PacketDecoder()
        _ = decoder.feed(parts[0], at: 0)
        XCTAssertEqual(decoder.feed(Array(parts[1].prefix(9)), at: 499), [])
        XCTAssertEqual(decoder.nextDeadline, 999, "only the stalled-packet deadline is left")
        var time: Milliseconds = 499
        for chunk in stride(from: 9, to: parts[1].count, by: 96).map({ Array(parts[1][$0..<min($0 + 96, parts[1].count)]) }) {
            time += 100
            XCTAssertEqual(decoder.feed(chunk, at: time), [])
        }
        XCTAssertEqual(decoder.feed(parts[2], at: time + 10), [.message(ref: 0x11, data: message)])
    }

    func testHeaderOfTheNextPartOneMillisecondLateFails() {
        var decoder = PacketDecoder()
        _ = decoder.feed(parts[0], at: 0)
        XCTAssertEqual(decoder.feed(Array(parts[1].prefix(8)), at: 499), [])
        XCTAssertEqual(decoder.feed([parts[1][8]], at: 500), [.reassemblyFailed(ref: 0x11, reason: .timedOut(afterMilliseconds: 500))])
    }

    func testRequestWithAnotherRefInterruptsAndIsStillDelivered() throws {
        let other = try PacketEncoder().encodeRequest(Array("hello".utf8), ref: 0x12)[0]
        assertPacketEvents(packetDecodeEvents([parts[0] + other + parts[1] + parts[2]]), [
            .reassemblyFailed(ref: 0x11, reason: .interrupted(byRef: 0x12)),
            .message(ref: 0x12, data: Array("hello".utf8)),
            // The stray parts start a reassembly that can never complete.
            .reassemblyFailed(ref: 0x11, reason: .timedOut(afterMilliseconds: 500)),
        ])
    }

    func testPartDeclaringAnotherLengthBreaksTheSequence() throws {
        let foreign = try PacketEncoder().encodeRequest(packetTestMessage(count: 2000), ref: 0x11)
        let events = packetDecodeEvents([parts[0] + foreign[1]])
        XCTAssertEqual(events.first, .reassemblyFailed(ref: 0x11, reason: .inconsistentPart(
            declaredLength: 3000, partDeclaredLength: 2000, gathered: 1024, partLength: 976)))
        // The foreign part now waits for a first part that never comes.
        XCTAssertEqual(events.dropFirst().first, .reassemblyFailed(ref: 0x11, reason: .timedOut(afterMilliseconds: 500)))
    }

    func testRepeatedPartThatWouldOverfillBreaksTheSequence() {
        let events = packetDecodeEvents([parts[0] + parts[1] + parts[1]])
        XCTAssertEqual(events.first, .reassemblyFailed(ref: 0x11, reason: .inconsistentPart(
            declaredLength: 3000, partDeclaredLength: 3000, gathered: 2048, partLength: 1024)))
    }

    func testBrokenPartFailsTheMessageAtOnce() {
        var broken = parts[1]
        broken[broken.count - 1] = 0x00
        let header = PacketHeader(typeCode: 0x10, ref: 0x11, totalLength: 1035, dataLength: 3000)
        var decoder = PacketDecoder()
        _ = decoder.feed(parts[0], at: 0)
        let events = decoder.feed(broken, at: 100)
        XCTAssertEqual(Array(events.prefix(2)), [
            .framingError(.badEndMarker(header, found: [0x2F, 0x00])),
            .reassemblyFailed(ref: 0x11, reason: .corruptPart),
        ])
        XCTAssertFalse(decoder.isReassembling)
    }

    func testPartCutShortByASilentLineFailsTheMessage() {
        var decoder = PacketDecoder()
        _ = decoder.feed(parts[0], at: 0)
        _ = decoder.feed(Array(parts[1].prefix(300)), at: 200)
        let events = decoder.tick(at: 700)
        XCTAssertEqual(Array(events.prefix(2)), [
            .framingError(.truncated(PacketHeader(typeCode: 0x10, ref: 0x11, totalLength: 1035, dataLength: 3000), receivedByteCount: 300)),
            .reassemblyFailed(ref: 0x11, reason: .corruptPart),
        ])
    }

    func testAcksAndErrorsBetweenPartsDoNotDisturbIt() {
        let encoder = PacketEncoder()
        let stream = parts[0] + encoder.encodeAck(ref: 0x05) + parts[1] + encoder.encodeError(.unknownError, ref: 0x06) + parts[2]
        assertPacketEvents(packetDecodeEvents([stream]), [
            .ack(ref: 0x05), .peerError(ref: 0x06, type: .unknownError), .message(ref: 0x11, data: message),
        ])
    }
}
