import ECRProtocol

/// Who the ECR Cloud requests are for and how they are signed.
public struct CloudAccount: Sendable {
    /// `X-QF-APPCODE`.
    public var appCode: String
    /// Signs every request; never sent, never shown.
    public var clientKey: String
    public var signType: CloudSignatureAlgorithm
    /// The terminal's Device ID (`termid`), from the Haojin app: My → Settings → Device ID.
    public var terminalId: String
    /// `mchid`, sent with every request when set (agent and multi-store accounts need it).
    public var merchantId: String?

    public init(appCode: String, clientKey: String, signType: CloudSignatureAlgorithm = .md5, terminalId: String,
                merchantId: String? = nil) {
        self.appCode = appCode
        self.clientKey = clientKey
        self.signType = signType
        self.terminalId = terminalId
        self.merchantId = merchantId
    }
}

/// The form parameters of each ECR Cloud endpoint (seed 004). Amounts are integer cents here, not
/// the LAN's dollars.
enum CloudParameters {
    static func forRequest(_ request: ECRRequest, account: CloudAccount) throws(TransportFailure) -> [String: String] {
        do { try request.validate() } catch {
            throw .notSent("Not sent: the \(request.operation.displayName) is not valid: \(error.description).", kind: .invalidRequest)
        }
        var p = identifying(account)
        switch request {
        case .payment(let payment):
            p["txamt"] = String(payment.amount.cents)
            p["channel"] = payment.channel.wireName
            p["out_trade_no"] = payment.outTradeNo
            p["scan_type"] = (payment.scanType ?? defaultScanType(for: payment.channel)).rawValue
            if let camera = payment.camera { p["camera_id"] = String(camera.rawValue) }
            if let timeout = payment.paymentTimeout { p["payment_timeout"] = String(timeout) }
        case .refund(let refund):
            p["syssn"] = refund.orderId
            if let amount = refund.refundAmount { p["txamt"] = String(amount.cents) }
            if let allow = refund.allowModify { p["allow_modify_flag"] = allow ? "1" : "0" }
        case .inquiry(.orderId(let syssn)):
            p["syssn"] = syssn
        case .inquiry(.outTradeNo(let outTradeNo)):
            p["out_trade_no"] = outTradeNo
        case .printReceipt:
            // Needs the order's syssn and out_trade_no: `printReceipt(syssn:outTradeNo:account:)`.
            break
        case .printSummary, .cancelRequest:
            break
        }
        return p
    }

    static func printReceipt(syssn: String, outTradeNo: String, account: CloudAccount) -> [String: String] {
        var p = identifying(account)
        p["syssn"] = syssn
        p["out_trade_no"] = outTradeNo
        return p
    }

    /// `termid`, and `mchid` when set: what every endpoint takes.
    static func identifying(_ account: CloudAccount) -> [String: String] {
        var p = ["termid": account.terminalId]
        if let merchantId = account.merchantId, !merchantId.isEmpty { p["mchid"] = merchantId }
        return p
    }

    /// The cloud requires `scan_type`. FPS is merchant-presented only (the terminal shows a code);
    /// for every other channel the terminal scans the customer's code, or reads the card.
    static func defaultScanType(for channel: Channel) -> ScanType {
        channel == .fps ? .qrCodePay : .scanPay
    }
}
