#if canImport(Glibc)
import Glibc
#endif

/// Sleeping until a socket can make progress, bounded by a deadline.
enum TLSSocketWait {
    /// Returns when `descriptor` is ready for `events` (or hung up / in error: the next OpenSSL call
    /// finds out which). Throws `.timedOut(phase)` once the deadline passes, `.closed` for a closed descriptor.
    static func until(_ descriptor: Int32, isReadyFor events: Int16, phase: TLSPhase, deadline: Deadline) throws {
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        while true {
            let ready = poll(&entry, 1, deadline.pollTimeoutMilliseconds)
            if ready > 0 {
                if entry.revents & Int16(POLLNVAL) != 0 { throw TLSFailure.closed }
                return
            }
            if ready == 0 {
                // poll() may wake a hair early; only the deadline itself ends the wait.
                if deadline.hasPassed { throw TLSFailure.timedOut(phase) }
                continue
            }
            if errno == EINTR { continue }
            throw TLSFailure.connectionLost(phase, reason: String(cString: strerror(errno)))
        }
    }
}
