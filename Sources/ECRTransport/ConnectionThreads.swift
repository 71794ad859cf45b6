import Foundation

/// The threads a server accepts and serves its connections on. Several wait in the kernel's
/// accept queue at once, and the kernel wakes one of them per connection; that thread serves the
/// connection itself, then goes back to waiting. Whoever takes a connection makes sure another
/// thread is still waiting (starting one when none is), so the accepting never stops, however
/// long a connection takes. At least two wait when all is quiet, so a lone till's connection
/// never waits for a thread to be started or woken; at most `idleLimit` do, and those beyond two
/// end after `linger` seconds without a connection.
///
/// Why not one accepting thread that hands connections over: on a shared VM, waking another
/// thread to serve a connection cost more than the simulator's whole answer, and a thread started
/// per connection more still.
final class ConnectionThreads: @unchecked Sendable {
    /// A connection a waiting thread took: served, or refused (closed unanswered) when no other
    /// thread could be started to go on accepting.
    struct Work: Sendable {
        let serve: @Sendable () -> Void
        let refuse: @Sendable () -> Void
    }

    enum Arrival {
        case work(Work)
        /// The wait ended without a connection to serve (or one turned away at the door).
        case none
        /// Nothing more will come: the listener is closed.
        case closed
    }

    /// Waits, bounded, for the next connection.
    typealias Waiting = @Sendable () -> Arrival

    /// Threads waiting when all is quiet: one takes the next connection, the other takes over.
    static let quietWaiting = 2

    private let name: String
    private let linger: Double
    private let idleLimit: Int

    // Safe to share: everything below `condition` is guarded by it.
    private let condition = NSCondition()
    /// Set by `start`, dropped by `stop` (it holds the server: no cycle outlives the threads).
    private var waiting: Waiting?
    /// Threads in `waiting()` right now.
    private var waitingCount = 0
    private var threads: [Int: JoinableThread] = [:]
    /// Threads that ended on their own, to be joined.
    private var retired: [Int] = []
    private var nextID = 0
    private var stopping = false

    init(name: String, linger: Double, idleLimit: Int) {
        self.name = name
        self.linger = linger
        self.idleLimit = max(Self.quietWaiting, idleLimit)
    }

    /// Threads started and not yet joined: waiting, serving, or ending.
    var liveThreads: Int {
        condition.lock(); defer { condition.unlock() }
        return threads.count
    }

    /// Starts the waiting threads. Calling it again does nothing.
    func start(_ waiting: @escaping Waiting) throws {
        condition.lock(); defer { condition.unlock() }
        guard self.waiting == nil, !stopping else { return }
        self.waiting = waiting
        for _ in 0..<Self.quietWaiting { try startThread(waiting) }
    }

    /// Ends every thread and returns once all have ended. Close what `waiting` waits on first (so
    /// it says `.closed`), and end the connections being served: a thread serving one is let finish.
    func stop() {
        condition.lock()
        stopping = true
        waiting = nil
        condition.unlock()
        while true {
            condition.lock()
            let remaining = Array(threads.values)
            threads = [:]
            retired = []
            condition.unlock()
            if remaining.isEmpty { return }
            remaining.forEach { $0.join() }
        }
    }

    /// Call with `condition` held: the thread's last act needs it, so it cannot end before it is
    /// recorded. The thread counts as waiting from now.
    private func startThread(_ waiting: @escaping Waiting) throws {
        let id = nextID
        nextID += 1
        threads[id] = try JoinableThread(name: name) { [self] in
            takeConnections(waiting)
            condition.lock()
            retired.append(id)
            condition.unlock()
        }
        waitingCount += 1
    }

    /// One thread's life: wait, serve what came, wait again, until stopped or not needed. Whether
    /// it goes on waiting is decided and counted at once, so no more than wanted ever wait.
    private func takeConnections(_ waiting: Waiting) {
        var idleSince = Date()
        while true {
            let arrival = waiting()
            condition.lock()
            waitingCount -= 1
            switch arrival {
            case .closed:
                condition.unlock()
                return
            case .none:
                // Quiet: threads beyond the two that always wait end after their linger.
                if stopping || (-idleSince.timeIntervalSinceNow >= linger && waitingCount >= Self.quietWaiting) {
                    condition.unlock()
                    return
                }
                waitingCount += 1
                condition.unlock()
                joinRetired()
            case .work(let work):
                if !stopping, waitingCount == 0, let waiting = self.waiting, (try? startThread(waiting)) == nil {
                    // Nobody else accepts and no thread can be started: better closed than blocking the door.
                    waitingCount += 1
                    condition.unlock()
                    work.refuse()
                    continue
                }
                condition.unlock()
                work.serve()
                condition.lock()
                if stopping || waitingCount >= idleLimit {
                    condition.unlock()
                    return
                }
                waitingCount += 1
                condition.unlock()
                idleSince = Date()
                joinRetired()
            }
        }
    }

    /// Joins the threads that ended since the last call.
    private func joinRetired() {
        condition.lock()
        let ended = retired.compactMap { threads.removeValue(forKey: $0) }
        retired = []
        condition.unlock()
        ended.forEach { $0.join() }
    }
}
