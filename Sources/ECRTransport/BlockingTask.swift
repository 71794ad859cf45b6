import Foundation
import Synchronization

/// Runs async work from synchronous code (a command on the main thread, the doctor on its own) and
/// waits for its result. The calling thread only waits; the work runs on the concurrency pool.
///
/// The work — and everything it captured, such as a session holding the journal lock — is released
/// before the caller wakes, so the next command in the same process finds the lock free.
public func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>(work)
    let done = DispatchSemaphore(value: 0)
    Task {
        var job = box.work.withLock { $0.take() }
        let result: Result<T, Error>
        do { result = .success(try await job!()) } catch { result = .failure(error) }
        job = nil
        box.result.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try box.result.withLock { $0 }!.get()
}

private final class ResultBox<T: Sendable>: Sendable {
    /// Taken by the task, so that only the task holds the work while it runs.
    let work: Mutex<(@Sendable () async throws -> T)?>
    /// Written once by the task before the semaphore is signalled; read after the wait.
    let result = Mutex<Result<T, Error>?>(nil)

    init(_ work: @escaping @Sendable () async throws -> T) {
        self.work = Mutex(work)
    }
}
