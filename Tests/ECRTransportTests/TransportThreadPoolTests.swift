import Foundation
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

/// A request's blocking I/O runs on a parked pool thread, not on one started per request and not on
/// a Swift concurrency thread; threads never pile up, and idle ones end.
final class TransportThreadPoolTests: XCTestCase {
    /// Kernel thread ids the observer saw traffic on (the I/O threads).
    private final class ThreadRecorder: WireObserver, @unchecked Sendable {
        private let seen = Mutex<[pid_t]>([])
        func observe(_ event: WireEvent) { record() }
        func record() {
            // /proc/thread-self links to "PID/task/TID": the kernel id, as listed in /proc/self/task.
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
            let id = pid_t(link.split(separator: "/").last ?? "") ?? -1
            seen.withLock { $0.append(id) }
        }
        var threads: [pid_t] { seen.withLock { $0 } }
    }

    private static func liveThreadIDs() -> Set<pid_t> {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return Set(names.compactMap { pid_t($0) })
    }

    func testSequentialHTTPRequestsReuseOneThreadAndStartNoThreadPerRequest() async throws {
        let terminal = try HTTPTerminalStandIn()
        defer { terminal.stop() }
        let recorder = ThreadRecorder()
        let http = LANHTTPTransport(host: "127.0.0.1", port: terminal.port, posKey: TransportFixtures.posKey,
                                    timeouts: TransportFixtures.quick, observer: recorder)
        _ = try await http.perform(TransportFixtures.inquiry)
        let before = Self.liveThreadIDs()
        for _ in 0..<50 { _ = try await http.perform(TransportFixtures.inquiry) }
        let after = Self.liveThreadIDs()

        let ioThreads = Set(recorder.threads)
        XCTAssertEqual(ioThreads.count, 1, "51 requests one after another ran on one I/O thread")
        XCTAssertTrue(ioThreads.isSubset(of: after), "the I/O thread is parked for the next request")
        XCTAssertLessThanOrEqual(after.subtracting(before).count, 1, "50 requests did not leave 50 threads behind")
        XCTAssertLessThanOrEqual(TransportThread.pool.liveThreads, 4)
        XCTAssertEqual(terminal.seen.count, 51)
    }

    func testALongJobDoesNotHoldUpOthersAndIdleThreadsEnd() async throws {
        let pool = TransportThreadPool(linger: 0.2, idleLimit: 2)
        let recorder = ThreadRecorder()
        for index in 0..<20 {
            let value = try await pool.run(name: "qfecr test") { () throws(TransportFailure) -> Int in
                recorder.record()
                return index
            }
            XCTAssertEqual(value, index)
        }
        XCTAssertEqual(Set(recorder.threads).count, 1, "20 jobs one after another ran on one thread")
        XCTAssertEqual(pool.liveThreads, 1)

        // A trade holds its thread until the customer pays; an inquiry beside it must not wait for it.
        let release = DispatchSemaphore(value: 0)
        let long = Task {
            try await pool.run(name: "qfecr test") { () throws(TransportFailure) -> String in
                recorder.record()
                _ = release.wait(timeout: .now() + 10)
                return "trade"
            }
        }
        let deadline = Date(timeIntervalSinceNow: 5)
        while pool.liveThreads < 1 || recorder.threads.count < 21, Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        let beside = try await pool.run(name: "qfecr test") { () throws(TransportFailure) -> String in
            recorder.record()
            return "inquiry"
        }
        XCTAssertEqual(beside, "inquiry")
        XCTAssertEqual(pool.liveThreads, 2)
        release.signal()
        let longResult = try await long.value
        XCTAssertEqual(longResult, "trade")

        // Idle threads end by themselves: none of the pool's threads is left in the process.
        let ended = Date(timeIntervalSinceNow: 10)
        while pool.liveThreads > 0, Date() < ended { try await Task.sleep(for: .milliseconds(20)) }
        XCTAssertEqual(pool.liveThreads, 0)
        let gone = await threadsGone(Set(recorder.threads))
        XCTAssertTrue(gone, "pool threads still in /proc/self/task: \(Set(recorder.threads).intersection(Self.liveThreadIDs()))")
    }

    func testAFailureIsHandedBackAsThrown() async {
        let pool = TransportThreadPool(linger: 0.2, idleLimit: 1)
        do {
            _ = try await pool.run(name: "qfecr test") { () throws(TransportFailure) -> Int in
                throw .unknown("Unknown: the answer did not arrive.")
            }
            XCTFail("expected a failure")
        } catch {
            XCTAssertEqual(error.certainty, .unknown)
            XCTAssertEqual(error.message, "Unknown: the answer did not arrive.")
        }
    }

    /// A thread is counted out just before it returns; the kernel drops it from /proc a moment later.
    private func threadsGone(_ ids: Set<pid_t>) async -> Bool {
        let deadline = Date(timeIntervalSinceNow: 5)
        while Date() < deadline {
            if ids.intersection(Self.liveThreadIDs()).isEmpty { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
