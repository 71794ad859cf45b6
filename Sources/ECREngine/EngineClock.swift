import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A point on a monotonic time line, in nanoseconds since an arbitrary origin.
/// Deadlines use it so that a wall-clock jump (NTP, a cashier fixing the date) never ends or
/// stretches a payment's polling.
public struct EngineInstant: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func < (lhs: EngineInstant, rhs: EngineInstant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public func advanced(by duration: Duration) -> EngineInstant {
        let delta = duration.nanoseconds
        if delta >= 0 {
            let (sum, overflow) = nanoseconds.addingReportingOverflow(UInt64(delta))
            return EngineInstant(nanoseconds: overflow ? .max : sum)
        }
        let magnitude = UInt64(-delta)
        return EngineInstant(nanoseconds: nanoseconds > magnitude ? nanoseconds - magnitude : 0)
    }

    /// How long from `self` until `later` (negative when `later` is earlier).
    public func duration(to later: EngineInstant) -> Duration {
        if later.nanoseconds >= nanoseconds {
            return .nanoseconds(Int64(clamping: later.nanoseconds - nanoseconds))
        }
        return .nanoseconds(-Int64(clamping: nanoseconds - later.nanoseconds))
    }

    public var description: String { "t+\(Double(nanoseconds) / 1e9)s" }
}

extension Duration {
    /// Whole nanoseconds, clamped to `Int64`.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        return scaled &+ attoseconds / 1_000_000_000
    }

    var timeInterval: TimeInterval { Double(nanoseconds) / 1e9 }
}

/// One reading of both clocks: the wall time goes into the journal and onto the screen,
/// the instant drives deadlines and timers.
public struct Moment: Sendable, Hashable {
    public let wall: Date
    public let instant: EngineInstant

    public init(wall: Date, instant: EngineInstant) {
        self.wall = wall
        self.instant = instant
    }

    /// The wall time `instant` will show, assuming the wall clock does not jump meanwhile.
    public func wallTime(at later: EngineInstant) -> Date {
        wall.addingTimeInterval(instant.duration(to: later).timeInterval)
    }
}

/// Time as the engine sees it. Injected, so every timeout is tested without real sleeping.
public protocol EngineClock: Sendable {
    /// Wall time, for the journal and the display.
    var now: Date { get }
    /// Monotonic time, for deadlines and timers.
    var instant: EngineInstant { get }
    /// Suspends until `instant` is reached. Throws `CancellationError` when the task is cancelled.
    func sleep(until instant: EngineInstant) async throws
}

extension EngineClock {
    public var moment: Moment { Moment(wall: now, instant: instant) }

    public func sleep(for duration: Duration) async throws {
        try await sleep(until: instant.advanced(by: duration))
    }
}

/// The real clocks: `CLOCK_MONOTONIC` for instants, the system time for the wall.
public struct TillClock: EngineClock {
    public init() {}

    public var now: Date { Date() }

    public var instant: EngineInstant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return EngineInstant(nanoseconds: UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec))
    }

    public func sleep(until target: EngineInstant) async throws {
        let remaining = instant.duration(to: target)
        guard remaining > .zero else {
            try Task.checkCancellation()
            return
        }
        try await Task.sleep(nanoseconds: UInt64(remaining.nanoseconds))
    }
}
