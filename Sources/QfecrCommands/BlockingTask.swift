import Foundation
import Synchronization

/// Runs async work from a synchronous command and waits for its result. The calling thread (the
/// process's main thread) only waits; the work runs on the concurrency pool.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        let result: Result<T, Error>
        do { result = .success(try await work()) } catch { result = .failure(error) }
        box.result.withLock { $0 = result }
        done.signal()
    }
    done.wait()
    return try box.result.withLock { $0 }!.get()
}

private final class ResultBox<T: Sendable>: Sendable {
    /// Written once by the task before the semaphore is signalled; read after the wait.
    let result = Mutex<Result<T, Error>?>(nil)
}
