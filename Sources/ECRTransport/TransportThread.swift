import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs a transport's blocking I/O on a thread of its own and hands the result to the awaiting task:
/// an answer may take minutes, which must not hold one of the few threads Swift concurrency runs on.
enum TransportThread {
    /// Every transport's I/O threads: a payment polls every second or two, so a thread that waits a
    /// little for the next request saves starting one per request.
    static let pool = TransportThreadPool(linger: 10, idleLimit: 4)

    /// Runs `opening` on the calling thread once an I/O thread is ready for the job, then `body` with
    /// what it opened on that thread. `opening` must never wait (a non-blocking connect and send):
    /// the I/O thread is woken only after it, so its wake-up overlaps the peer's work on the request.
    static func run<Opening: Sendable, Value: Sendable>(
        name: String, opening: () throws(TransportFailure) -> Opening,
        _ body: @escaping @Sendable (Opening) throws(TransportFailure) -> Value
    ) async throws(TransportFailure) -> Value {
        try await pool.run(name: name, opening: opening, body)
    }

    /// Leaves `step` (closing a connection whose answer is complete) until the job's result has been
    /// handed to the awaiting task, so the task goes on while the socket is taken down. Steps run in
    /// the reverse order of their registration, as `defer` does. Only within `withAftermath`.
    static func afterAnswering(_ step: @escaping () -> Void) {
        guard let raw = pthread_getspecific(aftermathKey) else {
            preconditionFailure("afterAnswering outside withAftermath: the step would never run")
        }
        Unmanaged<TransportAftermath>.fromOpaque(raw).takeUnretainedValue().steps.append(step)
    }

    /// Runs `body`, whose `afterAnswering` steps run once the pool thread has answered; called off a
    /// pool thread (a test driving an exchange directly), they run when `body` returns.
    static func withAftermath<T, Failure: Error>(_ body: () throws(Failure) -> T) throws(Failure) -> T {
        if pthread_getspecific(aftermathKey) != nil { return try body() }
        let aftermath = TransportAftermath()
        pthread_setspecific(aftermathKey, Unmanaged.passUnretained(aftermath).toOpaque())
        defer {
            pthread_setspecific(aftermathKey, nil)
            aftermath.run()
        }
        return try body()
    }
}

/// What the current job left for after its answer (see `TransportThread.afterAnswering`). Only its
/// own thread touches it.
final class TransportAftermath {
    var steps: [() -> Void] = []

    func run() {
        while let step = steps.popLast() { step() }
    }
}

/// Each pool thread's `TransportAftermath`, found without a lock.
private let aftermathKey: pthread_key_t = {
    var key = pthread_key_t()
    precondition(pthread_key_create(&key, nil) == 0, "cannot create the transport threads' key")
    return key
}()

/// Threads that run one blocking job at a time, park between jobs and end after `linger` seconds
/// without one. A job never waits for another: with no parked thread free, a new one starts (a
/// trade may hold its thread for minutes while inquiries and cancels go on beside it).
final class TransportThreadPool: Sendable {
    private let linger: Double
    private let idleLimit: Int
    private let parked = Mutex<[TransportWorker]>([])
    private let live = Atomic<Int>(0)

    init(linger: Double, idleLimit: Int) {
        self.linger = linger
        self.idleLimit = idleLimit
    }

    /// Threads started and not yet ended, parked or busy.
    var liveThreads: Int { live.load(ordering: .acquiring) }

    func run<Value: Sendable>(
        name: String, _ body: @escaping @Sendable () throws(TransportFailure) -> Value
    ) async throws(TransportFailure) -> Value {
        try await run(name: name, opening: {}, body)
    }

    /// `opening` runs on the calling thread after a thread was found or started for the job (so a
    /// request it sent always has a thread to read its answer), and before that thread is woken.
    /// Its failure is handed over by the thread like any other.
    func run<Opening: Sendable, Value: Sendable>(
        name: String, opening: () throws(TransportFailure) -> Opening,
        _ body: @escaping @Sendable (Opening) throws(TransportFailure) -> Value
    ) async throws(TransportFailure) -> Value {
        let result: Result<Value, TransportFailure> = await withUnsafeContinuation { continuation in
            let worker: TransportWorker
            if let parkedWorker = parked.withLock({ $0.popLast() }) {
                worker = parkedWorker
            } else {
                do {
                    worker = try start(name: name)
                } catch {
                    continuation.resume(returning: .failure(.notSent("Not sent: cannot start an I/O thread (\(error)).")))
                    return
                }
            }
            let opened = Result { () throws(TransportFailure) -> Opening in try opening() }
            worker.hand(TransportWorker.Job(name: name) {
                let result = Result { () throws(TransportFailure) -> Value in try body(opened.get()) }
                return { continuation.resume(returning: result) }
            })
        }
        return try result.get()
    }

    /// A thread that waits for its first job.
    private func start(name: String) throws -> TransportWorker {
        let worker = TransportWorker(name: name)
        live.add(1, ordering: .relaxed)
        do {
            // Detached: the worker ends by itself once idle, and the continuation is what waits for a job.
            _ = try JoinableThread(name: name) { [self] in
                serve(worker)
                live.subtract(1, ordering: .releasing)
            }
        } catch {
            live.subtract(1, ordering: .relaxed)
            throw error
        }
        return worker
    }

    private func serve(_ worker: TransportWorker) {
        var name = worker.startName
        let aftermath = TransportAftermath()
        pthread_setspecific(aftermathKey, Unmanaged.passUnretained(aftermath).toOpaque())
        defer { pthread_setspecific(aftermathKey, nil) }
        while let job = nextJob(for: worker) {
            if job.name != name {
                name = job.name
                Thread.current.name = name
            }
            let answer = job.body()
            // Parked before answering, so the awaiting task's next request finds this thread free.
            let keepsThread = parked.withLock { idle in
                guard idle.count < idleLimit else { return false }
                idle.append(worker)
                return true
            }
            answer()
            aftermath.run()
            if !keepsThread { return }
        }
    }

    /// The worker's next job, or nil when none came within `linger` and the thread should end.
    private func nextJob(for worker: TransportWorker) -> TransportWorker.Job? {
        while true {
            if let job = worker.take(waitingUntil: Date(timeIntervalSinceNow: linger)) { return job }
            // Idle too long; but a request that took the worker off the parked list is about to hand it a job.
            let retired = parked.withLock { idle in
                guard let index = idle.firstIndex(where: { $0 === worker }) else { return false }
                idle.remove(at: index)
                return true
            }
            if retired { return nil }
        }
    }
}

/// One pool thread's mailbox: a job handed over under a condition the thread sleeps on.
// Unchecked: the thread sleeps on an NSCondition for its next job, which `Mutex` cannot wait on.
private final class TransportWorker: @unchecked Sendable {
    struct Job: Sendable {
        let name: String
        /// Does the blocking work and returns what hands its result to the waiting task.
        let body: @Sendable () -> @Sendable () -> Void
    }

    let startName: String
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var job: Job?
    init(name: String) {
        startName = name
    }

    func hand(_ next: Job) {
        condition.lock()
        job = next
        condition.unlock()
        // Signalled once unlocked, so the woken thread does not wake only to wait for the lock.
        condition.signal()
    }

    func take(waitingUntil limit: Date) -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while job == nil {
            if !condition.wait(until: limit) { break }
        }
        defer { job = nil }
        return job
    }
}
