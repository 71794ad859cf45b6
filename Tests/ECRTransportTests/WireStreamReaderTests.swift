import ECRProtocol
import XCTest
@testable import ECRTransport

/// A link's bytes, in whatever chunks they came, read back into whole packets, HTTP messages and bodies.
final class WireStreamReaderTests: XCTestCase {
    static let ack: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x01, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]

    static func packet(_ text: String, ref: UInt8 = 1) throws -> [UInt8] {
        try PacketEncoder().encodeRequest(Array(text.utf8), ref: ref).flatMap { $0 }
    }

    private func read(_ chunks: [[UInt8]], reader: WireStreamReader = WireStreamReader()) -> [WireStreamReader.Piece] {
        var reader = reader
        return chunks.flatMap { reader.feed($0) } + reader.finish()
    }

    func testPacketsReadTheSameHoweverTheyAreChunked() throws {
        let answer = try Self.packet(#"{"respcd":"6000"}"#)
        let stream = Self.ack + answer
        let whole = read([stream])
        XCTAssertEqual(whole.compactMap(\.summary), ["acknowledgement of ref 0x01", "message ref 0x01, 17 bytes of data"])
        XCTAssertEqual(whole.compactMap(\.message), [Array(#"{"respcd":"6000"}"#.utf8)])
        let byteByByte = read(stream.map { [$0] })
        XCTAssertEqual(byteByByte.compactMap(\.summary), whole.compactMap(\.summary))
        let dumped = byteByByte.flatMap { piece -> [UInt8] in if case .packets(let bytes) = piece { return bytes } else { return [] } }
        XCTAssertEqual(dumped, stream, "every byte reaches a dump once, whole packets at a time")
    }

    func testASplitMessageIsDecodedOnceAllItsPartsAreIn() throws {
        let data = Array(repeating: UInt8(ascii: "A"), count: 2500)
        let parts = try PacketEncoder().encodeRequest(data, ref: 7)
        XCTAssertEqual(parts.count, 3)
        let pieces = read(parts)
        XCTAssertEqual(pieces.compactMap(\.message), [data])
    }

    func testACutOffPacketIsNamedAtTheEnd() {
        let pieces = read([Array(Self.ack.prefix(5))])
        XCTAssertTrue(pieces.contains { $0.isProblem }, "\(pieces)")
        XCTAssertEqual(pieces.first, .packets(Array(Self.ack.prefix(5))))
    }

    func testHTTPMessagesSplitAcrossReads() {
        let request = Array("POST /api/pos/trade HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\n\"AB\"".utf8)
        let pieces = read([Array(request[..<20]), Array(request[20...])])
        XCTAssertEqual(pieces, [.http(startLine: "POST /api/pos/trade", body: Array("\"AB\"".utf8))])
        XCTAssertEqual(pieces.first?.summary, "POST body, 4 bytes")
        let response = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".utf8)
        XCTAssertEqual(read([response]).first?.summary, "answer body (200 OK), 2 bytes")
    }

    func testAnAnswerReadUntilCloseEndsWhenTheNextBeginsOrTheCaptureEnds() {
        let first = Array("HTTP/1.1 200 OK\r\n\r\n{\"respcd\":\"6000\"}".utf8)
        let second = Array("HTTP/1.1 200 OK\r\n\r\n{\"respcd\":\"6001\"}".utf8)
        XCTAssertEqual(read([first, second]).compactMap(\.message), [Array("{\"respcd\":\"6000\"}".utf8), Array("{\"respcd\":\"6001\"}".utf8)])
    }

    func testABrokenHTTPMessageIsNamedAndTheNextStillReads() {
        let pieces = read([Array("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n".utf8), Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".utf8)])
        XCTAssertTrue(pieces.first?.isProblem ?? false, "\(pieces)")
        XCTAssertEqual(pieces.last?.message, Array("{}".utf8))
    }

    func testBareBodiesEndWhereTheyReadWhole() {
        let pieces = read([Array(#"{"respcd":"#.utf8), Array(#""6000"}"#.utf8), Array("\"QUJD\"".utf8)])
        XCTAssertEqual(pieces.compactMap(\.message), [Array(#"{"respcd":"6000"}"#.utf8), Array("\"QUJD\"".utf8)])
        let stale = read([Array("{broken".utf8), Array("{}".utf8)])
        XCTAssertTrue(stale.first?.isProblem ?? false, "\(stale)")
        XCTAssertEqual(stale.last?.message, Array("{}".utf8))
    }

    func testTheHexFlagReadsPacketsAfterNoise() throws {
        let pieces = read([[0x00, 0x01] + Self.ack], reader: .packets())
        XCTAssertEqual(pieces.compactMap(\.summary).last, "acknowledgement of ref 0x01")
        XCTAssertTrue(pieces.compactMap(\.summary).first?.hasPrefix("skipped 2 byte(s)") ?? false, "the noise is named: \(pieces)")
    }
}
