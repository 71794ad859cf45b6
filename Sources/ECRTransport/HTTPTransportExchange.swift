import Foundation

/// Where an HTTP transport posts to: a host and port, over TLS when a context is given.
struct HTTPTransportTarget: Sendable {
    /// Without brackets, also for IPv6 literals.
    let host: String
    let port: UInt16
    /// Shared by every request of the transport: creating a context costs 30–50 ms.
    let tls: TLSContext?

    /// `192.168.1.50:9001`, `[::1]:9001`: the wire label and the `Host` header.
    let endpoint: String
    /// The address when the host is one written out (the usual terminal), read once; a name is
    /// resolved again for every request, as its address may change.
    let literalAddress: SocketAddress?

    init(host: String, port: UInt16, tls: TLSContext?) {
        self.host = TLSHost.normalized(host)
        self.port = port
        self.tls = tls
        endpoint = SocketAddress.endpoint(host: self.host, port: port)
        literalAddress = SocketAddress.literal(self.host, port: port)
    }

    func connect(timeout: Double) throws -> TCPConnection {
        guard let literalAddress else { return try TCPConnection.connect(host: host, port: port, timeout: timeout) }
        return try TCPConnection.connect(to: literalAddress, deadline: .after(seconds: timeout), timeoutForMessage: timeout)
    }
}

/// What the task's own thread did of a plain HTTP exchange before the I/O thread took it over (see
/// `HTTPTransportExchange.open`): the connection begun and what of the request the kernel took.
struct HTTPHeadStart: Sendable {
    let connection: TCPConnection
    let request: HTTPWireRequest
    /// Bytes of `request` the kernel took at once, when, and the failure that stopped it after them.
    let sent: ImmediateSend
    let sentAt: Date
    let connectBegun: UInt64
    let connectDeadline: Deadline
}

/// One POST and its response over a fresh connection (terminals and the cloud answer one request per
/// connection), with every failure sorted by the Transport contract: nothing written → not sent;
/// anything after the request started to go out → unknown.
enum HTTPTransportExchange {
    static func post(
        _ request: HTTPRequest, to target: HTTPTransportTarget, connectTimeout: Double, answerSeconds: Double,
        tap: TransportWireTap, stopwatch: ExchangeStopwatch
    ) throws(TransportFailure) -> HTTPResponse {
        try post(wire(request), to: target, connectTimeout: connectTimeout, answerSeconds: answerSeconds, tap: tap, stopwatch: stopwatch)
    }

    /// `request` written out, or why it cannot be: then it is never sent.
    static func wire(_ request: HTTPRequest) throws(TransportFailure) -> HTTPWireRequest {
        do {
            return try HTTPWireRequest(request)
        } catch {
            throw .notSent("Not sent: the request cannot be written as HTTP (\(error)).", kind: .invalidRequest)
        }
    }

    static func post(
        _ request: HTTPWireRequest, to target: HTTPTransportTarget, connectTimeout: Double, answerSeconds: Double,
        tap: TransportWireTap, stopwatch: ExchangeStopwatch
    ) throws(TransportFailure) -> HTTPResponse {
        try TransportThread.withAftermath { () throws(TransportFailure) -> HTTPResponse in
            try exchange(request, to: target, connectTimeout: connectTimeout, answerSeconds: answerSeconds, tap: tap, stopwatch: stopwatch)
        }
    }

    /// The steps of a plain HTTP exchange to an address written out that never wait, for the task's
    /// thread: a non-blocking connect and a send of what the kernel takes at once (on loopback, the
    /// whole request). The I/O thread, woken after, waits for the answer while it wakes. Nil where
    /// a step could wait (a name to resolve, a TLS handshake): the I/O thread does it all. Nothing
    /// here tells an observer (a trace file is written on the I/O thread, in `finish`).
    static func open(
        _ request: HTTPWireRequest, to target: HTTPTransportTarget, connectTimeout: Double, stopwatch: ExchangeStopwatch
    ) throws(TransportFailure) -> HTTPHeadStart? {
        guard target.tls == nil, let address = target.literalAddress else { return nil }
        let connectDeadline = Deadline.after(seconds: connectTimeout)
        let begun = stopwatch.reading
        let connection: TCPConnection
        do {
            connection = try TCPConnection.startConnecting(to: address)
        } catch {
            stopwatch.connected(since: begun)
            throw TransportWording.beforeSending(error)
        }
        if !connection.isConnecting { stopwatch.connected(since: begun) }
        let sent = connection.sendWithoutWaiting(request.bytes)
        let sentAt = Date()
        // A send that went through or failed ends the handshake either way; else `finish` sees it through.
        if sent.sent > 0 || sent.failure != nil { stopwatch.connected(since: begun) }
        if sent.sent == 0, let failure = sent.failure {
            // Refused or reset before a byte went: nothing was sent.
            connection.close()
            throw TransportWording.beforeSending(failure)
        }
        return HTTPHeadStart(connection: connection, request: request, sent: sent, sentAt: sentAt, connectBegun: begun,
                             connectDeadline: connectDeadline)
    }

    /// The rest of an exchange `open` began, on the I/O thread: the bytes that went reported to the
    /// tap (with the time they went), the handshake if it is still going on, what the kernel did not
    /// take of the request, and the answer.
    static func finish(
        _ start: HTTPHeadStart, endpoint: String, connectTimeout: Double, answerSeconds: Double, tap: TransportWireTap,
        stopwatch: ExchangeStopwatch
    ) throws(TransportFailure) -> HTTPResponse {
        try TransportThread.withAftermath { () throws(TransportFailure) -> HTTPResponse in
            TransportThread.afterAnswering { start.connection.close() }
            let bytes = start.request.bytes
            let sent = start.sent.sent
            if sent > 0 { tap.sent(Array(bytes[..<sent]), label: endpoint, at: start.sentAt) }
            if let failure = start.sent.failure {
                throw TransportWording.afterSending(failure, endpoint: endpoint, seconds: answerSeconds)
            }
            if sent == 0 {
                do {
                    try start.connection.finishConnecting(deadline: start.connectDeadline, timeoutForMessage: connectTimeout)
                    stopwatch.connected(since: start.connectBegun)
                } catch {
                    stopwatch.connected(since: start.connectBegun)
                    throw TransportWording.beforeSending(error)
                }
            }
            let stream = FirstByteStream(tap.observe(start.connection, label: endpoint), stopwatch: stopwatch)
            let deadline = Deadline.after(seconds: answerSeconds)
            do {
                if sent < bytes.count { try stream.write(Array(bytes[sent...]), deadline: deadline) }
                return try HTTPClient.receive(over: stream, for: start.request.method, deadline: deadline, endpoint: endpoint)
            } catch {
                throw TransportWording.afterSending(error, endpoint: endpoint, seconds: answerSeconds)
            }
        }
    }

    private static func exchange(
        _ request: HTTPWireRequest, to target: HTTPTransportTarget, connectTimeout: Double, answerSeconds: Double,
        tap: TransportWireTap, stopwatch: ExchangeStopwatch
    ) throws(TransportFailure) -> HTTPResponse {
        let connection: TCPConnection
        do {
            connection = try stopwatch.connecting { try target.connect(timeout: connectTimeout) }
        } catch {
            throw TransportWording.beforeSending(error)
        }
        // Closed once the answer is with the task: taking the socket down is not part of the round trip.
        TransportThread.afterAnswering { connection.close() }
        var stream: any ByteStream = connection
        if let context = target.tls {
            do {
                // The connection keeps the descriptor: it is closed once, by the close left for after the answer.
                let secured = try stopwatch.handshaking {
                    try TLSStream.connect(descriptor: connection.fileDescriptor, host: target.host, context: context,
                                          deadline: .after(seconds: connectTimeout), closesDescriptor: false)
                }
                stopwatch.secured(secured.session)
                stream = secured
            } catch {
                // A chain refused is worth seeing in the log: what the terminal showed, and why it failed.
                if let failure = error as? TLSFailure, !failure.presentedChain.isEmpty {
                    stopwatch.secured(TLSSessionSummary(protocolVersion: "", cipher: "", presentedChain: failure.presentedChain,
                                                        verifiedChain: [], serverName: nil))
                }
                throw TransportWording.beforeSending(error, naming: context.settingNaming)
            }
        }
        let opened = stream
        TransportThread.afterAnswering { opened.close() }
        do {
            return try HTTPClient.exchange(request, over: FirstByteStream(tap.observe(stream, label: target.endpoint), stopwatch: stopwatch),
                                           deadline: .after(seconds: answerSeconds), endpoint: target.endpoint)
        } catch {
            throw TransportWording.afterSending(error, endpoint: target.endpoint, seconds: answerSeconds,
                                                naming: target.tls?.settingNaming ?? .flags)
        }
    }
}
