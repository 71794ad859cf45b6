import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

final class TCPConnectionTests: XCTestCase {
    /// A port that nothing listens on: bound once by the kernel's choice, then released.
    private func closedLoopbackPort() throws -> UInt16 {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        return port
    }

    func testConnectToClosedPortIsRefusedAndNotSent() throws {
        let port = try closedLoopbackPort()
        let failure = expectIOFailure { try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2) }
        XCTAssertEqual(failure?.kind, .connectionRefused)
        XCTAssertEqual(failure?.couldHaveReachedPeer, false)
        XCTAssertEqual(failure?.message.contains("nothing listens on 127.0.0.1:\(port)"), true, failure?.message ?? "")
        XCTAssertEqual(failure?.transportFailure.certainty, .notSent)
    }

    func testConnectTimesOutWhenTheBacklogIsFull() throws {
        // Backlog 0 and no accept(): once the queue is full Linux drops further SYNs, so connect hangs.
        let listener = try TCPListener(host: "127.0.0.1", port: 0, backlog: 0)
        defer { listener.close() }
        var fillers: [TCPConnection] = []
        defer { fillers.forEach { $0.close() } }
        var sawTimeout = false
        for _ in 0..<8 {
            do {
                fillers.append(try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 0.3))
            } catch let failure as IOFailure where failure.kind == .connectTimeout {
                sawTimeout = true
                break
            }
        }
        guard sawTimeout else {
            throw XCTSkip("this kernel completed 8 connects to a listener with backlog 0; cannot provoke a connect timeout on loopback")
        }
        let started = Deadline.now
        let failure = expectIOFailure { try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 0.3) }
        let elapsed = Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        XCTAssertEqual(failure?.kind, .connectTimeout)
        XCTAssertEqual(failure?.couldHaveReachedPeer, false)
        XCTAssertGreaterThanOrEqual(elapsed, 0.25)
        XCTAssertLessThan(elapsed, 3)
    }

    private func echo(host: String) throws {
        let listener = try TCPListener(host: host, port: 0)
        defer { listener.close() }
        let server = try BackgroundPeer {
            guard let connection = try listener.accept(deadline: .after(seconds: 5)) else { return }
            defer { connection.close() }
            for _ in 0..<100 {
                let chunk = try connection.read(maxCount: 4096, deadline: .after(seconds: 5))
                if chunk.isEmpty { return }
                try connection.write(chunk, deadline: .after(seconds: 5))
            }
        }
        let client = try TCPConnection.connect(host: host, port: listener.port, timeout: 2)
        let message = Array((0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        try client.write(message, deadline: .after(seconds: 5))
        XCTAssertTrue(client.hasSentBytes)
        let back = try readBytes(client, count: message.count, deadline: .after(seconds: 5))
        XCTAssertEqual(back, message)
        XCTAssertEqual(client.peerAddress?.port, listener.port)
        client.close()
        XCTAssertNil(server.finish())
    }

    func testEchoOverIPv4() throws {
        try echo(host: "127.0.0.1")
    }

    func testEchoOverIPv6() throws {
        guard ipv6LoopbackAvailable() else { throw XCTSkip("::1 is not available on this machine") }
        try echo(host: "::1")
        try echo(host: "[::1]")
    }

    func testConnectByName() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        // "localhost" may resolve to ::1 first, which refuses; the next address must be tried.
        let client = try TCPConnection.connect(host: "localhost", port: listener.port, timeout: 2)
        XCTAssertEqual(client.peerAddress?.host, "127.0.0.1")
        client.close()
    }

    func testUnresolvableNameIsNotSent() {
        let failure = expectIOFailure { try TCPConnection.connect(host: "no-such-terminal.invalid", port: 9001, timeout: 2) }
        XCTAssertEqual(failure?.kind, .nameResolutionFailed)
        XCTAssertEqual(failure?.couldHaveReachedPeer, false)
        XCTAssertEqual(failure?.message.contains("no-such-terminal.invalid"), true)
    }

    func testReadDeadlineExpiresWhenPeerIsSilent() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
        defer { client.close() }
        let accepted = try XCTUnwrap(listener.accept(deadline: .after(seconds: 2)))
        defer { accepted.close() }

        let started = Deadline.now
        let before = expectIOFailure { try client.read(maxCount: 100, deadline: .after(seconds: 0.2)) }
        let elapsed = Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        XCTAssertEqual(before?.kind, .readTimeout)
        XCTAssertEqual(before?.couldHaveReachedPeer, false, "nothing was written yet")
        XCTAssertGreaterThanOrEqual(elapsed, 0.19)
        XCTAssertLessThan(elapsed, 2)

        try client.write(Array("request".utf8), deadline: .after(seconds: 2))
        let after = expectIOFailure { try client.read(maxCount: 100, deadline: .after(seconds: 0.1)) }
        XCTAssertEqual(after?.kind, .readTimeout)
        XCTAssertEqual(after?.couldHaveReachedPeer, true, "the request went out: the outcome is unknown")
        XCTAssertEqual(after?.message.contains("ask for its result"), true)
    }

    func testResetAfterRequestIsUnknown() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let server = try BackgroundPeer {
            guard let connection = try listener.accept(deadline: .after(seconds: 5)) else { return }
            _ = try connection.read(maxCount: 100, deadline: .after(seconds: 5))
            // Linger 0 turns close() into a reset.
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            setsockopt(connection.fileDescriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            connection.close()
        }
        let client = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
        defer { client.close() }
        try client.write(Array("trade".utf8), deadline: .after(seconds: 2))
        XCTAssertNil(server.finish())
        let failure = expectIOFailure { try client.read(maxCount: 100, deadline: .after(seconds: 2)) }
        XCTAssertEqual(failure?.kind, .resetByPeer)
        XCTAssertEqual(failure?.couldHaveReachedPeer, true)
        XCTAssertEqual(failure?.transportFailure.certainty, .unknown)
    }

    func testWritingToAGonePeerThrowsInsteadOfRaisingSIGPIPE() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
        defer { client.close() }
        try XCTUnwrap(listener.accept(deadline: .after(seconds: 2))).close()
        var failure: IOFailure?
        for _ in 0..<200 where failure == nil {
            do {
                try client.write([UInt8](repeating: 0x41, count: 1024), deadline: .after(seconds: 1))
            } catch let caught as IOFailure {
                failure = caught
            }
        }
        XCTAssertNotNil(failure, "200 writes to a closed peer should fail")
        XCTAssertTrue([.resetByPeer, .closedByPeer].contains(failure?.kind ?? .system), "\(String(describing: failure))")
        XCTAssertEqual(failure?.couldHaveReachedPeer, true)
    }

    func testASendThatNeverWaitsReportsWhatWentAndALaterFailureAsAfterSending() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
        defer { client.close() }
        let accepted = try XCTUnwrap(listener.accept(deadline: .after(seconds: 2)))
        // The peer reads nothing: the kernel takes what fits in its buffers and stops without waiting.
        let huge = [UInt8](repeating: 0x41, count: 32 * 1024 * 1024)
        let first = client.sendWithoutWaiting(huge)
        XCTAssertGreaterThan(first.sent, 0)
        XCTAssertLessThan(first.sent, huge.count)
        XCTAssertNil(first.failure, "a full buffer is not a failure")
        XCTAssertEqual(client.sendWithoutWaiting(huge).sent, 0, "still full: nothing more, and no waiting")

        // The peer goes away with a reset: what the next send meets is a failure after bytes went.
        var linger = linger(l_onoff: 1, l_linger: 0)
        setsockopt(accepted.fileDescriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<linger>.size))
        accepted.close()
        var failure: IOFailure?
        for _ in 0..<200 where failure == nil {
            failure = client.sendWithoutWaiting([0x42]).failure
            if failure == nil { usleep(5_000) }
        }
        XCTAssertNotNil(failure)
        XCTAssertEqual(failure?.couldHaveReachedPeer, true, "bytes went earlier: \(String(describing: failure))")
    }

    func testEndOfStreamIsAnEmptyRead() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
        defer { client.close() }
        let accepted = try XCTUnwrap(listener.accept(deadline: .after(seconds: 2)))
        try accepted.write([1, 2, 3], deadline: .after(seconds: 1))
        accepted.close()
        XCTAssertEqual(try readBytes(client, count: 10, deadline: .after(seconds: 2)), [1, 2, 3])
        XCTAssertEqual(try client.read(maxCount: 10, deadline: .after(seconds: 2)), [])
    }

    func testCloseFromAnotherThreadWakesABlockedReader() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let client = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
        let accepted = try XCTUnwrap(listener.accept(deadline: .after(seconds: 2)))
        defer { accepted.close() }
        let started = Deadline.now
        let reader = try BackgroundPeer {
            _ = try client.read(maxCount: 10, deadline: .after(seconds: 10))
        }
        usleep(100_000)
        client.close()
        client.close()
        let failure = reader.finish() as? IOFailure
        let elapsed = Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        XCTAssertEqual(failure?.kind, .closedLocally)
        XCTAssertLessThan(elapsed, 5)
        XCTAssertEqual(client.fileDescriptor, -1)
        XCTAssertEqual(expectIOFailure { try client.write([1], deadline: .after(seconds: 1)) }?.kind, .closedLocally)
    }

    func testListenerReportsEphemeralPortAndAcceptDeadline() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        XCTAssertNotEqual(listener.port, 0)
        XCTAssertEqual(listener.localAddress.description, "127.0.0.1:\(listener.port)")
        XCTAssertNil(try listener.accept(deadline: .after(seconds: 0.05)))
    }

    func testSecondListenerOnTheSamePortIsAddressInUse() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        let failure = expectIOFailure { try TCPListener(host: "127.0.0.1", port: listener.port) }
        XCTAssertEqual(failure?.kind, .addressInUse)
    }

    func testClosingTheListenerWakesAcceptingThread() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let acceptor = try BackgroundPeer {
            _ = try listener.accept(deadline: .after(seconds: 10))
        }
        usleep(100_000)
        let started = Deadline.now
        listener.close()
        let failure = acceptor.finish() as? IOFailure
        XCTAssertEqual(failure?.kind, .closedLocally)
        XCTAssertLessThan(Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9, 5)
    }
}
