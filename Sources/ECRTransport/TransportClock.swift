/// The monotonic time transports measure an exchange's steps with: the system's, or a test's.
public struct TransportClock: Sendable {
    /// Nanoseconds since an arbitrary origin; never goes back.
    public let nanoseconds: @Sendable () -> UInt64

    public init(nanoseconds: @escaping @Sendable () -> UInt64) {
        self.nanoseconds = nanoseconds
    }

    /// `CLOCK_MONOTONIC`, the clock the deadlines use.
    public static let monotonic = TransportClock { Deadline.now.uptimeNanoseconds }
}
