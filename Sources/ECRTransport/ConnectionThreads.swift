import Foundation

/// The threads a server serves its connections on. A thread that finished a connection parks for
/// the next one (up to `idleLimit` parked, each ending after `linger` seconds without work); a
/// connection that finds none parked starts one, so a connection never waits for another. Starting
/// a thread per connection cost a simulated inquiry more than building its answer.
final class ConnectionThreads: @unchecked Sendable {
    typealias Job = @Sendable () -> Void

    private let name: String
    private let linger: Double
    private let idleLimit: Int

    // Safe to share: everything below `condition` is guarded by it.
    private let condition = NSCondition()
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

    /// Threads started and not yet joined, parked or busy.
    var liveThreads: Int {
        condition.lock(); defer { condition.unlock() }
        return threads.count
    }

    /// Runs `job` on a parked thread, or on a new one when none is parked. Throws when no thread can
    /// be started, or once `stop()` was called; the job has not run then.
    func run(_ job: @escaping Job) throws {
        condition.lock()
        if stopping {
            condition.unlock()
            throw IOFailure.closedLocally("\(name) threads", afterSending: false)
        }
        if let mailbox = parked.popLast() {
            condition.unlock()
            mailbox.hand(.job(job))
            return
        }
        defer { condition.unlock() }
        let id = nextID
        nextID += 1
        // The thread's last act needs `condition`, held here, so it cannot end before it is recorded.
        threads[id] = try JoinableThread(name: name) { [self] in
            serve(first: job)
            condition.lock()
            retired.append(id)
            condition.unlock()
        }
    }

    /// Joins the threads that ended since the last call: call now and then (the accept loop does).
    func joinRetired() {
        condition.lock()
        let ended = retired.compactMap { threads.removeValue(forKey: $0) }
        retired = []
        condition.unlock()
        ended.forEach { $0.join() }
    }

    /// Wakes every parked thread to end, and returns once every thread has ended. Jobs still running
    /// are let finish, so end their work first (the server shuts their connections).
    func stop() {
        condition.lock()
        stopping = true
        let waking = parked
        parked = []
        condition.unlock()
        waking.forEach { $0.hand(.end) }

        condition.lock()
        let all = Array(threads.values)
        threads = [:]
        retired = []
        condition.unlock()
        all.forEach { $0.join() }
    }

    /// One thread's life: a job, then parked for the next, until it is told to end or not needed.
    private func serve(first: Job) {
        let mailbox = ConnectionThreadMailbox()
        var job = first
        while true {
            job()
            guard let next = park(mailbox) else { return }
            job = next
        }
    }

    /// Parks the thread until its next job; nil when it should end instead (stopping, enough threads
    /// parked already, or none came within `linger`).
    private func park(_ mailbox: ConnectionThreadMailbox) -> Job? {
        condition.lock()
        guard !stopping, parked.count < idleLimit else {
            condition.unlock()
            return nil
        }
        parked.append(mailbox)
        condition.unlock()
        var limit: Date? = Date(timeIntervalSinceNow: linger)
        while true {
            switch mailbox.take(waitingUntil: limit) {
            case .job(let job): return job
            case .end: return nil
            case .empty:
                // Idle too long; but a connection that took this thread off the list is about to hand it one.
                condition.lock()
                let index = parked.firstIndex { $0 === mailbox }
                if let index { parked.remove(at: index) }
                condition.unlock()
                if index != nil { return nil }
                limit = nil
            }
        }
    }
}

/// One parked thread's next job, handed over under a condition the thread sleeps on.
private final class ConnectionThreadMailbox: @unchecked Sendable {
    enum Content {
        case empty
        case job(ConnectionThreads.Job)
        case end
    }

    // Guarded by `condition`.
    private let condition = NSCondition()
    private var content = Content.empty

    func hand(_ delivery: Content) {
        condition.lock()
        content = delivery
        condition.unlock()
        // Signalled once unlocked, so the woken thread does not wake only to wait for the lock.
        condition.signal()
    }

    /// What was handed over, emptying the box; `.empty` when `limit` (nil: none) passed first.
    func take(waitingUntil limit: Date?) -> Content {
        condition.lock()
        defer { condition.unlock() }
        while case .empty = content {
            if let limit {
                if !condition.wait(until: limit) { break }
            } else {
                condition.wait()
            }
        }
        defer { content = .empty }
        return content
    }
}
