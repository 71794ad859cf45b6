import Foundation

/// A clock for tests: time stands still until the test advances it; then every sleeper whose
/// instant has come is woken, earliest first. Wall time moves with the monotonic time.
public final class TestClock: EngineClock, @unchecked Sendable {
    // Guarded by `lock`; the class is Sendable because every stored property is reached only under it.
    private let lock = NSLock()
    private var current: EngineInstant
    private let wallOrigin: Date
    private let instantOrigin: EngineInstant
    private var sleepers: [Sleeper] = []
    private var nextSleeperID = 0

    private struct Sleeper {
        let id: Int
        let deadline: EngineInstant
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// Starts at `wall` (default: 2026-11-21 06:32:00 UTC) and an arbitrary monotonic origin.
    public init(wall: Date = Date(timeIntervalSince1970: 1_795_242_720), instant: EngineInstant = EngineInstant(nanoseconds: 1_000_000_000_000)) {
        wallOrigin = wall
        instantOrigin = instant
        current = instant
    }

    public var now: Date {
        lock.withLock { wallOrigin.addingTimeInterval(instantOrigin.duration(to: current).timeInterval) }
    }

    public var instant: EngineInstant { lock.withLock { current } }

    /// How many tasks are asleep on this clock right now.
    public var sleeperCount: Int { lock.withLock { sleepers.count } }

    /// When the earliest sleeper wants to wake, if anyone sleeps.
    public var nextWake: EngineInstant? { lock.withLock { sleepers.map(\.deadline).min() } }

    public func sleep(until target: EngineInstant) async throws {
        let id = lock.withLock { () -> Int in
            nextSleeperID += 1
            return nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = lock.withLock {
                    if target <= current || Task.isCancelled { return true }
                    sleepers.append(Sleeper(id: id, deadline: target, continuation: continuation))
                    return false
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let cancelled: Sleeper? = lock.withLock {
                guard let index = sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose instant has come.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "TestClock cannot go backwards")
        let due: [Sleeper] = lock.withLock {
            current = current.advanced(by: duration)
            let now = current
            let ready = sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            sleepers.removeAll { $0.deadline <= now }
            return ready
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// Moves time to the earliest sleeper's instant (if any) and wakes it. Returns false if nobody sleeps.
    @discardableResult
    public func advanceToNextWake() -> Bool {
        guard let wake = nextWake else { return false }
        advance(by: instant.duration(to: wake))
        return true
    }
}
