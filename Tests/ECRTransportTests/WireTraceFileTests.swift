import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
import ECRProtocol
@testable import ECRTransport

final class WireTraceFileTests: XCTestCase {
    private func mode(_ path: String) -> mode_t {
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0)
        return status.st_mode & 0o777
    }

    func testTheFileIsCreatedOwnerOnly() throws {
        let path = try makeScratchDirectory(self).appendingPathComponent("trace.log").path
        let previous = umask(0o022)
        defer { umask(previous) }
        let trace = try WireTraceFile(path: path)
        trace.close()
        XCTAssertEqual(mode(path), 0o600)
    }

    func testAnExistingFileIsTightenedAndAppendedTo() throws {
        let path = try makeScratchDirectory(self).appendingPathComponent("trace.log").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("old line\n".utf8), attributes: [.posixPermissions: 0o644]))
        let trace = try WireTraceFile(path: path)
        trace.observe(WireEvent(direction: .outbound, label: "127.0.0.1:9001", bytes: Array("POST / HTTP/1.1\r\n".utf8)))
        trace.close()
        XCTAssertEqual(mode(path), 0o600)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.first, "old line")
        XCTAssertTrue(lines[1].hasSuffix("out 127.0.0.1:9001 17 bytes: POST / HTTP/1.1\\r\\n"), String(lines[1]))
    }

    func testTextIsWrittenAsTextBinaryAsHexNotesAsNotes() throws {
        let path = try makeScratchDirectory(self).appendingPathComponent("trace.log").path
        let trace = try WireTraceFile(path: path)
        let when = Date(timeIntervalSince1970: 1_763_706_721.5)
        trace.observe(WireEvent(direction: .outbound, label: "127.0.0.1:9001", timestamp: when, bytes: Array("a\r\nb\\".utf8)))
        trace.observe(WireEvent(direction: .inbound, label: "/dev/ttyUSB0", timestamp: when, bytes: [0x2F, 0x6E, 0x01, 0x20]))
        trace.observe(note: WireNote(label: "/dev/ttyUSB0", timestamp: when, text: "skipped 3 byte(s)"))
        trace.close()
        trace.observe(WireEvent(direction: .inbound, label: "late", bytes: [1]))
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(Array(lines.prefix(3)), [
            "2025-11-21T06:32:01.500Z out 127.0.0.1:9001 5 bytes: a\\r\\nb\\\\",
            "2025-11-21T06:32:01.500Z in /dev/ttyUSB0 4 bytes hex: 2F 6E 01 20",
            "2025-11-21T06:32:01.500Z note /dev/ttyUSB0: skipped 3 byte(s)",
        ])
        // Closing says what the links still held: a packet cut off, a line that was no body.
        XCTAssertTrue(lines.contains("(end of trace) in /dev/ttyUSB0:"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("  unframed bytes    2F 6E 01 20") }, "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("late") }, "nothing after close")
        XCTAssertEqual(WireTraceText.unescaped("a\\r\\nb\\\\"), "a\r\nb\\", "the line reads back to the bytes")
    }

    func testAPacketExchangeIsLabelledAndDecodedBesideItsHex() throws {
        let path = try makeScratchDirectory(self).appendingPathComponent("trace.log").path
        let key = "f46b1f08bec1f39104792cc79ec9aacd"
        let trace = try WireTraceFile(path: path, posKey: key)
        let body = try EnvelopeEncoder.encode(.inquiry(.orderId("12345678")), posKey: key, encryption: true).body
        let request = try PacketEncoder().encodeRequest(Array(body.utf8), ref: 1).flatMap { $0 }
        let ack: [UInt8] = [0x2F, 0x6E, 0x01, 0x20, 0x01, 0x00, 0x0B, 0x00, 0x00, 0x2F, 0x6E]
        let answer = try PacketEncoder().encodeRequest(Array(#"{"respcd":"6000","data":"{\"respcd\":\"1136\"}"}"#.utf8), ref: 1).flatMap { $0 }
        trace.observe(WireEvent(direction: .outbound, label: "127.0.0.1:9002", bytes: request))
        // The answer arrives in two reads: decoded under the one that completes it.
        trace.observe(WireEvent(direction: .inbound, label: "127.0.0.1:9002", bytes: ack + answer.prefix(20)))
        trace.observe(WireEvent(direction: .inbound, label: "127.0.0.1:9002", bytes: Array(answer.dropFirst(20))))
        trace.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        for expected in ["  start indicator   2F 6E", "  type              10", "(request)", "(acknowledgement)",
                         "  = acknowledgement of ref 0x01", "  = message ref 0x01, 130 bytes of data",
                         "    content: {func_type=4001,orderId='12345678'}", "    digest: 99CE8BF9C7304AC964522D10F51660B4 (matches the POS-KEY)",
                         "    answer: 6000/1136 ", #"    json: {"respcd":"6000","data":{"respcd":"1136"}}"#] {
            XCTAssertTrue(text.contains(expected), "\(expected) missing from:\n\(text)")
        }
        let dataRow = try XCTUnwrap(lines.first { $0.hasPrefix("  data              22 58 63 7A") })
        XCTAssertTrue(dataRow.hasSuffix("  \"XczeNuwMCct+IaX"), "the data's text beside its hex: \(dataRow)")
        let answerAt = try XCTUnwrap(lines.lastIndex { $0.contains(" in 127.0.0.1:9002 ") })
        XCTAssertTrue(lines[answerAt...].contains("  = message ref 0x01, 48 bytes of data"), "the answer under the read that completed it")
        XCTAssertFalse(text.contains(key), "the key is never written")
    }

    func testAnHTTPBodyIsDecodedBesideTheRawMessage() throws {
        let path = try makeScratchDirectory(self).appendingPathComponent("trace.log").path
        let key = "f46b1f08bec1f39104792cc79ec9aacd"
        let trace = try WireTraceFile(path: path, posKey: key)
        let plain = try EnvelopeEncoder.encode(.printSummary, posKey: key, encryption: false).body
        trace.observe(WireEvent(direction: .outbound, label: "127.0.0.1:9001",
                                bytes: Array("POST /api/pos/transaction_info HTTP/1.1\r\nContent-Length: \(plain.utf8.count)\r\n\r\n\(plain)".utf8)))
        trace.observe(WireEvent(direction: .inbound, label: "127.0.0.1:9001",
                                bytes: Array("HTTP/1.1 200 OK\r\nContent-Length: 17\r\n\r\n{\"respcd\":\"4003\"}".utf8)))
        trace.close()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for expected in ["  = POST body, \(plain.utf8.count) bytes", "    form: plain", "    operation: print summary (func_type 3002)",
                         "  = answer body (200 OK), 17 bytes", "    answer: 4003 "] {
            XCTAssertTrue(text.contains(expected), "\(expected) missing from:\n\(text)")
        }
        XCTAssertEqual(text.components(separatedBy: "transaction_info").count, 2, "the path once, on the raw line")
    }

    func testAnUnwritablePlaceIsAClearError() {
        XCTAssertThrowsError(try WireTraceFile(path: "/nonexistent-dir/trace.log")) { error in
            XCTAssertTrue("\(error)".contains("Cannot write the trace file /nonexistent-dir/trace.log"), "\(error)")
        }
    }
}
