import ECRProtocol
import XCTest
@testable import ECRTransport

/// The trace names each packet by the way it went: what the terminal sends in a type 10 packet is its answer.
final class WireTraceKindTests: XCTestCase {
    func testATypeTenPacketComingInIsTheAnswer() throws {
        var text = WireTraceText(posKey: nil)
        let link = "127.0.0.1:9002"
        let request = try WireStreamReaderTests.packet(#"{"content":"{\"func_type\":4001}"}"#)
        let answer = try WireStreamReaderTests.packet(#"{"respcd":"6000"}"#)
        let out = text.lines(for: WireEvent(direction: .outbound, label: link, bytes: request))
        // The answer split over two reads: its dump is under the read that completes it.
        let start = text.lines(for: WireEvent(direction: .inbound, label: link, bytes: WireStreamReaderTests.ack + answer.prefix(4)))
        let rest = text.lines(for: WireEvent(direction: .inbound, label: link, bytes: Array(answer.dropFirst(4))))
        let ack = text.lines(for: WireEvent(direction: .outbound, label: link, bytes: WireStreamReaderTests.ack))
        func kinds(_ lines: [String]) -> [String] { lines.filter { $0.hasPrefix("  type ") }.compactMap { $0.split(separator: " ").last.map(String.init) } }
        XCTAssertEqual(kinds(out), ["(request)"])
        XCTAssertEqual(kinds(start), ["(acknowledgement)"])
        XCTAssertEqual(kinds(rest), ["(answer)"])
        XCTAssertTrue(rest.contains("    form: plain answer"), "\(rest)")
        XCTAssertEqual(kinds(ack), ["(acknowledgement)"])
    }

    func testAPacketCutOffAtTheEndIsShownUnframedUnderItsSide() throws {
        var text = WireTraceText(posKey: nil)
        let answer = try WireStreamReaderTests.packet(#"{"respcd":"6000"}"#)
        _ = text.lines(for: WireEvent(direction: .inbound, label: "/dev/ttyUSB0", bytes: Array(answer.prefix(12))))
        let end = text.finish()
        XCTAssertEqual(end.first, "(end of trace) in /dev/ttyUSB0:")
        XCTAssertTrue(end.contains { $0.hasPrefix("  unframed bytes    2F 6E 01 10") }, "\(end)")
    }
}
