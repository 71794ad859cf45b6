import Foundation

/// Runs a transport's blocking I/O on a thread of its own and hands the result to the awaiting task:
/// an answer may take minutes, which must not hold one of the few threads Swift concurrency runs on.
enum TransportThread {
    static func run<Value: Sendable>(
        name: String, _ body: @escaping @Sendable () throws(TransportFailure) -> Value
    ) async throws(TransportFailure) -> Value {
        let result: Result<Value, TransportFailure> = await withCheckedContinuation { continuation in
            let work: @Sendable () -> Void = {
                continuation.resume(returning: Result { () throws(TransportFailure) -> Value in try body() })
            }
            do {
                // Detached: the continuation is the only thing waiting for it.
                _ = try JoinableThread(name: name, body: work)
            } catch {
                continuation.resume(returning: .failure(.notSent("Not sent: cannot start an I/O thread (\(error)).")))
            }
        }
        return try result.get()
    }
}
