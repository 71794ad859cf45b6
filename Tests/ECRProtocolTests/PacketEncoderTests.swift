import XCTest
@testable import ECRProtocol

final class PacketEncoderTests: XCTestCase {
    func testSeedSampleEncodesToTheSeedPacketByteForByte() throws {
        let expected = try PacketHex.parse(PacketSeedSample.packetHex)
        // The seed packet's ref byte is 0x01; its total length is 0x007F (127).
        let packets = try PacketEncoder().encodeRequest(Array(PacketSeedSample.plaintext.utf8), ref: 0x01)
        XCTAssertEqual(packets.count, 1)
        XCTAssertEqual(packets.first, expected)
        XCTAssertEqual(expected.count, 127)
        XCTAssertEqual(Array(expected[5...8]), [0x00, 0x7F, 0x00, 0x74])
    }

    func testSeedPacketDecodesToThePlaintext() throws {
        let bytes = try PacketHex.parse(PacketSeedSample.packetHex)
        let events = PacketDecoder.decodeAll(bytes)
        XCTAssertEqual(events, [.message(ref: 0x01, data: Array(PacketSeedSample.plaintext.utf8))])
    }

    func testAckAndErrorPacketsCarryNoData() {
        let encoder = PacketEncoder()
        XCTAssertEqual(PacketHex.render(encoder.encodeAck(ref: 0x05)), "2F 6E 01 20 05 00 0B 00 00 2F 6E")
        XCTAssertEqual(PacketHex.render(encoder.encodeError(.reassemblyError, ref: 0x7F)), "2F 6E 01 35 7F 00 0B 00 00 2F 6E")
    }

    func testEmptyMessageIsOnePacketWithNoData() throws {
        let packets = try PacketEncoder().encodeRequest([], ref: 0x02)
        XCTAssertEqual(packets.map { PacketHex.render($0) }, ["2F 6E 01 10 02 00 0B 00 00 2F 6E"])
        XCTAssertEqual(PacketDecoder.decodeAll(packets[0]), [.message(ref: 0x02, data: [])])
    }

    func testThreeThousandBytesBecomeThreePartsWithOneRefAndReassemble() throws {
        let message = packetTestMessage(count: 3000)
        let packets = try PacketEncoder().encodeRequest(message, ref: 0x2A)
        XCTAssertEqual(packets.map(\.count), [1024 + 11, 1024 + 11, 952 + 11])
        for packet in packets {
            XCTAssertEqual(packet[4], 0x2A, "every part carries the message's ref")
            XCTAssertEqual(Int(packet[5]) << 8 | Int(packet[6]), packet.count, "total length describes the part")
            XCTAssertEqual(Int(packet[7]) << 8 | Int(packet[8]), 3000, "data length declares the whole message")
        }
        XCTAssertEqual(PacketDecoder.decodeAll(packets.flatMap { $0 }), [.message(ref: 0x2A, data: message)])
    }

    func testPartSizeIsASetting() throws {
        var encoder = PacketEncoder()
        encoder.maxDataPerPacket = 10
        let packets = try encoder.encodeRequest(packetTestMessage(count: 25), ref: 0x01)
        XCTAssertEqual(packets.map(\.count), [21, 21, 16])
        XCTAssertEqual(PacketDecoder.decodeAll(packets.flatMap { $0 }), [.message(ref: 0x01, data: packetTestMessage(count: 25))])
    }

    func testMessageOfExactlyOnePartIsNotSplit() throws {
        let packets = try PacketEncoder().encodeRequest(packetTestMessage(count: 1024), ref: 0x01)
        XCTAssertEqual(packets.count, 1)
        XCTAssertEqual(Array(packets[0][5...8]), [0x04, 0x0B, 0x04, 0x00])
    }

    func testEncodingRefusesWhatThePacketFormatCannotCarry() {
        let encoder = PacketEncoder()
        XCTAssertThrowsError(try encoder.encodeRequest([1], ref: 0x00)) {
            XCTAssertEqual($0 as? PacketEncodingError, .refOutOfRange(0x00))
        }
        XCTAssertThrowsError(try encoder.encodeRequest([1], ref: 0x80)) {
            XCTAssertEqual($0 as? PacketEncodingError, .refOutOfRange(0x80))
        }
        XCTAssertThrowsError(try encoder.encodeRequest([UInt8](repeating: 0x41, count: 65536), ref: 0x01)) {
            XCTAssertEqual($0 as? PacketEncodingError, .messageTooLong(byteCount: 65536))
        }
        XCTAssertThrowsError(try PacketEncoder(maxDataPerPacket: 0).encodeRequest([1], ref: 0x01)) {
            XCTAssertEqual($0 as? PacketEncodingError, .partSizeOutOfRange(0))
        }
    }

    func testLargestMessageRoundTrips() throws {
        let message = packetTestMessage(count: 65535, salt: 7)
        let packets = try PacketEncoder().encodeRequest(message, ref: 0x10)
        XCTAssertEqual(packets.count, 64)
        XCTAssertEqual(PacketDecoder.decodeAll(packets.flatMap { $0 }), [.message(ref: 0x10, data: message)])
    }
}

final class PacketRefCounterTests: XCTestCase {
    func testCountsFromOneAndWrapsFrom7FToOneNeverZero() {
        var counter = PacketRefCounter()
        var seen: [UInt8] = []
        for _ in 0..<(127 * 2 + 3) { seen.append(counter.take()) }
        XCTAssertEqual(Array(seen.prefix(3)), [0x01, 0x02, 0x03])
        XCTAssertEqual(Array(seen[125...128]), [0x7E, 0x7F, 0x01, 0x02])
        XCTAssertFalse(seen.contains(0x00))
        XCTAssertTrue(seen.allSatisfy { (0x01...0x7F).contains($0) })
    }

    func testWrapsFromAStartAt7F() {
        var counter = PacketRefCounter(startingAt: 0x7F)
        XCTAssertEqual(counter.take(), 0x7F)
        XCTAssertEqual(counter.next, 0x01)
        XCTAssertEqual(counter.take(), 0x01)
    }
}

final class PacketTypeTests: XCTestCase {
    func testTypeBytesAndMeanings() {
        XCTAssertEqual(PacketType.allCases.map(\.rawValue), [0x10, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35])
        XCTAssertEqual(PacketType.allCases.filter(\.isError).count, 6)
        XCTAssertTrue(PacketType.reassemblyError.meaning.contains("500 ms"))
        XCTAssertTrue(PacketType.decryptionError.meaning.contains("POS-KEY"))
        XCTAssertEqual(Set(PacketType.allCases.map(\.meaning)).count, PacketType.allCases.count)
    }
}
