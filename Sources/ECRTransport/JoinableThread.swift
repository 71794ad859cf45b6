import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A POSIX thread that can be joined, so whoever stops a server knows the thread is really gone
/// (Foundation's `Thread` cannot be joined).
final class JoinableThread: Sendable {
    private let handle: pthread_t
    private let joined = Mutex(false)

    private final class Work {
        let name: String
        let body: @Sendable () -> Void
        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    /// Starts `body` on a new thread; `name` shows in `top -H` and debuggers.
    init(name: String, body: @escaping @Sendable () -> Void) throws {
        let work = Unmanaged.passRetained(Work(name: name, body: body))
        var thread = pthread_t()
        let status = pthread_create(&thread, nil, { context in
            let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
            Thread.current.name = work.name
            work.body()
            return nil
        }, work.toOpaque())
        handle = thread
        if status != 0 {
            work.release()
            joined.withLock { $0 = true }
            throw IOFailure.system("thread \(name)", operation: "pthread_create", errno: status, afterSending: false)
        }
    }

    /// Waits until the thread has finished. Safe to call more than once, not from the thread itself.
    func join() {
        joined.withLock { joined in
            guard !joined else { return }
            joined = true
            pthread_join(handle, nil)
        }
    }

    deinit {
        // A thread nobody joined must still give its resources back when it ends.
        if !joined.withLock({ $0 }) { pthread_detach(handle) }
    }
}
