import Foundation
import XCTest
@testable import ECRTransport

/// The server's threads: a few wait for connections and each serves the one it takes, reused from
/// one connection to the next, never more waiting than asked, ended when idle beyond the two that
/// always wait, and every one joined by `stop()`.
final class HTTPServerThreadTests: XCTestCase {
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
        let server = try startLoopbackServer(HTTPServerConfiguration(requestTimeout: 5, idleThreads: 2))
        defer { server.stop() }
        for _ in 0..<50 { XCTAssertEqual(try post(to: server.port).status, 200) }
        // While one serves, the other waits. Now and then the answer reaches the client before its
        // thread is back to waiting, and the next connection starts a third, which ends again.
        XCTAssertLessThanOrEqual(server.connectionThreads, 3, "50 connections, not 50 threads")
    }

    func testAtMostTheIdleLimitStaysAfterABurst() throws {
        let handled = SharedCounter()
        let server = try startLoopbackServer(HTTPServerConfiguration(maxConnections: 16, requestTimeout: 5, idleThreads: 2)) { _, _ in
            _ = handled.next()
            return .text(200, "SUCCESS")
        }
        defer { server.stop() }
        // Eight at once: each needs a thread of its own while they all wait for their requests.
        let idle = try (0..<8).map { _ in try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2) }
        XCTAssertTrue(eventually { server.activeConnections == 8 })
        XCTAssertGreaterThanOrEqual(server.connectionThreads, 9, "eight serving, at least one waiting")
        idle.forEach { $0.close() }
        // Those beyond the two allowed to wait end, and the waiting ones join them within a second.
        XCTAssertTrue(eventually { server.connectionThreads == 2 }, "\(server.connectionThreads) threads left")
        XCTAssertEqual(try post(to: server.port).status, 200)
        XCTAssertEqual(handled.next(), 1)
    }

    func testThreadsBeyondTheTwoWaitingEndAfterTheirLinger() throws {
        let server = try startLoopbackServer(HTTPServerConfiguration(requestTimeout: 5, idleThreads: 6, threadLinger: 0.2))
        defer { server.stop() }
        let idle = try (0..<5).map { _ in try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2) }
        XCTAssertTrue(eventually { server.activeConnections == 5 })
        idle.forEach { $0.close() }
        XCTAssertTrue(eventually { server.activeConnections == 0 })
        XCTAssertGreaterThanOrEqual(server.connectionThreads, 6, "six may wait")
        XCTAssertTrue(eventually { server.connectionThreads == 2 }, "\(server.connectionThreads) threads left, two always wait")
        XCTAssertEqual(try post(to: server.port).status, 200)
    }

    func testStopJoinsWaitingThreads() throws {
        let threadsBefore = threadCount()
        let server = try startLoopbackServer(HTTPServerConfiguration(requestTimeout: 5, idleThreads: 4, threadLinger: 60))
        for _ in 0..<5 { XCTAssertEqual(try post(to: server.port).status, 200) }
        XCTAssertGreaterThanOrEqual(server.connectionThreads, 2)
        let started = Deadline.now
        server.stop()
        XCTAssertLessThan(Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9, 1.5,
                          "waiting threads are woken, not waited out")
        XCTAssertEqual(server.connectionThreads, 0)
        XCTAssertEqual(threadCount(), threadsBefore, "stop() joined every thread it started")
    }
}
