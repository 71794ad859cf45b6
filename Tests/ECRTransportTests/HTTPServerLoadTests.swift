import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

/// The server under hostile clients: many idle connections, a trickling client, an oversized body.
/// Everything on 127.0.0.1, every loop bounded.
final class HTTPServerLoadTests: XCTestCase {
    private func post(to port: UInt16, timeout: Double = 2) throws -> HTTPResponse {
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: timeout)
        defer { connection.close() }
        let request = HTTPRequest.post("/notify", host: "127.0.0.1:\(port)", contentType: "text/plain", body: Array("x".utf8))
        return try HTTPClient.exchange(request, over: connection, deadline: .after(seconds: timeout))
    }

    /// Opens `count` connections that never send a byte.
    private func openIdle(_ count: Int, port: UInt16) throws -> [TCPConnection] {
        try (0..<count).map { _ in try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2) }
    }

    /// Reads until the server closes, or until `deadline`.
    private func readToEnd(_ connection: TCPConnection, deadline: Deadline) -> String {
        var received: [UInt8] = []
        while received.count < 1_000_000, let chunk = try? connection.read(maxCount: 4096, deadline: deadline), !chunk.isEmpty {
            received += chunk
        }
        return String(decoding: received, as: UTF8.self)
    }

    func testTwoHundredIdleConnectionsDoNotStopTheServer() throws {
        // Before the cap let waiting connections give way, 16 idle ones took every place and the
        // next ~64 filled the kernel's backlog: the server stopped answering until they timed out.
        let server = try startLoopbackServer(HTTPServerConfiguration(maxConnections: 16, requestTimeout: 30))
        defer { server.stop() }
        let idle = try openIdle(200, port: server.port)
        defer { idle.forEach { $0.close() } }

        let started = Deadline.now
        let response = try post(to: server.port, timeout: 5)
        let seconds = Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        XCTAssertEqual(response.status, 200)
        XCTAssertLessThan(seconds, 2, "a real request behind 200 idle connections must be answered at once")
        // Of the 200 idle ones at most 16 hold a place: the rest gave way. (Several threads accept at
        // once, so the last idle ones may be let in just after the answer, into the place it left.)
        let counted = Deadline.after(seconds: 8)
        while server.connectionsTurnedAway < 200 - 16 && !counted.hasPassed { usleep(10_000) }
        XCTAssertGreaterThanOrEqual(server.connectionsTurnedAway, 200 - 16, "idle connections beyond the cap gave way")
        XCTAssertEqual(readToEnd(idle[0], deadline: .after(seconds: 2)), "", "the oldest idle connection was closed, unanswered")
    }

    func testABusyConnectionIsNeverClosedForANewOne() throws {
        let release = DispatchSemaphore(value: 0)
        let entered = DispatchSemaphore(value: 0)
        let server = try startLoopbackServer(HTTPServerConfiguration(maxConnections: 1, requestTimeout: 5)) { _, _ in
            entered.signal()
            _ = release.wait(timeout: .now() + 5)
            release.signal()  // later requests pass straight through
            return .text(200, "SUCCESS")
        }
        defer { server.stop() }
        let busy = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { busy.close() }
        var first = HTTPRequest.post("/", host: "t", contentType: "text/plain", body: [0x31])
        first.headers.set("Connection", "close")
        try busy.write(try first.serialized(), deadline: .after(seconds: 2))
        XCTAssertEqual(entered.wait(timeout: .now() + 5), .success)

        // The only place is taken by a request being handled: the newcomer is closed at once.
        let newcomer = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { newcomer.close() }
        XCTAssertEqual(readToEnd(newcomer, deadline: .after(seconds: 2)), "")
        release.signal()
        let answer = readToEnd(busy, deadline: .after(seconds: 5))
        XCTAssertTrue(answer.hasPrefix("HTTP/1.1 200 OK\r\n"), answer)
        XCTAssertEqual(try post(to: server.port).status, 200, "the place is free again")
    }

    func testATricklingClientIsCutAtTheRequestDeadline() throws {
        let server = try startLoopbackServer(HTTPServerConfiguration(requestTimeout: 1))
        defer { server.stop() }
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { connection.close() }
        let request = Array("POST /api/pos/trade HTTP/1.1\r\nHost: t\r\nX-Padding: \(String(repeating: "a", count: 100))\r\n".utf8)
        let started = Deadline.now
        var answer: [UInt8] = []
        // One byte every 200 ms: each read is quick, only the whole request's deadline can stop it.
        for byte in request {
            guard (try? connection.write([byte], deadline: .after(seconds: 1))) != nil else { break }
            if let chunk = try? connection.read(maxCount: 4096, deadline: .after(seconds: 0.2)), !chunk.isEmpty {
                answer = chunk
                break
            }
        }
        let seconds = Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        let text = String(decoding: answer, as: UTF8.self) + readToEnd(connection, deadline: .after(seconds: 2))
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 408 Request Timeout\r\n"), text)
        XCTAssertGreaterThanOrEqual(seconds, 0.9)
        XCTAssertLessThan(seconds, 5, "cut at the 1 s deadline, not after the whole request trickled in")
        XCTAssertEqual(try post(to: server.port).status, 200)
    }

    func testATenMegabyteBodyIsRefusedBeforeAnyOfItIsSent() throws {
        let server = try startLoopbackServer(HTTPServerConfiguration(limits: HTTPLimits(maxBodyBytes: 64 * 1024), requestTimeout: 5))
        defer { server.stop() }
        let heads = ["POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n",
                     // 0x989680 = 10,000,000 bytes announced by one chunk
                     "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n989680\r\n"]
        for head in heads {
            let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
            defer { connection.close() }
            try connection.write(Array(head.utf8), deadline: .after(seconds: 2))
            // No body byte is sent: the answer can only come from the announced size.
            let answer = readToEnd(connection, deadline: .after(seconds: 3))
            XCTAssertTrue(answer.hasPrefix("HTTP/1.1 413 Content Too Large\r\n"), "\(head): \(answer)")
            XCTAssertTrue(answer.contains("body larger than 65536 bytes"), answer)
        }
        XCTAssertEqual(try post(to: server.port).status, 200)
    }

    func testAnOversizedBodyStillStreamingInIsNotBuffered() throws {
        let server = try startLoopbackServer(HTTPServerConfiguration(limits: HTTPLimits(maxBodyBytes: 64 * 1024), requestTimeout: 5))
        defer { server.stop() }
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
        defer { connection.close() }
        try connection.write(Array("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n".utf8), deadline: .after(seconds: 2))
        // Keep sending: the server drops at most about a megabyte for a moment, then closes.
        let piece = [UInt8](repeating: 0x41, count: 64 * 1024)
        var sent = 0
        while sent < 10_000_000, (try? connection.write(piece, deadline: .after(seconds: 2))) != nil {
            sent += piece.count
        }
        XCTAssertLessThan(sent, 10_000_000, "the server stopped taking the body long before its end")
        XCTAssertEqual(try post(to: server.port).status, 200)
    }
}
