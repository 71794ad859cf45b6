import XCTest
@testable import ECRProtocol

/// The labelled dump's cut of a capture into packet fields (PROTOCOL.md §6 layout and §10.10 vector sizes).
final class WirePacketLayoutTests: XCTestCase {
    func testTheVectorsPacketAndItsAckAreCutIntoNamedFields() throws {
        let data = Array(repeating: UInt8(ascii: "x"), count: 116)
        let request: [UInt8] = [0x2F, 0x6E, 0x01, 0x10, 0x01, 0x00, 0x7F, 0x00, 0x74] + data + [0x2F, 0x6E]
        let ack: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x01, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]
        XCTAssertEqual(request.count, 127)
        let fields = WirePacket.layout(of: [0xFF] + request + ack)
        XCTAssertEqual(fields.map(\.name), [.unframed,
                                            .startIndicator, .version, .type, .ref, .totalLength, .dataLength, .data, .endIndicator,
                                            .startIndicator, .version, .type, .ref, .totalLength, .dataLength, .endIndicator])
        XCTAssertEqual(fields[0].bytes, [0xFF])
        XCTAssertEqual(fields[3].meaning, "request")
        XCTAssertEqual(fields[5].meaning, "127")
        XCTAssertEqual(fields[6].meaning, "116")
        XCTAssertEqual(fields[7].bytes, data)
        XCTAssertEqual(fields[11].meaning, "acknowledgement")
        XCTAssertEqual(fields.flatMap(\.bytes), [0xFF] + request + ack, "every byte shown once, in order")
    }

    func testACutOffPacketStaysUnframed() {
        let cut: [UInt8] = [0x2F, 0x6E, 0x01, 0x10, 0x01, 0x00, 0x7F, 0x00, 0x74, 0x7B]
        let fields = WirePacket.layout(of: cut)
        XCTAssertEqual(fields.map(\.name), [.unframed])
        XCTAssertEqual(fields[0].bytes, cut)
    }
}
