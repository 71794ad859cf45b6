import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A listening TCP socket: the simulator's terminal ports and the notification receiver.
public final class TCPListener: Sendable {
    private let descriptor: PolledDescriptor
    /// The address actually bound; with port 0 it carries the port the kernel chose.
    public let localAddress: SocketAddress

    /// Binds `host:port` and listens. `host` nil means every interface (IPv6 and IPv4 where the
    /// system allows both on one socket); port 0 lets the kernel pick a free port.
    public init(host: String?, port: UInt16, backlog: Int32 = 64) throws {
        var candidates = try SocketAddress.resolve(host: host, port: port, passive: true)
        if host == nil {
            // `::` also takes IPv4 on Linux by default, so prefer it to `0.0.0.0`.
            candidates.sort { $0.family == .ipv6 && $1.family == .ipv4 }
        }
        var lastFailure: IOFailure?
        for address in candidates {
            do {
                let fd = try Self.bindAndListen(address, backlog: backlog)
                guard let bound = SocketAddress.of(socket: fd, peer: false) else {
                    Glibc.close(fd)
                    throw IOFailure.system(address.description, operation: "getsockname", errno: EINVAL, afterSending: false)
                }
                localAddress = bound
                descriptor = PolledDescriptor(fd: fd, endpoint: bound.description, isSocket: true) { code, operation, _ in
                    socketFailure(code, endpoint: bound.description, operation: operation, afterSending: false)
                }
                return
            } catch let failure as IOFailure {
                lastFailure = failure
            }
        }
        throw lastFailure!
    }

    private static func bindAndListen(_ address: SocketAddress, backlog: Int32) throws -> Int32 {
        let endpoint = address.description
        let fd = socket(address.addressFamily, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw socketFailure(errno, endpoint: endpoint, operation: "socket", afterSending: false) }
        // Restarting the simulator must not wait for the old socket's TIME_WAIT to expire.
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        if address.withSockaddr({ bind(fd, $0, $1) }) != 0 {
            let code = errno
            Glibc.close(fd)
            if code == EACCES || code == EPERM { throw IOFailure.permissionDenied(binding: endpoint) }
            if code == EADDRNOTAVAIL {
                throw IOFailure.unsupportedSetting(endpoint, "\(address.host) is not an address of this machine — listen on one of its own addresses, or on all of them.")
            }
            throw socketFailure(code, endpoint: endpoint, operation: "bind", afterSending: false)
        }
        if listen(fd, backlog) != 0 {
            let code = errno
            Glibc.close(fd)
            throw socketFailure(code, endpoint: endpoint, operation: "listen", afterSending: false)
        }
        return fd
    }

    public var port: UInt16 { localAddress.port }

    /// The listening descriptor, or -1 once closed. The listener owns it.
    public var fileDescriptor: Int32 { descriptor.rawValue }

    public var isClosed: Bool { descriptor.isClosed }

    /// Waits for the next connection until `deadline`; nil when the deadline passed first.
    /// Throws `closedLocally` once `close()` was called (from any thread).
    public func accept(deadline: Deadline) throws -> TCPConnection? {
        while true {
            let (accepted, code): (Int32, Int32) = try descriptor.withDescriptor { fd in
                // accept4() is not visible without _GNU_SOURCE; the adopting init sets the flags.
                let result = Glibc.accept(fd, nil, nil)
                return (result, result < 0 ? errno : 0)
            }
            if accepted >= 0 { return TCPConnection(adopting: accepted) }
            switch code {
            case EINTR, ECONNABORTED, EPROTO:
                continue
            case EAGAIN, EWOULDBLOCK:
                guard try descriptor.waitUntil(.readable, deadline: deadline) else { return nil }
            case EINVAL where descriptor.isClosed:
                throw IOFailure.closedLocally(localAddress.description, afterSending: false)
            default:
                throw socketFailure(code, endpoint: localAddress.description, operation: "accept", afterSending: false)
            }
        }
    }

    /// Lets several threads wait in `acceptQueued()` at once: the kernel then wakes one of them per
    /// connection, where `poll()` would wake every one. The socket turns blocking, and each wait
    /// ends after `seconds` without a connection (`accept(deadline:)` is then bounded by it too).
    public func shareWaiting(upTo seconds: Double) {
        _ = try? descriptor.withDescriptor { fd in
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            let whole = max(0, seconds.rounded(.down))
            var limit = timeval(tv_sec: Int(whole), tv_usec: Int((max(0, seconds) - whole) * 1_000_000))
            if limit.tv_sec == 0 && limit.tv_usec == 0 { limit.tv_usec = 1 }
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    /// Waits in the kernel's accept queue for the next connection (see `shareWaiting`); nil when
    /// the wait ended without one. Throws `closedLocally` once `close()` was called, which wakes
    /// every waiting thread.
    public func acceptQueued() throws -> TCPConnection? {
        let (accepted, code): (Int32, Int32) = try descriptor.withDescriptor { fd in
            let result = Glibc.accept(fd, nil, nil)
            return (result, result < 0 ? errno : 0)
        }
        if accepted >= 0 { return TCPConnection(adopting: accepted) }
        switch code {
        case EINTR, ECONNABORTED, EPROTO, EAGAIN, EWOULDBLOCK:
            return nil
        case EINVAL where descriptor.isClosed:
            throw IOFailure.closedLocally(localAddress.description, afterSending: false)
        default:
            throw socketFailure(code, endpoint: localAddress.description, operation: "accept", afterSending: false)
        }
    }

    /// Stops listening and wakes a thread blocked in `accept`. Safe from any thread, more than once.
    public func close() {
        descriptor.close()
    }
}
