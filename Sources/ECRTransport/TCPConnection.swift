import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A connected TCP socket (IPv4 or IPv6) whose reads and writes sleep in `poll()` until a deadline.
public final class TCPConnection: ByteStream {
    private let descriptor: PolledDescriptor
    private let connecting: Atomic<Bool>
    public let peerAddress: SocketAddress?
    /// Asked of the kernel when needed (nil once closed): a request's connection never needs it.
    public var localAddress: SocketAddress? { SocketAddress.of(socket: descriptor.rawValue, peer: false) }

    /// Connects to `host` (a name, an IPv4 or an IPv6 literal, brackets allowed), trying each resolved
    /// address in turn until one answers or `timeout` seconds have passed overall.
    public static func connect(host: String, port: UInt16, timeout: Double) throws -> TCPConnection {
        let deadline = Deadline.after(seconds: timeout)
        let addresses = try SocketAddress.resolve(host: host, port: port)
        var lastFailure: IOFailure?
        for address in addresses {
            do {
                return try connect(to: address, deadline: deadline, timeoutForMessage: timeout)
            } catch let failure as IOFailure {
                lastFailure = failure
                if deadline.hasPassed { break }
            }
        }
        throw lastFailure ?? IOFailure.connectTimeout(SocketAddress.endpoint(host: host, port: port), seconds: timeout)
    }

    /// Connects to one address: a non-blocking `connect()`, then `poll()` for the outcome.
    public static func connect(to address: SocketAddress, deadline: Deadline, timeoutForMessage: Double? = nil) throws -> TCPConnection {
        let connection = try startConnecting(to: address)
        if connection.isConnecting {
            do {
                try connection.finishConnecting(deadline: deadline, timeoutForMessage: timeoutForMessage)
            } catch {
                connection.close()
                throw error
            }
        }
        return connection
    }

    /// A non-blocking `connect()` that never waits: on loopback the handshake is done by the time it
    /// returns, elsewhere it goes on in the background until `finishConnecting`. A refusal the
    /// kernel already knows is thrown.
    static func startConnecting(to address: SocketAddress) throws -> TCPConnection {
        let endpoint = address.description
        let fd = socket(address.addressFamily, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw socketFailure(errno, endpoint: endpoint, operation: "socket", afterSending: false) }
        guard address.withSockaddr({ Glibc.connect(fd, $0, $1) }) != 0 else {
            return TCPConnection(configured: fd, peer: address, connecting: false)
        }
        // EINTR on a non-blocking connect: the handshake goes on in the background, as with EINPROGRESS.
        let code = errno
        guard code == EINPROGRESS || code == EINTR else {
            Glibc.close(fd)
            throw connectFailure(code, endpoint: endpoint, timeout: nil)
        }
        return TCPConnection(configured: fd, peer: address, connecting: true)
    }

    /// Waits until the handshake `startConnecting` began is over, and throws how it failed. Once
    /// connected (a send went through, or this returned) it is a no-op.
    func finishConnecting(deadline: Deadline, timeoutForMessage: Double?) throws {
        guard isConnecting else { return }
        try descriptor.withDescriptor { fd in
            var entry = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            while true {
                let ready = poll(&entry, 1, deadline.pollTimeoutMilliseconds)
                if ready > 0 { break }
                if ready < 0 && errno == EINTR { continue }
                if ready < 0 { throw socketFailure(errno, endpoint: endpoint, operation: "poll", afterSending: false) }
                if deadline.hasPassed { throw IOFailure.connectTimeout(endpoint, seconds: timeoutForMessage) }
            }
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length)
            if pending != 0 { throw connectFailure(pending, endpoint: endpoint, timeout: timeoutForMessage) }
        }
        connecting.store(false, ordering: .relaxed)
    }

    /// Whether the handshake may still be going on: nothing was sent and `finishConnecting` has not
    /// seen it through.
    var isConnecting: Bool { connecting.load(ordering: .relaxed) && !descriptor.hasSent }

    /// Takes ownership of a connected socket (from `accept()` or elsewhere) and makes it non-blocking.
    public convenience init(adopting fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.init(configured: fd, peer: SocketAddress.of(socket: fd, peer: true), connecting: false)
    }

    /// A non-blocking, close-on-exec socket whose peer is known.
    private init(configured fd: Int32, peer: SocketAddress?, connecting: Bool) {
        self.connecting = Atomic(connecting)
        // Requests and replies are small and strictly alternate: Nagle would only add delay.
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        let endpoint = peer?.description ?? "socket \(fd)"
        peerAddress = peer
        descriptor = PolledDescriptor(fd: fd, endpoint: endpoint, isSocket: true) { code, operation, afterSending in
            socketFailure(code, endpoint: endpoint, operation: operation, afterSending: afterSending)
        }
    }

    /// The peer as `host:port`, for messages and wire logs.
    public var endpoint: String { descriptor.endpoint }

    /// The socket's descriptor for layers that drive it directly (TLS), or -1 once closed.
    /// The connection owns it: do not close it, and keep the connection alive while using it.
    public var fileDescriptor: Int32 { descriptor.rawValue }

    /// Whether any byte was written through this connection, i.e. a request may have reached the peer.
    public var hasSentBytes: Bool { descriptor.hasSent }

    public var isClosed: Bool { descriptor.isClosed }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws {
        try descriptor.write(bytes, deadline: deadline)
    }

    /// What the kernel takes of `bytes` at once, never waiting; see `ImmediateSend`.
    func sendWithoutWaiting(_ bytes: [UInt8]) -> ImmediateSend {
        descriptor.sendWithoutWaiting(bytes)
    }

    public func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        try descriptor.read(maxCount: maxCount, deadline: deadline)
    }

    /// Sleeps until the socket is readable or writable, for layers that do their own reads and
    /// writes on `fileDescriptor`. Throws the matching timeout when the deadline passes.
    public func waitUntil(_ readiness: Readiness, deadline: Deadline) throws {
        guard try descriptor.waitUntil(readiness, deadline: deadline) else {
            switch readiness {
            case .readable: throw IOFailure.readTimeout(endpoint, afterSending: hasSentBytes)
            case .writable: throw IOFailure.writeTimeout(endpoint, afterSending: hasSentBytes)
            }
        }
    }

    /// Ends traffic both ways and wakes any thread blocked on this connection, from any thread.
    /// The descriptor stays allocated until `close()`, so a layer still using it is not surprised.
    public func shutdown() {
        descriptor.shutdown()
    }

    public func close() {
        descriptor.close()
    }
}

private func connectFailure(_ code: Int32, endpoint: String, timeout: Double?) -> IOFailure {
    switch code {
    case ECONNREFUSED: return .connectionRefused(endpoint)
    case ETIMEDOUT: return .connectTimeout(endpoint, seconds: timeout)
    default: return socketFailure(code, endpoint: endpoint, operation: "connect", afterSending: false)
    }
}

/// Words a socket `errno` for a technician.
func socketFailure(_ code: Int32, endpoint: String, operation: String, afterSending: Bool) -> IOFailure {
    switch code {
    case ECONNREFUSED: return IOFailure.connectionRefused(endpoint).reached(afterSending)
    case ECONNRESET, ECONNABORTED, ETIMEDOUT: return .resetByPeer(endpoint, afterSending: afterSending)
    case EPIPE: return .closedByPeer(endpoint, afterSending: afterSending)
    case EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ENETDOWN: return IOFailure.hostUnreachable(endpoint, errno: code).reached(afterSending)
    case EADDRINUSE: return .addressInUse(endpoint)
    default: return .system(endpoint, operation: operation, errno: code, afterSending: afterSending)
    }
}
