import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
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
        XCTAssertEqual(lines.count, 2)
    }

    func testTextIsWrittenAsTextBinaryAsHexNotesAsNotes() throws {
        let path = try makeScratchDirectory(self).appendingPathComponent("trace.log").path
        let trace = try WireTraceFile(path: path)
        let when = Date(timeIntervalSince1970: 1_763_706_721.5)
        trace.observe(WireEvent(direction: .outbound, label: "127.0.0.1:9001", timestamp: when, bytes: Array("a\r\nb".utf8)))
        trace.observe(WireEvent(direction: .inbound, label: "/dev/ttyUSB0", timestamp: when, bytes: [0x2F, 0x6E, 0x01, 0x20]))
        trace.observe(note: WireNote(label: "/dev/ttyUSB0", timestamp: when, text: "skipped 3 byte(s)"))
        trace.close()
        trace.observe(WireEvent(direction: .inbound, label: "late", bytes: [1]))
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), """
            2025-11-21T06:32:01.500Z out 127.0.0.1:9001 4 bytes: a\\r\\nb
            2025-11-21T06:32:01.500Z in /dev/ttyUSB0 4 bytes hex: 2F 6E 01 20
            2025-11-21T06:32:01.500Z note /dev/ttyUSB0: skipped 3 byte(s)

            """)
    }

    func testAnUnwritablePlaceIsAClearError() {
        XCTAssertThrowsError(try WireTraceFile(path: "/nonexistent-dir/trace.log")) { error in
            XCTAssertTrue("\(error)".contains("Cannot write the trace file /nonexistent-dir/trace.log"), "\(error)")
        }
    }
}
