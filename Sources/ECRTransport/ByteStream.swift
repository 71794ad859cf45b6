import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A point in monotonic time by which an I/O step must finish. Wall-clock changes do not move it.
public struct Deadline: Sendable, Comparable, Hashable {
    public let uptimeNanoseconds: UInt64

    public init(uptimeNanoseconds: UInt64) {
        self.uptimeNanoseconds = uptimeNanoseconds
    }

    public static var now: Deadline {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Deadline(uptimeNanoseconds: UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
    }

    public static func after(seconds: Double) -> Deadline {
        let nanos = seconds <= 0 ? 0 : UInt64(min(seconds, 1e9) * 1e9)
        return Deadline(uptimeNanoseconds: now.uptimeNanoseconds &+ nanos)
    }

    public static let distantFuture = Deadline(uptimeNanoseconds: UInt64.max / 2)

    /// The earlier of two deadlines: a step bounded by its own timeout and an overall one.
    public func capped(by other: Deadline) -> Deadline { min(self, other) }

    public var hasPassed: Bool { Deadline.now >= self }

    /// Milliseconds left, as `poll()` wants them: 0 when passed, clamped to Int32.
    public var pollTimeoutMilliseconds: Int32 {
        let current = Deadline.now.uptimeNanoseconds
        guard uptimeNanoseconds > current else { return 0 }
        let ms = (uptimeNanoseconds - current + 999_999) / 1_000_000
        return Int32(clamping: ms)
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool {
        lhs.uptimeNanoseconds < rhs.uptimeNanoseconds
    }
}

/// A connected, bidirectional byte stream: a TCP socket, a TLS session over one, or a serial line.
/// Calls block the calling thread (sleeping in `poll()`) until done or until the deadline passes.
public protocol ByteStream: AnyObject, Sendable {
    /// Writes every byte or throws.
    func write(_ bytes: [UInt8], deadline: Deadline) throws
    /// Reads at least one and at most `maxCount` bytes; an empty result means the peer closed.
    func read(maxCount: Int, deadline: Deadline) throws -> [UInt8]
    /// Releases the descriptor. Safe to call more than once.
    func close()
}
