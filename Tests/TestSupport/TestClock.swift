import ECREngine
import Foundation
import Synchronization

/// A clock for tests: time stands still until the test advances it; then every sleeper whose
/// instant has come is woken, earliest first. Wall time moves with the monotonic time.
public final class TestClock: EngineClock {
    private let origin: Moment
    private let state: Mutex<State>

    private struct State {
        var current: EngineInstant
        var sleepers: [Sleeper] = []
        var nextSleeperID = 0
    }

    private struct Sleeper {
        let id: Int
        let deadline: EngineInstant
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// Starts at `wall` (default: 2026-11-21 06:32:00 UTC) and an arbitrary monotonic origin.
    public init(wall: Date = Date(timeIntervalSince1970: 1_795_242_720), instant: EngineInstant = EngineInstant(nanoseconds: 1_000_000_000_000)) {
        origin = Moment(wall: wall, instant: instant)
        state = Mutex(State(current: instant))
    }

    public var now: Date { origin.wallTime(at: instant) }

    public var instant: EngineInstant { state.withLock { $0.current } }

    /// How many tasks are asleep on this clock right now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// When the earliest sleeper wants to wake, if anyone sleeps.
    public var nextWake: EngineInstant? { state.withLock { $0.sleepers.map(\.deadline).min() } }

    public func sleep(until target: EngineInstant) async throws {
        let id = state.withLock { state -> Int in
            state.nextSleeperID += 1
            return state.nextSleeperID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if target <= state.current || Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: target, continuation: continuation))
                    return false
                }
                if resumeNow {
                    if Task.isCancelled { continuation.resume(throwing: CancellationError()) } else { continuation.resume() }
                }
            }
        } onCancel: {
            let cancelled: Sleeper? = state.withLock { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves time forward and wakes every sleeper whose instant has come.
    public func advance(by duration: Duration) {
        precondition(duration >= .zero, "TestClock cannot go backwards")
        let due: [Sleeper] = state.withLock { state in
            state.current = state.current.advanced(by: duration)
            let now = state.current
            let ready = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
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
