import Foundation
import XCTest
@testable import ECRTransport

/// The server's threads: one accepts while the others serve or park, reused from one connection
/// to the next, never more parked than asked, ended when idle, and every one joined by `stop()`.
final class HTTPServerThreadTests: XCTestCase {
    private func startServer(_ configuration: HTTPServerConfiguration,
                             handler: @escaping HTTPServer.Handler = { _, _ in .text(200, "SUCCESS") }) throws -> HTTPServer {
        let server = HTTPServer(listener: try TCPListener(host: "127.0.0.1", port: 0), configuration: configuration, handler: handler)
        try server.start()
        return server
    }

    private func post(to port: UInt16) throws -> HTTPResponse {
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2)
        defer { connection.close() }
        var request = HTTPRequest.post("/", host: "127.0.0.1:\(port)", contentType: "text/plain", body: Array("x".utf8))
        request.headers.set("Connection", "close")
        return try HTTPClient.exchange(request, over: connection, deadline: .after(seconds: 5))
    }

    /// Waits (bounded) until `condition` holds.
    private func eventually(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let deadline = Deadline.after(seconds: seconds)
        while !condition() {
            if deadline.hasPassed { return false }
            usleep(10_000)
        }
        return true
    }

    func testConnectionsOneAfterAnotherReuseTheirThreads() throws {
        let server = try startServer(HTTPServerConfiguration(requestTimeout: 5, parkedThreads: 2))
        defer { server.stop() }
        for _ in 0..<50 { XCTAssertEqual(try post(to: server.port).status, 200) }
        // One accepts and at most 2 stay parked; a thread parks just after its answer leaves, so
        // now and then one that found no place is about to end.
        XCTAssertLessThanOrEqual(server.connectionThreads, 4, "50 connections, not 50 threads")
    }

    func testAtMostTheParkedLimitStaysAfterABurst() throws {
        let handled = SharedCounter()
        let server = try startServer(HTTPServerConfiguration(maxConnections: 16, requestTimeout: 5, parkedThreads: 2)) { _, _ in
            _ = handled.next()
            return .text(200, "SUCCESS")
        }
        defer { server.stop() }
        // Eight at once: each needs a thread of its own while they all wait for their requests.
        let idle = try (0..<8).map { _ in try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2) }
        XCTAssertTrue(eventually { server.activeConnections == 8 })
        XCTAssertGreaterThanOrEqual(server.connectionThreads, 9, "eight serving, one accepting")
        idle.forEach { $0.close() }
        // Those beyond the two parked ones end, and the accepting one joins them within its second.
        XCTAssertTrue(eventually { server.connectionThreads <= 3 }, "\(server.connectionThreads) threads left")
        XCTAssertEqual(try post(to: server.port).status, 200)
        XCTAssertEqual(handled.next(), 1)
    }

    func testIdleThreadsEndAfterTheirLinger() throws {
        let server = try startServer(HTTPServerConfiguration(requestTimeout: 5, parkedThreads: 4, threadLinger: 0.2))
        defer { server.stop() }
        for _ in 0..<3 { XCTAssertEqual(try post(to: server.port).status, 200) }
        XCTAssertGreaterThanOrEqual(server.connectionThreads, 2)
        XCTAssertTrue(eventually { server.connectionThreads == 1 }, "\(server.connectionThreads) threads left, one accepting")
        XCTAssertEqual(try post(to: server.port).status, 200, "a new thread takes over the accepting")
    }

    func testStopJoinsParkedThreads() throws {
        let threadsBefore = threadCount()
        let server = try startServer(HTTPServerConfiguration(requestTimeout: 5, parkedThreads: 4, threadLinger: 60))
        for _ in 0..<5 { XCTAssertEqual(try post(to: server.port).status, 200) }
        XCTAssertGreaterThanOrEqual(server.connectionThreads, 2)
        let started = Deadline.now
        server.stop()
        XCTAssertLessThan(Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9, 1.5,
                          "parked threads are woken, not waited out")
        XCTAssertEqual(server.connectionThreads, 0)
        XCTAssertEqual(threadCount(), threadsBefore, "stop() joined every thread it started")
    }
}
