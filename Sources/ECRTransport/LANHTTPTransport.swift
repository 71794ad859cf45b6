import ECRProtocol

/// LAN HTTP and HTTPS to the terminal's port 9001 (PROTOCOL.md §4–5): one POST per request on a
/// fresh connection, `Content-Type: application/json`, the envelope as the body.
public final class LANHTTPTransport: Transport {
    public enum Security: Sendable {
        case plain
        /// HTTPS. One context serves every request of the transport.
        case tls(TLSContext)
    }

    public let endpointDescription: String
    private let target: HTTPTransportTarget
    private let envelope: LANTransportEnvelope
    private let timeouts: TransportTimeouts
    private let tap: TransportWireTap
    private let gate = TransportRequestGate()
    /// The last request written out: a payment's polling repeats it as it is.
    private let written = RepeatMemo<ECRRequest, HTTPWireRequest>()

    /// `host` is an IPv4 or IPv6 literal (brackets allowed) or a name. The POS-KEY is used for the
    /// digest and cipher and is masked in everything the observer sees.
    public init(host: String, port: UInt16 = 9001, security: Security = .plain, posKey: String, encryption: Bool = true,
                timeouts: TransportTimeouts = TransportTimeouts(), observer: (any WireObserver)? = nil,
                clock: TransportClock = .monotonic) {
        var tlsContext: TLSContext?
        if case .tls(let context) = security { tlsContext = context }
        target = HTTPTransportTarget(host: host, port: port, tls: tlsContext)
        envelope = LANTransportEnvelope(posKey: posKey, encryption: encryption)
        self.timeouts = timeouts
        tap = TransportWireTap(observer: observer, secrets: [posKey], clock: clock)
        endpointDescription = (tlsContext == nil ? "HTTP " : "HTTPS ") + target.endpoint
    }

    /// HTTPS with a context made from `tls` (trust store, pin, hostname check).
    public convenience init(host: String, port: UInt16 = 9001, tls configuration: TLSClientConfiguration, posKey: String,
                            encryption: Bool = true, timeouts: TransportTimeouts = TransportTimeouts(),
                            observer: (any WireObserver)? = nil, clock: TransportClock = .monotonic) throws(TLSFailure) {
        let context: TLSContext
        do {
            context = try TLSContext(client: configuration)
        } catch let failure as TLSFailure {
            throw failure
        } catch {
            throw .trustStoreUnusable(configuration.trust, reason: "\(error)")
        }
        self.init(host: host, port: port, security: .tls(context), posKey: posKey, encryption: encryption,
                  timeouts: timeouts, observer: observer, clock: clock)
    }

    public func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
        let post = try written.value(for: request) { () throws(TransportFailure) -> HTTPWireRequest in
            let body = try envelope.body(for: request)
            return try HTTPTransportExchange.wire(.post(request.operation.httpPath, host: self.target.endpoint, contentType: "application/json",
                                                        body: body))
        }
        let (target, timeouts, tap) = (self.target, self.timeouts, self.tap)
        let answerSeconds = timeouts.answerSeconds(for: request)
        let endpoint = target.endpoint
        let response = try await gate.run(request.operation, endpoint: endpointDescription, thread: "qfecr http", tap: tap,
                                          opening: { (stopwatch) throws(TransportFailure) -> HTTPHeadStart? in
            try HTTPTransportExchange.open(post, to: target, connectTimeout: timeouts.connect, stopwatch: stopwatch)
        }) { (headStart, stopwatch) throws(TransportFailure) -> HTTPResponse in
            if let headStart {
                return try HTTPTransportExchange.finish(headStart, endpoint: endpoint, connectTimeout: timeouts.connect,
                                                        answerSeconds: answerSeconds, tap: tap, stopwatch: stopwatch)
            }
            return try HTTPTransportExchange.post(post, to: target, connectTimeout: timeouts.connect, answerSeconds: answerSeconds, tap: tap,
                                                  stopwatch: stopwatch)
        }
        // A readable terminal answer is returned whatever the HTTP status: its own codes (4003, 4004,
        // 5001, …) say what happened, and a terminal may send them with a 4xx or 5xx status.
        do {
            return try envelope.decode(response.body)
        } catch {
            let status = response.status == 200 ? "" : " (HTTP \(response.status) \(response.reason))"
            throw LANTransportEnvelope.unreadable(error, from: target.endpoint, detail: status)
        }
    }
}
