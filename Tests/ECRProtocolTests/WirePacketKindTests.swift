import XCTest
@testable import ECRProtocol

/// A packet is named by what it is, from its type byte and the way it went (PROTOCOL.md §6: the
/// terminal carries its answer in a type 10 packet, and each side acknowledges the other's).
final class WirePacketKindTests: XCTestCase {
    /// The §6 vector `2f6e011001007f0074…2f6e`: 127 bytes, 116 of data.
    static let vector: [UInt8] = [0x2F, 0x6E, 0x01, 0x10, 0x01, 0x00, 0x7F, 0x00, 0x74]
        + Array(repeating: UInt8(ascii: "x"), count: 116) + [0x2F, 0x6E]
    static let ack: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x01, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]

    private func kinds(_ bytes: [UInt8], _ direction: WireDirection?) -> [String?] {
        WirePacket.layout(of: bytes, direction: direction).filter { $0.name == .type }.map(\.meaning)
    }

    func testTheVectorIsARequestGoingOutAndAnAnswerComingIn() {
        XCTAssertEqual(Self.vector.count, 127)
        XCTAssertEqual(kinds(Self.vector + Self.ack, .outbound), ["request", "acknowledgement"])
        XCTAssertEqual(kinds(Self.vector + Self.ack, .inbound), ["answer", "acknowledgement"])
        XCTAssertEqual(kinds(Self.vector + Self.ack, nil), ["request", "acknowledgement"], "no direction: the type as the protocol names it")
    }

    func testErrorsAndUnknownTypesEitherWay() {
        for (code, expected) in [(UInt8(0x30), "error"), (0x31, "error"), (0x35, "error"), (0x40, "unknown")] {
            var packet = Self.ack
            packet[3] = code
            for direction in [WireDirection.inbound, .outbound, nil] {
                XCTAssertEqual(kinds(packet, direction), [expected], "type \(code) \(String(describing: direction))")
            }
        }
    }

    func testTheDumpRowsCarryTheKind() {
        let rows = WireDump.packetRows(Self.ack + Self.vector, perRow: 16, direction: .inbound)
        XCTAssertEqual(rows.filter { $0.field == .type }.map(\.meaning), ["acknowledgement", "answer"])
        XCTAssertEqual(rows.filter { $0.field == .type }.map(\.kind), [.acknowledgement, .answer])
        XCTAssertEqual(rows.filter { $0.kind != nil }.map(\.field), [.type, .type], "only the type rows say what a packet is")
    }

    /// The kind is a value (each screen words it), and its English is what the trace and `decode` print.
    func testTheKindIsAValueWhoseEnglishIsTheTracesWord() {
        XCTAssertEqual(WirePacket.kind(of: .request, going: .inbound), .answer)
        XCTAssertEqual(WirePacket.kind(of: .request, going: .outbound), .request)
        XCTAssertEqual(WirePacket.kind(of: .decryptionError, going: nil), .error)
        XCTAssertEqual(WirePacket.kind(of: nil, going: .inbound), .unknown)
        XCTAssertEqual(PacketKind.allCases.map(\.english), ["request", "answer", "acknowledgement", "error", "unknown"])
        let fields = WirePacket.layout(of: Self.vector, direction: .outbound)
        XCTAssertEqual(fields.map(\.kind), [nil, nil, .request, nil, nil, nil, nil, nil])
        XCTAssertEqual(fields.map(\.length), [nil, nil, nil, nil, 127, 116, nil, nil])
    }
}
