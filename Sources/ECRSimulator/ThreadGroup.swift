import Foundation

/// Threads the server starts and must see finish before `stop()` returns: accept loops,
/// connection sessions, workers. Waiting is bounded so a stuck peer cannot hang shut-down.
final class ThreadGroup: Sendable {
    private let group = DispatchGroup()

    func spawn(_ name: String, _ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread { [group] in
            body()
            group.leave()
        }
        thread.name = name
        thread.start()
    }

    /// True when every thread finished within `seconds`.
    @discardableResult
    func wait(seconds: Double) -> Bool {
        group.wait(timeout: .now() + seconds) == .success
    }
}
