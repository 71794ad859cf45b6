import ECRProtocol
import Foundation

/// How the virtual ECR Cloud is set up.
public struct CloudSettings: Sendable {
    /// `X-QF-APPCODE` the cloud accepts.
    public var appCode: String
    /// The key requests are signed with. Never printed.
    public var clientKey: String
    /// Where notifications go, and the key that signs them; no notifications without both.
    public var notifyURL: String?
    public var notifyKey: String?

    public init(appCode: String = "SIMAPPCODE", clientKey: String = "SIMCLIENTKEY", notifyURL: String? = nil, notifyKey: String? = nil) {
        self.appCode = appCode
        self.clientKey = clientKey
        self.notifyURL = notifyURL
        self.notifyKey = notifyKey
    }
}

/// A request as the cloud port received it. Header names are matched case-insensitively.
public struct CloudRequest: Sendable, Hashable {
    public var method: String
    public var path: String
    public var headers: [String: String]
    public var body: [UInt8]

    public init(method: String = "POST", path: String, headers: [String: String], body: [UInt8]) {
        self.method = method
        self.path = path
        self.body = body
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { _, last in last })
    }

    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// The cloud's answer: an HTTP status and a JSON body `{"respcd","resperr","respmsg"}`.
public struct CloudAnswer: Sendable, Hashable {
    public let status: Int
    public let json: JSONObject
    public let printout: Printout?
    public let logLine: String

    public var body: [UInt8] { Array(JSONValue.object(json).serialized().utf8) }
    public var respcd: String { json["respcd"]?.scalarText ?? "" }
}

/// The `/ecr/v1/*` endpoints of QFPay's ECR Cloud (seed 004), driving the same terminal and ledger
/// as the LAN ports. Every trade is asynchronous here: the cloud answers "pushed", the result is
/// found by `/ecr/v1/query` or arrives as a notification.
public struct VirtualCloud: Sendable {
    public let settings: CloudSettings

    public init(settings: CloudSettings) {
        self.settings = settings
    }

    public func handle(_ request: CloudRequest, terminal: inout VirtualTerminal, at now: Date) -> CloudAnswer {
        terminal.advance(to: now)
        guard let operation = Operation.allCases.first(where: { $0.cloudPath == request.path }) else {
            return Self.answer(404, "1104", "no such endpoint: \(request.path)", log: "\(request.method) \(request.path)")
        }
        let what = "cloud \(operation.displayName)"
        guard request.method.uppercased() == "POST" else {
            return Self.answer(405, "1104", "use POST", log: "\(what) via \(request.method)")
        }
        guard let appCode = request.header("X-QF-APPCODE"), constantTimeEquals(Array(appCode.utf8), Array(settings.appCode.utf8)) else {
            return Self.answer(200, "1108", "unknown X-QF-APPCODE: check the app code", log: what)
        }
        guard let parameters = FormEncoding.decode(request.body) else {
            return Self.answer(200, "1104", "the body is not application/x-www-form-urlencoded", log: what)
        }
        let algorithm: CloudSignatureAlgorithm
        switch request.header("X-QF-SIGNTYPE")?.uppercased() {
        case nil, "", "MD5": algorithm = .md5
        case "SHA256": algorithm = .sha256
        case let other?: return Self.answer(200, "1108", "unknown X-QF-SIGNTYPE \(other): use MD5 or SHA256", log: what)
        }
        guard let signature = request.header("X-QF-SIGN"),
              CloudSignature.verify(parameters, clientKey: settings.clientKey, signature: signature, algorithm: algorithm) else {
            return Self.answer(200, "1108", "signature error: sign the sorted parameters with the client key", log: what)
        }
        let log = "\(what) " + parameters.keys.sorted().map { "\($0)=\(parameters[$0]!)" }.joined(separator: " ")
        let deviceId = terminal.settings.deviceId
        guard parameters["termid"] == deviceId else {
            let termid = parameters["termid"] ?? ""
            return Self.answer(200, "1106", "Termid \(Self.masked(termid)) is unbounded, please login MchntApp to bind it!", log: log)
        }
        switch operation {
        case .payment: return payment(parameters, terminal: &terminal, at: now, log: log)
        case .refund: return refund(parameters, terminal: &terminal, at: now, log: log)
        case .cancelRequest:
            _ = terminal.perform(.cancelRequest, at: now, answerAtOnce: true)
            return Self.answer(200, "0000", "Cancel push success", log: log)
        case .printReceipt: return printReceipt(parameters, terminal: &terminal, at: now, log: log)
        case .printSummary:
            guard case .done(let response, _, let printout) = terminal.perform(.printSummary, at: now, answerAtOnce: true),
                  response.outer == .accepted else { return Self.busy(log) }
            return Self.answer(200, "0000", "Print Summary push success", printout: printout, log: log)
        case .inquiry: return query(parameters, terminal: &terminal, at: now, log: log)
        }
    }

    /// Notifications for what the terminal finished, when a notify URL and key are set.
    public func notifications(for events: [TerminalEvent], settings terminalSettings: TerminalSettings) -> [MerchantNotification] {
        guard let url = settings.notifyURL, let key = settings.notifyKey else { return [] }
        return events.compactMap { MerchantNotification.make(for: $0, url: url, key: key, settings: terminalSettings) }
    }

    // MARK: Endpoints

    private func payment(_ p: [String: String], terminal: inout VirtualTerminal, at now: Date, log: String) -> CloudAnswer {
        for field in ["txamt", "channel", "out_trade_no", "scan_type"] where (p[field] ?? "").isEmpty {
            return Self.answer(200, "1104", "missing parameter \(field)", log: log)
        }
        guard let cents = Amount.parseCents(p["txamt"]!) else {
            return Self.answer(200, "1104", "txamt must be whole cents, e.g. 110 for $1.10", log: log)
        }
        guard let channel = Channel(rawValue: p["channel"]!) else {
            return Self.answer(200, "1104", "unknown channel \(p["channel"]!)", log: log)
        }
        guard let scanType = ScanType(rawValue: p["scan_type"]!) else {
            return Self.answer(200, "1104", "scan_type must be QRCODE_PAY or SCAN_PAY", log: log)
        }
        var camera: Camera?
        if let c = p["camera_id"], !c.isEmpty {
            guard let v = Int(c), let parsed = Camera(rawValue: v) else { return Self.answer(200, "1104", "camera_id must be 0 or 1", log: log) }
            camera = parsed
        }
        var timeout: Int?
        if let t = p["payment_timeout"], !t.isEmpty {
            guard let v = Int(t) else { return Self.answer(200, "1104", "payment_timeout must be whole seconds", log: log) }
            timeout = v
        }
        let request = ECRRequest.payment(PaymentRequest(amount: cents, channel: channel, outTradeNo: p["out_trade_no"]!,
                                                        camera: camera, paymentTimeout: timeout, scanType: scanType))
        do { try request.validate() } catch { return Self.answer(200, "1104", error.description, log: log) }
        return pushed(terminal.perform(request, at: now, answerAtOnce: true), success: "Order push success", log: log)
    }

    private func refund(_ p: [String: String], terminal: inout VirtualTerminal, at now: Date, log: String) -> CloudAnswer {
        guard let syssn = p["syssn"], !syssn.isEmpty else { return Self.answer(200, "1104", "missing parameter syssn", log: log) }
        var amount: Amount?
        if let t = p["txamt"], !t.isEmpty {
            guard let cents = Amount.parseCents(t) else { return Self.answer(200, "1104", "txamt must be whole cents", log: log) }
            amount = cents
        }
        // out_trade_no is not in seed 004's refund table; taken when given, so a refund can be queried by it.
        let outTradeNo = p["out_trade_no"].flatMap { $0.isEmpty ? nil : $0 }
        let refund = RefundRequest(orderId: syssn, refundAmount: amount)
        do { try ECRRequest.refund(refund).validate() } catch { return Self.answer(200, "1104", error.description, log: log) }
        guard !terminal.state.isBusy else { return Self.busy(log) }
        return pushed(terminal.startRefund(refund, outTradeNo: outTradeNo, at: now, answerAtOnce: true),
                      success: "Refund push success", log: log)
    }

    private func printReceipt(_ p: [String: String], terminal: inout VirtualTerminal, at now: Date, log: String) -> CloudAnswer {
        for field in ["syssn", "out_trade_no"] where (p[field] ?? "").isEmpty {
            return Self.answer(200, "1104", "missing parameter \(field)", log: log)
        }
        guard let entry = terminal.ledger.entry(syssn: p["syssn"]!), entry.outTradeNo == p["out_trade_no"]! else {
            return Self.answer(200, "1136", "The order doesn't exist", log: log)
        }
        guard case .done(let response, _, let printout) = terminal.perform(.printReceipt(orderId: entry.syssn), at: now, answerAtOnce: true),
              response.outer == .accepted else { return Self.busy(log) }
        return Self.answer(200, "0000", "Print receipt push success", printout: printout, log: log)
    }

    private func query(_ p: [String: String], terminal: inout VirtualTerminal, at now: Date, log: String) -> CloudAnswer {
        let key: InquiryKey
        if let s = p["syssn"], !s.isEmpty {
            key = .orderId(s)
        } else if let o = p["out_trade_no"], !o.isEmpty {
            key = .outTradeNo(o)
        } else {
            return Self.answer(200, "1104", "give syssn or out_trade_no", log: log)
        }
        let found: LedgerEntry?
        switch key {
        case .orderId(let s): found = terminal.ledger.entry(syssn: s)
        case .outTradeNo(let o): found = terminal.ledger.entry(outTradeNo: o)
        }
        guard let entry = found else { return Self.answer(200, "1136", "The order doesn't exist", log: log) }
        let record = TerminalRecords.inquiry(entry, status: terminal.statusCode(of: entry, at: now), ledger: terminal.ledger,
                                             settings: terminal.settings, now: now)
        let json = JSONObject([("resperr", .string("Query success")), ("respcd", .string("0000")), ("respmsg", .object(record))])
        return CloudAnswer(status: 200, json: json, printout: nil,
                           logLine: "\(log) → 0000 \(record["respcd"]?.scalarText ?? "") syssn=\(entry.syssn)")
    }

    // MARK: Answers

    /// Maps the terminal's immediate answer to a push result.
    private func pushed(_ performed: VirtualTerminal.Performed, success: String, log: String) -> CloudAnswer {
        guard case .done(let response, _, _) = performed else { return Self.answer(200, "0000", success, log: log) }
        if response.outer == .requestError { return Self.busy(log) }
        if let data = response.data, let code = data.status?.code, code != "0000" {
            return Self.answer(200, code, data.text("resperr") ?? response.meaning(), log: log)
        }
        return Self.answer(200, "0000", success, log: log)
    }

    static func busy(_ log: String) -> CloudAnswer {
        answer(200, "1102", "the terminal is busy with another request: wait for it, or send /ecr/v1/cancel/async", log: log)
    }

    static func answer(_ status: Int, _ code: String, _ message: String, printout: Printout? = nil, log: String) -> CloudAnswer {
        CloudAnswer(status: status,
                    json: JSONObject([("resperr", .string(message)), ("respcd", .string(code)), ("respmsg", .string(""))]),
                    printout: printout, logLine: "\(log) → \(code) \(message)")
    }

    /// `235C****503`, as QFPay prints a device id.
    static func masked(_ termid: String) -> String {
        guard termid.count > 7 else { return termid }
        return String(termid.prefix(4)) + "****" + String(termid.suffix(3))
    }
}
