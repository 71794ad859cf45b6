import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport
import Synchronization

/// Runs `body` on its own thread; `finish()` waits for it and hands back what it threw, if anything.
final class BackgroundPeer: @unchecked Sendable {
    // Safe to share: `failure` is written by the peer thread before it ends and read after join.
    private var thread: JoinableThread?
    private var failure: Error?

    init(_ body: @escaping @Sendable () throws -> Void) throws {
        thread = try JoinableThread(name: "test peer") { [unowned self] in
            do { try body() } catch { self.failure = error }
        }
    }

    @discardableResult
    func finish() -> Error? {
        thread?.join()
        return failure
    }
}

/// A number several threads may bump.
final class SharedCounter: Sendable {
    private let count = Mutex(0)

    /// Adds one and returns the value before.
    func next() -> Int {
        count.withLock { count in
            defer { count += 1 }
            return count
        }
    }
}

/// An HTTP server on a free loopback port, started; it answers `SUCCESS` unless told otherwise.
func startLoopbackServer(_ configuration: HTTPServerConfiguration,
                         handler: @escaping HTTPServer.Handler = { _, _ in .text(200, "SUCCESS") }) throws -> HTTPServer {
    let server = HTTPServer(listener: try TCPListener(host: "127.0.0.1", port: 0), configuration: configuration, handler: handler)
    try server.start()
    return server
}

/// Open descriptors of this process, from /proc/self/fd.
func openDescriptorCount() -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
}

/// Threads of this process, from /proc/self/task.
func threadCount() -> Int {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []).count
}

/// Expects `body` to throw an `IOFailure` and returns it.
func expectIOFailure<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> IOFailure? {
    do {
        _ = try body()
        XCTFail("expected an IOFailure, got success", file: file, line: line)
    } catch let failure as IOFailure {
        return failure
    } catch {
        XCTFail("expected an IOFailure, got \(error)", file: file, line: line)
    }
    return nil
}

/// Reads until `count` bytes arrived, the peer closed, or the deadline passed.
func readBytes(_ stream: ByteStream, count: Int, deadline: Deadline) throws -> [UInt8] {
    var collected: [UInt8] = []
    while collected.count < count {
        let chunk = try stream.read(maxCount: count - collected.count, deadline: deadline)
        if chunk.isEmpty { break }
        collected += chunk
    }
    return collected
}

/// Whether this machine can listen on the IPv6 loopback.
func ipv6LoopbackAvailable() -> Bool {
    guard let listener = try? TCPListener(host: "::1", port: 0) else { return false }
    listener.close()
    return true
}
