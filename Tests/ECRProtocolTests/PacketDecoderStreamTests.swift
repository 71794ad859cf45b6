import XCTest
@testable import ECRProtocol

/// The decoder must report the same events whatever chunks the transport happens to deliver.
final class PacketDecoderStreamTests: XCTestCase {
    private let encoder = PacketEncoder()
    private let splitMessage = packetTestMessage(count: 3000, salt: 3)
    // Data that contains the marker text "/n" (2F 6E) and a fake header: it must not be rescanned.
    private let trickyMessage = Array(#"{"content":"a/n/n\u0001","x":"/n\u0001\u0010"}"#.utf8) + [0x2F, 0x6E, 0x01, 0x10, 0x01, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]

    private func stream() throws -> [UInt8] {
        let seed = Array(PacketSeedSample.plaintext.utf8)
        var bytes: [UInt8] = Array("noise\r\n".utf8)
        bytes += try encoder.encodeRequest(seed, ref: 0x01)[0]
        bytes += [0x2F, 0x2F, 0x00, 0x6E]                     // marker halves that never make a marker
        bytes += encoder.encodeAck(ref: 0x02)
        bytes += [0x2F, 0x6E]                                 // a lone marker right before a packet
        bytes += encoder.encodeError(.validationError, ref: 0x03)
        bytes += [0x2F, 0x6E, 0x02, 0x10]                     // a marker with a foreign version
        let parts = try encoder.encodeRequest(splitMessage, ref: 0x04)
        bytes += parts[0]
        bytes += encoder.encodeAck(ref: 0x7F)                 // acks may come between parts
        bytes += [0xFF, 0x00]
        bytes += parts[1]
        bytes += parts[2]
        bytes += try encoder.encodeRequest(trickyMessage, ref: 0x05)[0]
        bytes += encoder.encodeError(.reassemblyError, ref: 0x06)
        bytes += Array("tail".utf8) + [0x2F]                  // trailing noise ending in half a marker
        return bytes
    }

    private var expectedEvents: [PacketDecoder.Event] {
        [
            .framingError(.garbageSkipped(byteCount: 7)),
            .message(ref: 0x01, data: Array(PacketSeedSample.plaintext.utf8)),
            .framingError(.garbageSkipped(byteCount: 4)),
            .ack(ref: 0x02),
            .framingError(.garbageSkipped(byteCount: 2)),
            .peerError(ref: 0x03, type: .validationError),
            .framingError(.unsupportedVersion(0x02)),
            .framingError(.garbageSkipped(byteCount: 2)),
            .ack(ref: 0x7F),
            .framingError(.garbageSkipped(byteCount: 2)),
            .message(ref: 0x04, data: splitMessage),
            .message(ref: 0x05, data: trickyMessage),
            .peerError(ref: 0x06, type: .reassemblyError),
            .framingError(.garbageSkipped(byteCount: 5)),
        ]
    }

    func testWholeStreamAtOnceGivesTheExpectedEvents() throws {
        assertPacketEvents(packetDecodeEvents([try stream()]), expectedEvents)
    }

    func testEveryTwoChunkSplitGivesTheSameEvents() throws {
        let bytes = try stream()
        let expected = expectedEvents
        for cut in 0...bytes.count {
            let events = packetDecodeEvents([Array(bytes[..<cut]), Array(bytes[cut...])])
            if events != expected {
                assertPacketEvents(events, expected, "split at byte \(cut) of \(bytes.count)")
                return
            }
        }
    }

    func testByteByByteGivesTheSameEvents() throws {
        assertPacketEvents(packetDecodeEvents(try stream().map { [$0] }), expectedEvents)
    }

    func testSeededRandomChunkingsGiveTheSameEvents() throws {
        let bytes = try stream()
        var generator = SeededGenerator(seed: 0x51F0_EC12)
        for round in 0..<50 {
            var chunks: [[UInt8]] = []
            var index = 0
            while index < bytes.count {
                let size = Int.random(in: 0...(round.isMultiple(of: 2) ? 16 : 1500), using: &generator)
                let end = min(index + size, bytes.count)
                chunks.append(Array(bytes[index..<end]))
                index = end
            }
            assertPacketEvents(packetDecodeEvents(chunks), expectedEvents, "round \(round), \(chunks.count) chunks")
        }
    }
}
