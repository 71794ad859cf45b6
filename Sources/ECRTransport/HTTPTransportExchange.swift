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

/// One POST and its response over a fresh connection (terminals and the cloud answer one request per
/// connection), with every failure sorted by the Transport contract: nothing written → not sent;
/// anything after the request started to go out → unknown.
enum HTTPTransportExchange {
    static func post(
        _ request: HTTPRequest, to target: HTTPTransportTarget, connectTimeout: Double, answerSeconds: Double,
        tap: TransportWireTap, stopwatch: ExchangeStopwatch
    ) throws(TransportFailure) -> HTTPResponse {
        try TransportThread.withAftermath { () throws(TransportFailure) -> HTTPResponse in
            try exchange(request, to: target, connectTimeout: connectTimeout, answerSeconds: answerSeconds, tap: tap, stopwatch: stopwatch)
        }
    }

    private static func exchange(
        _ request: HTTPRequest, to target: HTTPTransportTarget, connectTimeout: Double, answerSeconds: Double,
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
        } catch let error as HTTPSerializationError {
            throw .notSent("Not sent: the request cannot be written as HTTP (\(error)).", kind: .invalidRequest)
        } catch {
            throw TransportWording.afterSending(error, endpoint: target.endpoint, seconds: answerSeconds,
                                                naming: target.tls?.settingNaming ?? .flags)
        }
    }
}
