import XCTest
import ECRProtocol

/// Broken input is reported, and the decoder finds the next good packet after it.
final class PacketDecoderErrorTests: XCTestCase {
    private let encoder = PacketEncoder()
    private var seedPacket: [UInt8] { try! PacketHex.parse(PacketSeedSample.packetHex) }
    private var seedMessage: PacketDecoder.Event { .message(ref: 0x01, data: Array(PacketSeedSample.plaintext.utf8)) }
    private var seedHeader: PacketHeader { PacketHeader(typeCode: 0x10, ref: 0x01, totalLength: 127, dataLength: 116) }

    func testPacketCutShortByASilentLineIsReportedAfterTheStallTimeout() {
        var decoder = PacketDecoder()
        XCTAssertEqual(decoder.feed(Array(seedPacket.prefix(40)), at: 1_000), [])
        XCTAssertEqual(decoder.nextDeadline, 1_500)
        XCTAssertEqual(decoder.tick(at: 1_499), [])
        assertPacketEvents(decoder.tick(at: 1_500), [
            .framingError(.truncated(seedHeader, receivedByteCount: 40)),
            .framingError(.garbageSkipped(byteCount: 38)),
        ])
        XCTAssertEqual(decoder.bufferedByteCount, 0)
        XCTAssertEqual(decoder.feed(seedPacket, at: 2_000), [seedMessage])
    }

    func testPacketCutShortBeforeItsHeaderIsReported() {
        var decoder = PacketDecoder()
        _ = decoder.feed([0x2F, 0x6E, 0x01, 0x10], at: 0)
        assertPacketEvents(decoder.tick(at: 500), [
            .framingError(.truncated(nil, receivedByteCount: 4)),
            .framingError(.garbageSkipped(byteCount: 2)),
        ])
    }

    func testPacketCutShortAndFollowedAtOnceByGoodPacketsIsRecovered() {
        let ack = encoder.encodeAck(ref: 0x09)
        let stream = Array(seedPacket.prefix(40)) + ack + seedPacket
        // The cut packet claims 127 bytes, so its end marker is looked for inside the next packets.
        let found = Array(stream[125...126])
        assertPacketEvents(packetDecodeEvents([stream]), [
            .framingError(.badEndMarker(seedHeader, found: found)),
            .framingError(.garbageSkipped(byteCount: 38)),
            .ack(ref: 0x09),
            seedMessage,
        ])
    }

    func testTotalLengthBeyondTheLimitIsRejectedWithoutWaitingForIt() {
        let header: [UInt8] = [0x2F, 0x6E, 0x01, 0x10, 0x01, 0xFF, 0xFF, 0x00, 0x10]
        let events = packetDecodeEvents([header + seedPacket])
        assertPacketEvents(events, [
            .framingError(.impossibleLength(
                PacketHeader(typeCode: 0x10, ref: 0x01, totalLength: 0xFFFF, dataLength: 0x10),
                .totalAboveLimit(limit: 11 + 4096))),
            .framingError(.garbageSkipped(byteCount: 7)),
            seedMessage,
        ])
    }

    func testPacketLimitIsASetting() {
        let settings = PacketDecoder.Settings(maxPacketLength: 100)
        let events = PacketDecoder.decodeAll(seedPacket, settings: settings)
        XCTAssertEqual(events.first, .framingError(.impossibleLength(seedHeader, .totalAboveLimit(limit: 100))))
        XCTAssertFalse(events.contains(seedMessage))
    }

    func testInconsistentLengthFieldsAreRejected() {
        let cases: [([UInt8], PacketLengthProblem)] = [
            ([0x2F, 0x6E, 0x01, 0x20, 0x01, 0x00, 0x05, 0x00, 0x00], .totalBelowOverhead),
            ([0x2F, 0x6E, 0x01, 0x10, 0x01, 0x00, 0x0D, 0x00, 0x01, 0x41, 0x42, 0x2F, 0x6E], .dataLengthBelowPartLength),
            ([0x2F, 0x6E, 0x01, 0x20, 0x01, 0x00, 0x0B, 0x00, 0x05, 0x2F, 0x6E], .splitNonRequest),
            ([0x2F, 0x6E, 0x01, 0x10, 0x01, 0x00, 0x0B, 0x00, 0x05, 0x2F, 0x6E], .emptyPart),
        ]
        for (bad, problem) in cases {
            let events = packetDecodeEvents([bad + seedPacket])
            guard case let .framingError(.impossibleLength(header, found))? = events.first else {
                XCTFail("\(PacketHex.render(bad)): got \(packetEventSummary(events))")
                continue
            }
            XCTAssertEqual(found, problem, PacketHex.render(bad))
            XCTAssertEqual(header, PacketHeader(reading: bad))
            XCTAssertEqual(events.last, seedMessage, "resynchronised after \(PacketHex.render(bad))")
        }
    }

    func testSplitMessageAboveTheMessageLimitIsRejected() throws {
        let parts = try encoder.encodeRequest(packetTestMessage(count: 3000), ref: 0x03)
        let events = PacketDecoder.decodeAll(parts[0], settings: .init(maxMessageLength: 2000))
        guard case let .framingError(.impossibleLength(_, problem))? = events.first else {
            return XCTFail(packetEventSummary(events))
        }
        XCTAssertEqual(problem, .messageAboveLimit(limit: 2000))
    }

    func testWrongEndMarkerIsReportedAndTheNextPacketDecoded() {
        var broken = seedPacket
        broken[broken.count - 1] = 0x6F
        assertPacketEvents(packetDecodeEvents([broken + seedPacket]), [
            .framingError(.badEndMarker(seedHeader, found: [0x2F, 0x6F])),
            .framingError(.garbageSkipped(byteCount: 125)),
            seedMessage,
        ])
    }

    func testWrongVersionIsReportedAndTheNextPacketDecoded() {
        var foreign = seedPacket
        foreign[2] = 0x02
        assertPacketEvents(packetDecodeEvents([foreign + seedPacket]), [
            .framingError(.unsupportedVersion(0x02)),
            .framingError(.garbageSkipped(byteCount: 125)),
            seedMessage,
        ])
    }

    func testWellFramedPacketOfUnknownTypeIsSkippedWhole() {
        let unknown: [UInt8] = [0x2F, 0x6E, 0x01, 0x40, 0x07, 0x00, 0x0D, 0x00, 0x02, 0x2F, 0x6E, 0x2F, 0x6E]
        assertPacketEvents(packetDecodeEvents([unknown + seedPacket]), [
            .framingError(.unknownType(PacketHeader(typeCode: 0x40, ref: 0x07, totalLength: 13, dataLength: 2))),
            seedMessage,
        ])
    }

    func testAnyRefByteIsAcceptedAndEchoable() {
        let odd: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x00, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]
        XCTAssertEqual(PacketDecoder.decodeAll(odd), [.ack(ref: 0x00)])
    }

    func testHostileInputNeitherCrashesNorGrowsTheBuffer() {
        // Bytes drawn mostly from the ones that make packets look plausible.
        let alphabet: [UInt8] = [0x2F, 0x6E, 0x01, 0x10, 0x20, 0x35, 0x00, 0x0B, 0x04, 0xFF]
        var generator = SeededGenerator(seed: 0xBAD_F00D)
        var decoder = PacketDecoder()
        var time: Milliseconds = 0
        var eventCount = 0
        for _ in 0..<2_000 {
            let chunk = (0..<Int.random(in: 1...200, using: &generator)).map { _ in
                Bool.random(using: &generator) ? alphabet.randomElement(using: &generator)! : UInt8.random(in: 0...255, using: &generator)
            }
            time += Milliseconds.random(in: 0...40, using: &generator)
            eventCount += decoder.feed(chunk, at: time).count
            XCTAssertLessThanOrEqual(decoder.bufferedByteCount, decoder.settings.maxPacketLength)
        }
        XCTAssertGreaterThan(eventCount, 0)
        _ = decoder.tick(at: time + 1_000)
        XCTAssertEqual(decoder.bufferedByteCount, 0)
        XCTAssertEqual(decoder.feed(seedPacket, at: time + 1_000).last, seedMessage)
    }
}

private extension PacketHeader {
    init(reading bytes: [UInt8]) {
        self.init(typeCode: bytes[3], ref: bytes[4], totalLength: Int(bytes[5]) << 8 | Int(bytes[6]),
                  dataLength: Int(bytes[7]) << 8 | Int(bytes[8]))
    }
}
