import ECRSimulator
import Foundation
import Synchronization

/// A clock that moves only when told: tests run a whole payment in no time.
final class ManualClock: SimulatorClock {
    private let current: Mutex<Date>

    init(_ start: Date) {
        current = Mutex(start)
    }

    func now() -> Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
