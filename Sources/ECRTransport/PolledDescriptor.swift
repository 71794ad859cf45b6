import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Which way a descriptor must be ready before the next step.
public enum Readiness: Sendable {
    case readable
    case writable

    var pollEvents: Int16 { Int16(self == .readable ? POLLIN : POLLOUT) }
}

/// What a descriptor's owner needs from the kernel's view of an error: turn an `errno` into a
/// failure worded for that kind of link. `afterSending` is whether any byte went out earlier.
typealias ErrnoTranslation = @Sendable (_ errno: Int32, _ operation: String, _ afterSending: Bool) -> IOFailure

/// A non-blocking descriptor shared by the threads that read, write and close it.
///
/// Closing while another thread sleeps in `poll()` on the same number is the classic race: the
/// number could be reused by an unrelated `open()` before the sleeper wakes. So `close()` only marks
/// the descriptor closed and wakes sleepers; the number is released when the last user leaves.
/// Sockets wake at once through `shutdown()`; terminals cannot, so their sleepers poll in short slices.
final class PolledDescriptor: Sendable {
    private struct State {
        var fd: Int32
        var closeRequested = false
        /// Threads inside `withDescriptor`: the number is released only when the last one leaves.
        var users = 0
        var sentAnything = false
    }

    private let state: Mutex<State>

    let endpoint: String
    private let isSocket: Bool
    private let translate: ErrnoTranslation
    /// How long a terminal's sleeper waits before it looks again for a `close()`.
    private static let terminalPollSliceMilliseconds: Int32 = 200
    /// One read never allocates more than this, whatever `maxCount` says.
    static let largestRead = 64 * 1024

    init(fd: Int32, endpoint: String, isSocket: Bool, translate: @escaping ErrnoTranslation) {
        state = Mutex(State(fd: fd))
        self.endpoint = endpoint
        self.isSocket = isSocket
        self.translate = translate
    }

    deinit {
        let fd = state.withLock { $0.fd }
        if fd >= 0 { Glibc.close(fd) }
    }

    /// The descriptor number, or -1 once `close()` was called.
    var rawValue: Int32 {
        state.withLock { $0.closeRequested ? -1 : $0.fd }
    }

    var isClosed: Bool {
        state.withLock { $0.closeRequested }
    }

    /// Whether any byte was handed to the kernel for sending, ever, on this descriptor.
    var hasSent: Bool {
        state.withLock { $0.sentAnything }
    }

    func noteSent() {
        state.withLock { $0.sentAnything = true }
    }

    func close() {
        let (release, wake) = state.withLock { state -> (release: Int32?, wake: Int32?) in
            guard !state.closeRequested else { return (nil, nil) }
            state.closeRequested = true
            let number = state.fd
            guard state.users == 0 else { return (nil, number) }
            state.fd = -1
            return (number, nil)
        }
        if let release { Glibc.close(release) }
        if let wake, isSocket { Glibc.shutdown(wake, Int32(SHUT_RDWR)) }
    }

    /// Stops traffic both ways and wakes any sleeper; the descriptor stays allocated until `close()`.
    func shutdown() {
        state.withLock { state in
            if !state.closeRequested && isSocket { Glibc.shutdown(state.fd, Int32(SHUT_RDWR)) }
        }
    }

    /// Runs `body` with the descriptor held open; throws `closedLocally` once `close()` was called.
    func withDescriptor<T>(_ body: (Int32) throws -> T) throws -> T {
        let number = try state.withLock { (state) throws(IOFailure) -> Int32 in
            if state.closeRequested { throw IOFailure.closedLocally(endpoint, afterSending: state.sentAnything) }
            state.users += 1
            return state.fd
        }
        defer {
            let release = state.withLock { state -> Bool in
                state.users -= 1
                guard state.closeRequested && state.users == 0 && state.fd >= 0 else { return false }
                state.fd = -1
                return true
            }
            if release { Glibc.close(number) }
        }
        return try body(number)
    }

    /// Sleeps in `poll()` until the descriptor is ready (or has an error or hang-up to report).
    /// Returns false when the deadline passed first.
    func waitUntil(_ readiness: Readiness, deadline: Deadline) throws -> Bool {
        try withDescriptor { number in try sleepUntil(readiness, fd: number, deadline: deadline) }
    }

    private func sleepUntil(_ readiness: Readiness, fd number: Int32, deadline: Deadline) throws -> Bool {
        while true {
            var timeout = deadline.pollTimeoutMilliseconds
            if !isSocket { timeout = min(timeout, Self.terminalPollSliceMilliseconds) }
            var entry = pollfd(fd: number, events: readiness.pollEvents, revents: 0)
            let result = poll(&entry, 1, timeout)
            if result < 0 {
                if errno == EINTR { continue }
                throw translate(errno, "poll", hasSent)
            }
            if isClosed { throw IOFailure.closedLocally(endpoint, afterSending: hasSent) }
            if result > 0 {
                if entry.revents & Int16(POLLNVAL) != 0 { throw IOFailure.closedLocally(endpoint, afterSending: hasSent) }
                return true
            }
            if deadline.hasPassed { return false }
        }
    }

    /// Reads at least one and at most `maxCount` bytes; empty means end of stream.
    func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        precondition(maxCount > 0, "read(maxCount:) needs room for at least one byte")
        return try withDescriptor { number in
            let capacity = min(maxCount, Self.largestRead)
            while true {
                // Uninitialised: zeroing the whole buffer for a few hundred bytes read is wasted work.
                var code: Int32 = 0
                let buffer = [UInt8](unsafeUninitializedCapacity: capacity) { raw, initialized in
                    let count = isSocket ? recv(number, raw.baseAddress, raw.count, 0) : Glibc.read(number, raw.baseAddress, raw.count)
                    initialized = max(count, 0)
                    if count < 0 { code = errno }
                }
                if code == 0 { return buffer }
                switch code {
                case EINTR:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    guard try sleepUntil(.readable, fd: number, deadline: deadline) else {
                        throw IOFailure.readTimeout(endpoint, afterSending: hasSent)
                    }
                default:
                    throw translate(code, "read", hasSent)
                }
            }
        }
    }

    /// Sends what the kernel takes at once, without waiting (a socket still connecting takes none).
    /// A failure after some bytes went is returned beside their count, for the caller to report as
    /// one after sending; the kernel would not tell it twice.
    func sendWithoutWaiting(_ bytes: [UInt8]) -> ImmediateSend {
        guard !bytes.isEmpty, isSocket else { return ImmediateSend(sent: 0, failure: nil) }
        do {
            return try withDescriptor { number in
                var offset = 0
                while offset < bytes.count {
                    let count = bytes.withUnsafeBytes { raw in
                        send(number, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
                    }
                    if count > 0 {
                        offset += count
                        noteSent()
                        continue
                    }
                    let code = count < 0 ? errno : EAGAIN
                    if code == EINTR { continue }
                    if code == EAGAIN || code == EWOULDBLOCK { break }
                    return ImmediateSend(sent: offset, failure: translate(code, "write", hasSent))
                }
                return ImmediateSend(sent: offset, failure: nil)
            }
        } catch let failure as IOFailure {
            return ImmediateSend(sent: 0, failure: failure)
        } catch {
            return ImmediateSend(sent: 0, failure: translate(EBADF, "write", false))
        }
    }

    /// Writes every byte or throws. A failure part-way counts as "could have reached the peer".
    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        guard !bytes.isEmpty else { return }
        try withDescriptor { number in
            var offset = 0
            while offset < bytes.count {
                let count = bytes.withUnsafeBytes { raw in
                    let start = raw.baseAddress! + offset
                    let length = raw.count - offset
                    // MSG_NOSIGNAL: a peer that went away must give EPIPE here, not kill the process.
                    return isSocket ? send(number, start, length, Int32(MSG_NOSIGNAL)) : Glibc.write(number, start, length)
                }
                if count > 0 {
                    offset += count
                    noteSent()
                    continue
                }
                let code = count < 0 ? errno : EAGAIN
                switch code {
                case EINTR:
                    continue
                case EAGAIN, EWOULDBLOCK:
                    guard try sleepUntil(.writable, fd: number, deadline: deadline) else {
                        throw IOFailure.writeTimeout(endpoint, afterSending: hasSent)
                    }
                default:
                    throw translate(code, "write", hasSent)
                }
            }
        }
    }
}

/// What a send that never waits did: how many bytes the kernel took, and the failure that stopped it
/// (after `sent` bytes went, when `sent` is not 0).
struct ImmediateSend: Sendable {
    let sent: Int
    let failure: IOFailure?
}
