import ECRProtocol
import XCTest
@testable import ECRTransport

/// A capture's events read back side by side: each link and direction has its own reader.
final class WireCaptureReaderTests: XCTestCase {
    func testInterleavedSidesEachCompleteTheirOwnPackets() throws {
        let request = try WireStreamReaderTests.packet(#"{"content":"{}"}"#)
        let answer = try WireStreamReaderTests.packet(#"{"respcd":"6000"}"#)
        var capture = WireCaptureReader()
        let link = "127.0.0.1:9002"
        // The request's first half, the terminal's ack and half its answer, then the rest of each.
        let first = capture.feed(WireEvent(direction: .outbound, label: link, bytes: Array(request.prefix(10))))
        XCTAssertEqual(first.side.description, "out 127.0.0.1:9002")
        XCTAssertEqual(first.pieces.compactMap(\.summary), [])
        let ack = capture.feed(WireEvent(direction: .inbound, label: link, bytes: WireStreamReaderTests.ack + answer.prefix(12)))
        XCTAssertEqual(ack.side.direction, .inbound)
        XCTAssertEqual(ack.pieces.compactMap(\.summary), ["acknowledgement of ref 0x01"])
        let sent = capture.feed(WireEvent(direction: .outbound, label: link, bytes: Array(request.dropFirst(10))))
        XCTAssertEqual(sent.pieces.compactMap(\.summary), ["message ref 0x01, 16 bytes of data"])
        // Another link's bytes do not join this one's.
        let other = capture.feed(WireEvent(direction: .inbound, label: "/dev/ttyUSB0", bytes: Array(answer.dropFirst(12))))
        XCTAssertEqual(other.pieces.compactMap(\.summary), [])
        let held = capture.finish()
        XCTAssertEqual(held.map(\.side.description), ["in /dev/ttyUSB0", "in 127.0.0.1:9002", "out 127.0.0.1:9002"], "sides in the order of their names")
        XCTAssertTrue(held[1].pieces.contains { $0.isProblem }, "the answer cut off where the capture ended")
        XCTAssertTrue(capture.finish().isEmpty, "finishing leaves nothing held")
    }
}
