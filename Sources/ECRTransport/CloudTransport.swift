import ECRProtocol

/// QFPay's ECR Cloud (PROTOCOL.md §7, seed 004): signed form posts to the cloud, which pushes the
/// request to the terminal. Results are asynchronous only: a trade is answered "pushed" (pending) and
/// its outcome is found with `/ecr/v1/query`. Answers are mapped by `CloudAnswerMapping`.
public final class CloudTransport: Transport {
    public let endpointDescription: String
    private let endpoint: CloudEndpoint
    private let account: CloudAccount
    private let target: HTTPTransportTarget
    private let timeouts: TransportTimeouts
    private let tap: TransportWireTap
    private let gate = TransportRequestGate()

    /// HTTPS is verified against `trust` (the system store: the cloud is on the public internet) with
    /// the host name checked and no pin; verification cannot be turned off. Tests pass their own CA.
    public init(baseURL: String, account: CloudAccount, timeouts: TransportTimeouts = TransportTimeouts(),
                trust: TLSTrustSource = .systemStore, observer: (any WireObserver)? = nil,
                clock: TransportClock = .monotonic) throws(CloudConfigurationError) {
        endpoint = try CloudEndpoint(baseURL: baseURL)
        for (name, value) in [("cloud_app_code", account.appCode), ("cloud_client_key", account.clientKey),
                              ("terminal_id (the terminal's Device ID)", account.terminalId)] where value.isEmpty {
            throw .missingSetting(name)
        }
        var context: TLSContext?
        if endpoint.usesTLS {
            do {
                context = try TLSContext(client: TLSClientConfiguration(trust: trust, pin: .none, verifyHostname: true))
            } catch {
                throw .trustStoreUnusable("\(error)")
            }
        }
        self.account = account
        target = HTTPTransportTarget(host: endpoint.host, port: endpoint.port, tls: context)
        self.timeouts = timeouts
        tap = TransportWireTap(observer: observer, secrets: [account.clientKey], clock: clock)
        endpointDescription = "cloud \(endpoint.baseURL)"
    }

    public func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
        let parameters = try CloudParameters.forRequest(request, account: account)
        return try await gate.run(request.operation, endpoint: endpointDescription, thread: "qfecr cloud", tap: tap) {
            [self] (stopwatch) throws(TransportFailure) -> ECRResponse in
            if case .printReceipt(let orderId) = request { return try printReceipt(orderId: orderId, stopwatch: stopwatch) }
            return try post(request.operation, parameters, stopwatch: stopwatch).get()
        }
    }

    /// The cloud wants the order's syssn and out_trade_no; the request names it by one of them, so
    /// the order is looked up first (as a syssn, then as an out_trade_no).
    private func printReceipt(orderId: String, stopwatch: ExchangeStopwatch) throws(TransportFailure) -> ECRResponse {
        var record: TransactionRecord?
        for key in ["syssn", "out_trade_no"] where record == nil {
            var query = CloudParameters.identifying(account)
            query[key] = orderId
            let found = try post(.inquiry, query, stopwatch: stopwatch).get()
            guard found.outer == .accepted else { return found }
            if let data = found.data, data.status != .orderNotFound { record = data }
        }
        guard let record else {
            return ECRResponse(outer: .badParameters, respmsg: "The order doesn't exist",
                               resperr: "ECR Cloud: no order \(orderId) to print (looked up as syssn and as out_trade_no)",
                               data: CloudAnswerMapping.statusRecord(.orderNotFound))
        }
        guard let syssn = record.syssn, let outTradeNo = record.outTradeNo else {
            return ECRResponse(outer: .badParameters, respmsg: "The order has no syssn or out_trade_no",
                               resperr: "ECR Cloud: order \(orderId) lacks the syssn or out_trade_no the cloud needs to print it")
        }
        return try post(.printReceipt, CloudParameters.printReceipt(syssn: syssn, outTradeNo: outTradeNo, account: account),
                        stopwatch: stopwatch).get()
    }

    /// One signed post; the answer mapped. Runs on the I/O thread; the first post of a request is the one timed.
    private func post(_ operation: ECRProtocol.Operation, _ parameters: [String: String], stopwatch: ExchangeStopwatch) throws(TransportFailure)
        -> Result<ECRResponse, TransportFailure> {
        let request = signedRequest(operation, parameters)
        let response = try HTTPTransportExchange.post(request, to: target, connectTimeout: timeouts.connect,
                                                      answerSeconds: timeouts.request, tap: tap, stopwatch: stopwatch)
        // The cloud's JSON says what happened whatever the HTTP status; anything else is unknown.
        guard let answer = CloudAnswer(body: response.body) else {
            return .failure(.unknown("\(target.endpoint) answered HTTP \(response.status) \(response.reason) without an ECR Cloud "
                + "answer — check cloud_base_url (\(endpoint.baseURL))." + IOFailure.mayHaveArrived))
        }
        return operation == .inquiry
            ? CloudAnswerMapping.queryResponse(answer, endpoint: target.endpoint)
            : CloudAnswerMapping.pushResponse(answer, endpoint: target.endpoint)
    }

    func signedRequest(_ operation: ECRProtocol.Operation, _ parameters: [String: String]) -> HTTPRequest {
        var request = HTTPRequest.post(endpoint.target(for: operation.cloudPath), host: endpoint.hostHeader,
                                       contentType: "application/x-www-form-urlencoded",
                                       body: CloudFormEncoding.encode(parameters))
        request.headers.add("X-QF-APPCODE", account.appCode)
        request.headers.add("X-QF-SIGN", CloudSignature.sign(parameters, clientKey: account.clientKey, algorithm: account.signType))
        if account.signType == .sha256 { request.headers.add("X-QF-SIGNTYPE", "SHA256") }
        return request
    }
}
