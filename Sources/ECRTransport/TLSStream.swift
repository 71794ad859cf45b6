import COpenSSL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TLS session over a connected socket descriptor, client or server side. Every step (handshake,
/// read, write, shutdown) runs non-blocking OpenSSL calls and sleeps in `poll()` until the socket is
/// ready or the deadline passes.
///
/// The stream takes the descriptor over: it is switched to non-blocking mode and, unless
/// `closesDescriptor` is false, closed by `close()` — also when the handshake fails.
///
/// `@unchecked Sendable`: every OpenSSL call on the session happens with `lock` held, and the lock is
/// released while waiting in `poll()`, so one thread may read while another writes or closes.
/// Two concurrent readers (or writers) are not meaningful for a byte stream and are not supported.
public final class TLSStream: ByteStream, @unchecked Sendable {
    private let lock = NSLock()
    private let descriptor: Int32
    private let closesDescriptor: Bool
    private var ssl: OpaquePointer?
    /// Referenced by the SSL's app data during the handshake; released only after `SSL_free`.
    private var verifier: TLSPeerVerifier?
    private var handshakeCompleted = false
    /// After SSL_ERROR_SSL/SYSCALL OpenSSL forbids further I/O on the session, shutdown included.
    private var failedFatally = false
    private var shutdownSent = false
    private var summary = TLSSessionSummary(protocolVersion: "", cipher: "", presentedChain: [], verifiedChain: [], serverName: nil)
    private var closedWithoutNotify = false

    // MARK: Opening

    /// Client handshake. `host` is what the user typed (`192.168.1.50`, `pos.local`, `[::1]`): a name
    /// is sent as SNI; with `verifyHostname` the leaf must carry it as an IP or DNS SAN.
    public static func connect(
        descriptor: Int32, host: String, context: TLSContext, deadline: Deadline, closesDescriptor: Bool = true
    ) throws -> TLSStream {
        guard case .client(let configuration) = context.role else {
            preconditionFailure("TLSStream.connect needs a context made with TLSContext(client:)")
        }
        let stream = try TLSStream(descriptor: descriptor, context: context, closesDescriptor: closesDescriptor)
        do {
            try stream.prepareClient(host: TLSHost.normalized(host), configuration: configuration)
            try stream.handshake(deadline: deadline)
        } catch {
            stream.close()
            throw error
        }
        return stream
    }

    /// Client handshake with a context made for this one connection.
    public static func connect(
        descriptor: Int32, host: String, configuration: TLSClientConfiguration, deadline: Deadline,
        closesDescriptor: Bool = true
    ) throws -> TLSStream {
        let context: TLSContext
        do {
            context = try TLSContext(client: configuration)
        } catch {
            if closesDescriptor { _ = Glibc.close(descriptor) }
            throw error
        }
        return try connect(descriptor: descriptor, host: host, context: context, deadline: deadline, closesDescriptor: closesDescriptor)
    }

    /// Server handshake (the simulator's HTTPS port, tests).
    public static func accept(
        descriptor: Int32, context: TLSContext, deadline: Deadline, closesDescriptor: Bool = true
    ) throws -> TLSStream {
        guard case .server = context.role else {
            preconditionFailure("TLSStream.accept needs a context made with TLSContext(server:)")
        }
        let stream = try TLSStream(descriptor: descriptor, context: context, closesDescriptor: closesDescriptor)
        do {
            stream.lock.lock()
            if let ssl = stream.ssl { SSL_set_accept_state(ssl) }
            stream.lock.unlock()
            try stream.handshake(deadline: deadline)
        } catch {
            stream.close()
            throw error
        }
        return stream
    }

    private init(descriptor: Int32, context: TLSContext, closesDescriptor: Bool) throws {
        self.descriptor = descriptor
        self.closesDescriptor = closesDescriptor
        let flags = fcntl(descriptor, F_GETFL)
        guard flags >= 0, fcntl(descriptor, F_SETFL, flags | O_NONBLOCK) == 0 else {
            let reason = String(cString: strerror(errno))
            if closesDescriptor { _ = Glibc.close(descriptor) }
            throw TLSFailure.connectionLost(.handshake, reason: "descriptor \(descriptor) is not usable: \(reason)")
        }
        ERR_clear_error()
        let ssl = SSL_new(context.handle)
        let bio = TLSSocketBIO.make(descriptor: descriptor)
        guard let ssl, let bio else {
            let reason = TLSOpenSSLErrors.drainedDescription(fallback: "cannot create a TLS session")
            SSL_free(ssl)
            BIO_free(bio)
            // deinit runs too (every property is set), but finds no session and leaves the descriptor alone.
            if closesDescriptor { _ = Glibc.close(descriptor) }
            throw TLSFailure.handshakeFailed(reason: reason)
        }
        SSL_set_bio(ssl, bio, bio)
        self.ssl = ssl
    }

    deinit { close() }

    private func prepareClient(host: String, configuration: TLSClientConfiguration) throws {
        lock.lock()
        defer { lock.unlock() }
        guard let ssl else { throw TLSFailure.closed }
        let isIPAddress = TLSHost.isIPAddress(host)
        // RFC 6066: SNI carries host names only, never IP literals.
        if !isIPAddress && !host.isEmpty && qfecr_SSL_set_tlsext_host_name(ssl, host) != 1 {
            throw TLSFailure.handshakeFailed(reason: "cannot send \(host) as the server name (SNI)")
        }
        if configuration.verifyHostname {
            guard !host.isEmpty else {
                throw TLSFailure.handshakeFailed(reason: "hostname verification is on but no host was given")
            }
            let parameters = SSL_get0_param(ssl)
            X509_VERIFY_PARAM_set_hostflags(parameters, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            let set = isIPAddress ? X509_VERIFY_PARAM_set1_ip_asc(parameters, host) : X509_VERIFY_PARAM_set1_host(parameters, host, 0)
            guard set == 1 else { throw TLSFailure.handshakeFailed(reason: "cannot check the certificate against \(host)") }
        }
        let verifier = TLSPeerVerifier(pin: configuration.pin, trust: configuration.trust,
                                       checkedHost: configuration.verifyHostname ? host : nil)
        self.verifier = verifier
        _ = qfecr_SSL_set_app_data(ssl, Unmanaged.passUnretained(verifier).toOpaque())
        SSL_set_connect_state(ssl)
    }

    private func handshake(deadline: Deadline) throws {
        switch try perform(.handshake, deadline: deadline, SSL_do_handshake) {
        case .done:
            lock.lock()
            defer { lock.unlock() }
            guard let ssl else { throw TLSFailure.closed }
            handshakeCompleted = true
            summary = Self.summarize(ssl)
        case .peerClosedCleanly:
            throw TLSFailure.peerClosedDuringHandshake(detail: "it sent close_notify")
        case .failed(let failure):
            lock.lock()
            let verificationFailure = verifier?.failure
            lock.unlock()
            if let verificationFailure { throw verificationFailure }
            if failure.isPeerHangUp { throw TLSFailure.peerClosedDuringHandshake(detail: failure.reason) }
            if failure.isProtocolVersionRefused { throw TLSFailure.protocolTooOld(reason: failure.reason) }
            throw TLSFailure.handshakeFailed(reason: failure.reason)
        }
    }

    private static func summarize(_ ssl: OpaquePointer) -> TLSSessionSummary {
        let isServer = SSL_is_server(ssl) == 1
        let serverName = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
        let cipher = SSL_get_current_cipher(ssl).flatMap { SSL_CIPHER_get_name($0) }.map { String(cString: $0) } ?? "?"
        return TLSSessionSummary(
            protocolVersion: String(cString: SSL_get_version(ssl)),
            cipher: cipher,
            presentedChain: isServer ? [] : CertificateDecoding.infos(ofStack: SSL_get_peer_cert_chain(ssl)),
            verifiedChain: isServer ? [] : CertificateDecoding.infos(ofStack: SSL_get0_verified_chain(ssl)),
            serverName: serverName
        )
    }

    // MARK: Using

    /// What the handshake negotiated and the chain the peer presented.
    public var session: TLSSessionSummary {
        lock.lock()
        defer { lock.unlock() }
        return summary
    }

    /// True once a read saw the connection end without the peer's close_notify. The read reported it
    /// as an ordinary end of stream; a caller whose framing cannot tell a cut-off message (HTTP without
    /// Content-Length) should treat the data as possibly truncated.
    public var peerClosedWithoutNotify: Bool {
        lock.lock()
        defer { lock.unlock() }
        return closedWithoutNotify
    }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws {
        var offset = 0
        while offset < bytes.count {
            var written = 0
            let outcome = try perform(.write, deadline: deadline) { ssl in
                bytes.withUnsafeBytes { raw in
                    SSL_write_ex(ssl, raw.baseAddress! + offset, raw.count - offset, &written)
                }
            }
            switch outcome {
            case .done: offset += written
            case .peerClosedCleanly: throw TLSFailure.connectionLost(.write, reason: "the peer closed the TLS session")
            case .failed(let failure):
                throw failure.isPeerHangUp
                    ? TLSFailure.connectionLost(.write, reason: failure.reason)
                    : TLSFailure.protocolError(.write, reason: failure.reason)
            }
        }
    }

    public func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        precondition(maxCount > 0, "read(maxCount:) needs room for at least one byte")
        var buffer = [UInt8](repeating: 0, count: maxCount)
        var count = 0
        let outcome = try perform(.read, deadline: deadline) { ssl in
            buffer.withUnsafeMutableBytes { SSL_read_ex(ssl, $0.baseAddress, $0.count, &count) }
        }
        switch outcome {
        case .done:
            return Array(buffer.prefix(count))
        case .peerClosedCleanly:
            return []
        case .failed(let failure) where failure.isEndOfStream:
            lock.lock()
            closedWithoutNotify = true
            lock.unlock()
            return []
        case .failed(let failure):
            throw failure.isPeerHangUp
                ? TLSFailure.connectionLost(.read, reason: failure.reason)
                : TLSFailure.protocolError(.read, reason: failure.reason)
        }
    }

    /// Sends close_notify (without waiting for the peer's). `close()` does the same on a best-effort basis;
    /// call this first when the peer must see a clean end, e.g. a server ending a response.
    public func shutdown(deadline: Deadline) throws {
        lock.lock()
        let needed = handshakeCompleted && !failedFatally && !shutdownSent
        lock.unlock()
        guard needed else { return }
        // SSL_shutdown returns 0 once close_notify is sent but the peer's has not arrived: enough here.
        let outcome = try perform(.shutdown, deadline: deadline) { ssl in
            let result = SSL_shutdown(ssl)
            return result == 0 ? 1 : result
        }
        if case .failed(let failure) = outcome {
            throw TLSFailure.connectionLost(.shutdown, reason: failure.reason)
        }
        lock.lock()
        shutdownSent = true
        lock.unlock()
    }

    public func close() {
        lock.lock()
        defer { lock.unlock() }
        guard let ssl else { return }
        if handshakeCompleted && !failedFatally && !shutdownSent {
            ERR_clear_error()
            _ = SSL_shutdown(ssl) // one non-blocking attempt: close() must not wait
        }
        SSL_free(ssl) // also frees the BIO
        self.ssl = nil
        verifier = nil
        ERR_clear_error()
        if closesDescriptor {
            // close() alone does not wake a thread sleeping in poll() on this socket; shutdown() does,
            // and that thread then finds the session gone and reports `.closed`.
            _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
            _ = Glibc.close(descriptor)
        }
    }

    // MARK: The poll loop

    private enum Outcome {
        case done
        case peerClosedCleanly
        case failed(TLSIOFailure)
    }

    private enum Step {
        case finished(Outcome)
        case wait(Int16)
    }

    /// Runs `operation` until it succeeds, fails, or the deadline passes while waiting for the socket.
    private func perform(_ phase: TLSPhase, deadline: Deadline, _ operation: (OpaquePointer) -> Int32) throws -> Outcome {
        while true {
            switch try step(operation) {
            case .finished(let outcome): return outcome
            case .wait(let events): try TLSSocketWait.until(descriptor, isReadyFor: events, phase: phase, deadline: deadline)
            }
        }
    }

    private func step(_ operation: (OpaquePointer) -> Int32) throws -> Step {
        lock.lock()
        defer { lock.unlock() }
        guard let ssl else { throw TLSFailure.closed }
        // OpenSSL reads the thread's error queue and errno to explain a failure; stale entries would mislead.
        ERR_clear_error()
        errno = 0
        let result = operation(ssl)
        let systemError = errno
        if result > 0 { return .finished(.done) }
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ: return .wait(Int16(POLLIN))
        case SSL_ERROR_WANT_WRITE: return .wait(Int16(POLLOUT))
        case SSL_ERROR_ZERO_RETURN: return .finished(.peerClosedCleanly)
        default:
            failedFatally = true
            return .finished(.failed(TLSIOFailure(errorCode: code, systemError: systemError, queue: TLSOpenSSLErrors.drain())))
        }
    }
}
