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
    /// Kernel thread ids the observer saw answers arrive on (the I/O threads; a plain HTTP request
    /// goes out from the caller's thread, see `RequestHeadStartTests`).
    private final class ThreadRecorder: WireObserver, @unchecked Sendable {
        private let seen = Mutex<[pid_t]>([])
        func observe(_ event: WireEvent) { if event.direction == .inbound { record() } }
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

    func testTheOpeningRunsOnTheCallingThreadBeforeTheJobAndItsFailureIsHandedBack() async throws {
        let pool = TransportThreadPool(linger: 0.2, idleLimit: 1)
        let order = Mutex<[String]>([])
        let callers = ThreadRecorder()
        let workers = ThreadRecorder()
        let value = try await pool.run(name: "qfecr test", opening: { () throws(TransportFailure) -> Int in
            callers.record()
            order.withLock { $0.append("opening") }
            return 41
        }) { (opened) throws(TransportFailure) -> Int in
            workers.record()
            order.withLock { $0.append("job") }
            return opened + 1
        }
        XCTAssertEqual(value, 42, "what the opening made reaches the job")
        XCTAssertEqual(order.withLock { $0 }, ["opening", "job"])
        XCTAssertEqual(callers.threads.count, 1)
        XCTAssertEqual(workers.threads.count, 1)
        XCTAssertNotEqual(callers.threads, workers.threads, "the opening on the caller's thread, the job on the pool's")

        do {
            _ = try await pool.run(name: "qfecr test", opening: { () throws(TransportFailure) -> Int in
                throw .notSent("Not sent: refused at once.")
            }) { (_) throws(TransportFailure) -> Int in
                XCTFail("the job must not run after its opening failed")
                return 0
            }
            XCTFail("expected a failure")
        } catch {
            XCTAssertEqual(error.certainty, .notSent)
            XCTAssertEqual(error.message, "Not sent: refused at once.")
        }
        let again = try await pool.run(name: "qfecr test") { () throws(TransportFailure) -> Int in
            workers.record()
            return 7
        }
        XCTAssertEqual(again, 7)
        XCTAssertEqual(Set(workers.threads).count, 1, "the thread that carried the failure was parked again and reused")
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
