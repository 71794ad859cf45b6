import Foundation

/// The threads a server accepts and serves its connections on, taking turns. One thread at a time
/// waits for the next connection; once it has one it passes the waiting on (to a parked thread, or
/// a new one when none is parked) and serves the connection itself, then parks until its next turn.
/// Up to `idleLimit` threads stay parked, each ending after `linger` seconds without a turn.
///
/// Why turns rather than an accepting thread that hands connections over: on a shared VM, waking
/// a parked thread to serve a connection cost more than the simulator's whole answer, and a thread
/// started per connection more still. Here the thread the kernel wakes for the connection serves it.
final class ConnectionThreads: @unchecked Sendable {
    /// A connection the waiting thread got: served once the waiting is passed on, refused (closed
    /// unanswered) when no thread could take the waiting over.
    struct Work: Sendable {
        let serve: @Sendable () -> Void
        let refuse: @Sendable () -> Void
    }

    /// Waits for the next connection; nil once there will be none (the listener closed).
    typealias Waiting = @Sendable () -> Work?

    private let name: String
    private let linger: Double
    private let idleLimit: Int

    // Safe to share: everything below `condition` is guarded by it.
    private let condition = NSCondition()
    /// Set by `start`, dropped by `stop` (it holds the server: no cycle outlives the threads).
    private var waiting: Waiting?
    private var parked: [ConnectionThreadMailbox] = []
    private var threads: [Int: JoinableThread] = [:]
    /// Threads that ended on their own, to be joined.
    private var retired: [Int] = []
    private var nextID = 0
    private var stopping = false

    init(name: String, linger: Double, idleLimit: Int) {
        self.name = name
        self.linger = linger
        self.idleLimit = max(0, idleLimit)
    }

    /// Threads started and not yet joined: the waiting one, those serving and those parked.
    var liveThreads: Int {
        condition.lock(); defer { condition.unlock() }
        return threads.count
    }

    /// Starts the first thread, which waits with `waiting`. Calling it again does nothing.
    func start(_ waiting: @escaping Waiting) throws {
        condition.lock(); defer { condition.unlock() }
        guard self.waiting == nil, !stopping else { return }
        self.waiting = waiting
        try startThread(waiting)
    }

    /// Joins the threads that ended since the last call: the waiting thread calls it now and then.
    func joinRetired() {
        condition.lock()
        let ended = retired.compactMap { threads.removeValue(forKey: $0) }
        retired = []
        condition.unlock()
        ended.forEach { $0.join() }
    }

    /// Ends every thread and returns once all have ended. Close what `waiting` waits on first (so
    /// it returns nil), and end the connections being served: a thread serving one is let finish.
    func stop() {
        condition.lock()
        stopping = true
        waiting = nil
        let waking = parked
        parked = []
        condition.unlock()
        waking.forEach { $0.hand(.end) }

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

    /// Starts a thread whose first turn is now. Call with `condition` held: the thread's last act
    /// needs it, so it cannot end before it is recorded.
    private func startThread(_ waiting: @escaping Waiting) throws {
        let id = nextID
        nextID += 1
        threads[id] = try JoinableThread(name: name) { [self] in
            takeTurns(waiting)
            condition.lock()
            retired.append(id)
            condition.unlock()
        }
    }

    /// One thread's life: wait for a connection, pass the waiting on, serve it, park for the next turn.
    private func takeTurns(_ waiting: Waiting) {
        let mailbox = ConnectionThreadMailbox()
        while true {
            guard let work = waiting() else { return }
            switch passTurn() {
            case .passed:
                work.serve()
                guard awaitTurn(mailbox) else { return }
            case .kept:
                // No thread could take over: the connection is closed, this thread keeps waiting.
                work.refuse()
            case .stopping:
                work.refuse()
                return
            }
        }
    }

    private enum Passing {
        case passed, kept, stopping
    }

    /// Wakes a parked thread to wait for the next connection, or starts one.
    private func passTurn() -> Passing {
        condition.lock()
        guard !stopping, let waiting else {
            condition.unlock()
            return .stopping
        }
        if let mailbox = parked.popLast() {
            condition.unlock()
            mailbox.hand(.turn)
            return .passed
        }
        defer { condition.unlock() }
        do {
            try startThread(waiting)
            return .passed
        } catch {
            return .kept
        }
    }

    /// Parks the thread until its next turn; false when it should end instead (stopping, enough
    /// threads parked already, or no turn came within `linger`).
    private func awaitTurn(_ mailbox: ConnectionThreadMailbox) -> Bool {
        condition.lock()
        guard !stopping, parked.count < idleLimit else {
            condition.unlock()
            return false
        }
        parked.append(mailbox)
        condition.unlock()
        var limit: Date? = Date(timeIntervalSinceNow: linger)
        while true {
            switch mailbox.take(waitingUntil: limit) {
            case .turn: return true
            case .end: return false
            case .empty:
                // Idle too long; but a thread that took this one off the list is about to hand it the turn.
                condition.lock()
                let index = parked.firstIndex { $0 === mailbox }
                if let index { parked.remove(at: index) }
                condition.unlock()
                if index != nil { return false }
                limit = nil
            }
        }
    }
}

/// A parked thread's word: its turn has come, or it should end. Handed over under a condition the
/// thread sleeps on.
private final class ConnectionThreadMailbox: @unchecked Sendable {
    enum Word {
        case empty, turn, end
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var word = Word.empty

    func hand(_ delivery: Word) {
        condition.lock()
        word = delivery
        condition.unlock()
        // Signalled once unlocked, so the woken thread does not wake only to wait for the lock.
        condition.signal()
    }

    /// The word handed over, emptying the box; `.empty` when `limit` (nil: none) passed first.
    func take(waitingUntil limit: Date?) -> Word {
        condition.lock()
        defer { condition.unlock() }
        while word == .empty {
            if let limit {
                if !condition.wait(until: limit) { break }
            } else {
                condition.wait()
            }
        }
        defer { word = .empty }
        return word
    }
}
