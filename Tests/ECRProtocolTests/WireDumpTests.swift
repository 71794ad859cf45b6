import XCTest
@testable import ECRProtocol

/// The dump rows both the console and the trace draw.
final class WireDumpTests: XCTestCase {
    func testPacketRowsLabelEveryFieldAndWrapTheData() {
        let data = Array("{\"respcd\":\"6000\"}".utf8)
        let packet: [UInt8] = [0x2F, 0x6E, 0x01, 0x10, 0x05, 0x00, UInt8(11 + data.count), 0x00, UInt8(data.count)] + data + [0x2F, 0x6E]
        let ack: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x05, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]
        let rows = WireDump.packetRows(packet + ack, perRow: 8)
        XCTAssertEqual(rows.filter(\.firstOfField).map(\.field), [.startIndicator, .version, .type, .ref, .totalLength, .dataLength, .data, .endIndicator,
                                                                  .startIndicator, .version, .type, .ref, .totalLength, .dataLength, .endIndicator])
        let dataRows = rows.filter { $0.field == .data }
        XCTAssertEqual(dataRows.count, 3, "17 bytes of data at 8 a row")
        XCTAssertEqual(dataRows.map(\.printable).joined(), String(decoding: data, as: UTF8.self))
        XCTAssertEqual(rows.filter(\.startsLaterPacket).count, 1, "the ack starts a second packet")
        XCTAssertEqual(rows.first { $0.field == .type }?.meaning, "request")
        XCTAssertEqual(rows.flatMap(\.bytes), packet + ack, "every byte once, in order")
    }

    func testPlainRowsCarryTheirOffsetAndText() {
        let rows = WireDump.plainRows(Array("POST / HTTP/1.1\r\n".utf8), perRow: 16)
        XCTAssertEqual(rows.map(\.offsetText), ["0000", "0010"])
        XCTAssertEqual(rows[0].printable, "POST / HTTP/1.1.")
    }

    func testSettledLengthHoldsBackOnlyAPacketStillArriving() {
        let ack: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x05, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]
        XCTAssertEqual(WirePacket.settledLength(of: ack), 11)
        XCTAssertEqual(WirePacket.settledLength(of: [0xFF] + ack + Array(ack.prefix(6))), 12)
        XCTAssertEqual(WirePacket.settledLength(of: [0xFF, 0x2F]), 1, "a lone 2F may start a packet")
        XCTAssertEqual(WirePacket.settledLength(of: [0x2F, 0x6E, 0x01, 0x20, 0x05, 0x00, 0x02, 0x00, 0x00]), 9, "a total below 11 is no packet")
        let huge: [UInt8] = [0x2F, 0x6E, 0x01, 0x10, 0x05, 0xFF, 0x00, 0xFE, 0xF5, 0x41]
        XCTAssertEqual(WirePacket.settledLength(of: huge), huge.count, "a length beyond any packet the decoder takes is not waited for")
        var broken = ack
        broken[10] = 0x00
        XCTAssertEqual(WirePacket.settledLength(of: broken), 11, "a wrong end marker is no packet: its bytes are settled as unframed")
    }
}
