import Foundation

/// Runs async work from a synchronous command and waits for its result. The calling thread (the
/// process's main thread) only waits; the work runs on the concurrency pool.
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = ResultBox<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

private final class ResultBox<T>: @unchecked Sendable {
    // Written once by the task before the semaphore is signalled; read after the wait.
    var result: Result<T, Error>?
}
