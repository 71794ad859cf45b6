/// The six operations of the ECR protocol (PROTOCOL.md §4).
public enum Operation: String, Sendable, CaseIterable, Codable {
    case payment, refund, printReceipt, printSummary, inquiry, cancelRequest

    public var funcType: Int {
        switch self {
        case .payment: return 1001
        case .refund: return 1002
        case .printReceipt: return 3001
        case .printSummary: return 3002
        case .inquiry: return 4001
        case .cancelRequest: return 5001
        }
    }

    public init?(funcType: Int) {
        guard let op = Operation.allCases.first(where: { $0.funcType == funcType }) else { return nil }
        self = op
    }

    /// The LAN HTTP path on port 9001.
    public var httpPath: String {
        switch self {
        case .payment: return "/api/pos/trade"
        case .refund: return "/api/pos/cancel"
        case .printReceipt: return "/api/pos/print_receipt"
        case .printSummary: return "/api/pos/transaction_info"
        case .inquiry: return "/api/pos/query_transaction"
        case .cancelRequest: return "/api/pos/cancel_request"
        }
    }

    public init?(httpPath: String) {
        guard let op = Operation.allCases.first(where: { $0.httpPath == httpPath }) else { return nil }
        self = op
    }

    /// The ECR Cloud endpoint (PROTOCOL.md §7).
    public var cloudPath: String {
        switch self {
        case .payment: return "/ecr/v1/payment/async"
        case .refund: return "/ecr/v1/refund/async"
        case .printReceipt: return "/ecr/v1/print_receipt/async"
        case .printSummary: return "/ecr/v1/print_summary/async"
        case .inquiry: return "/ecr/v1/query"
        case .cancelRequest: return "/ecr/v1/cancel/async"
        }
    }

    public var displayName: String {
        switch self {
        case .payment: return "payment"
        case .refund: return "refund"
        case .printReceipt: return "print receipt"
        case .printSummary: return "print summary"
        case .inquiry: return "inquiry"
        case .cancelRequest: return "cancel request"
        }
    }
}

public enum ScanType: String, Sendable, CaseIterable, Codable {
    case qrCodePay = "QRCODE_PAY"
    case scanPay = "SCAN_PAY"
}

public enum Camera: Int, Sendable, Codable {
    case back = 0
    case front = 1
}

public struct PaymentRequest: Sendable, Hashable {
    public var amount: Amount
    public var channel: Channel
    public var outTradeNo: String
    public var camera: Camera?
    public var paymentTimeout: Int?
    public var waitCardTimeout: Int?
    public var scanType: ScanType?
    public var moveToBack: Bool?

    public init(amount: Amount, channel: Channel, outTradeNo: String, camera: Camera? = nil, paymentTimeout: Int? = nil,
                waitCardTimeout: Int? = nil, scanType: ScanType? = nil, moveToBack: Bool? = nil) {
        self.amount = amount
        self.channel = channel
        self.outTradeNo = outTradeNo
        self.camera = camera
        self.paymentTimeout = paymentTimeout
        self.waitCardTimeout = waitCardTimeout
        self.scanType = scanType
        self.moveToBack = moveToBack
    }
}

public struct RefundRequest: Sendable, Hashable {
    /// The original sale's syssn.
    public var orderId: String
    /// Nil refunds the whole refundable amount.
    public var refundAmount: Amount?
    public var allowModify: Bool?
    public var moveToBack: Bool?
    /// What is still refundable, when known: used only to refuse an impossible refund locally.
    public var refundable: Amount?

    public init(orderId: String, refundAmount: Amount? = nil, allowModify: Bool? = nil, moveToBack: Bool? = nil,
                refundable: Amount? = nil) {
        self.orderId = orderId
        self.refundAmount = refundAmount
        self.allowModify = allowModify
        self.moveToBack = moveToBack
        self.refundable = refundable
    }
}

/// Which transaction an inquiry asks about.
public enum InquiryKey: Sendable, Hashable {
    case orderId(String)
    case outTradeNo(String)
}

/// A request to the terminal, validated before anything is sent.
public enum ECRRequest: Sendable, Hashable {
    case payment(PaymentRequest)
    case refund(RefundRequest)
    case printReceipt(orderId: String)
    case printSummary
    case inquiry(InquiryKey)
    case cancelRequest

    public var operation: Operation {
        switch self {
        case .payment: return .payment
        case .refund: return .refund
        case .printReceipt: return .printReceipt
        case .printSummary: return .printSummary
        case .inquiry: return .inquiry
        case .cancelRequest: return .cancelRequest
        }
    }

    public static let maximumOutTradeNoLength = 32
    public static let maximumOrderIdLength = 64

    public func validate() throws(RequestError) {
        switch self {
        case .payment(let p):
            guard p.amount.cents > 0 else { throw .invalidField(field: "amt", reason: "must be at least 0.01") }
            try Self.checkIdentifier(p.outTradeNo, field: "out_trade_no", maximum: Self.maximumOutTradeNoLength)
            if let t = p.paymentTimeout {
                guard t > 0 else { throw .invalidField(field: "payment_timeout", reason: "must be a positive number of seconds") }
                if let limit = p.channel.maximumPaymentTimeout, t > limit {
                    throw .invalidField(field: "payment_timeout", reason: "\(p.channel.name.english) allows at most \(limit) s")
                }
            }
            if let t = p.waitCardTimeout, t <= 0 {
                throw .invalidField(field: "wait_card_timeout", reason: "must be a positive number of seconds")
            }
        case .refund(let r):
            try Self.checkIdentifier(r.orderId, field: "orderId", maximum: Self.maximumOrderIdLength)
            if let amount = r.refundAmount {
                guard amount.cents > 0 else { throw .invalidField(field: "refund_amount", reason: "must be at least 0.01") }
                if let refundable = r.refundable, amount > refundable {
                    throw .invalidField(field: "refund_amount",
                                        reason: "\(amount.display) is more than the \(refundable.display) still refundable")
                }
            }
        case .printReceipt(let orderId):
            try Self.checkIdentifier(orderId, field: "orderId", maximum: Self.maximumOrderIdLength)
        case .inquiry(.orderId(let id)):
            try Self.checkIdentifier(id, field: "orderId", maximum: Self.maximumOrderIdLength)
        case .inquiry(.outTradeNo(let id)):
            try Self.checkIdentifier(id, field: "out_trade_no", maximum: Self.maximumOutTradeNoLength)
        case .printSummary, .cancelRequest:
            break
        }
    }

    /// Letters, digits, `-` and `_`: safe in the content format, in URLs and in file names.
    static func checkIdentifier(_ value: String, field: String, maximum: Int) throws(RequestError) {
        guard !value.isEmpty else { throw .invalidField(field: field, reason: "is empty") }
        guard value.utf8.count <= maximum else {
            throw .invalidField(field: field, reason: "is \(value.utf8.count) characters, at most \(maximum) allowed")
        }
        let ok = value.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }
        guard ok else { throw .invalidField(field: field, reason: "'\(value)' may hold only letters, digits, '-' and '_'") }
    }

    /// The content map sent to the terminal. Validates first.
    public func content() throws(RequestError) -> Content {
        try validate()
        var c = Content(["func_type": .integer(operation.funcType)])
        switch self {
        case .payment(let p):
            c["amt"] = .amount(p.amount)
            c["channel"] = .string(p.channel.wireName)
            c["out_trade_no"] = .string(p.outTradeNo)
            if let v = p.camera { c["camera_id"] = .integer(v.rawValue) }
            if let v = p.paymentTimeout { c["payment_timeout"] = .integer(v) }
            if let v = p.waitCardTimeout { c["wait_card_timeout"] = .integer(v) }
            if let v = p.scanType { c["scan_type"] = .string(v.rawValue) }
            if let v = p.moveToBack { c["moveToBack"] = .integer(v ? 1 : 0) }
        case .refund(let r):
            c["orderId"] = .string(r.orderId)
            if let v = r.refundAmount { c["refund_amount"] = .string(v.display) }
            if let v = r.allowModify { c["allow_modify_flag"] = .integer(v ? 1 : 0) }
            if let v = r.moveToBack { c["moveToBack"] = .integer(v ? 1 : 0) }
        case .printReceipt(let orderId):
            c["orderId"] = .string(orderId)
        case .inquiry(.orderId(let id)):
            c["orderId"] = .string(id)
        case .inquiry(.outTradeNo(let id)):
            c["out_trade_no"] = .string(id)
        case .printSummary, .cancelRequest:
            break
        }
        return c
    }

    /// Reads a request back from content, as the terminal (and the simulator) does; refuses what it would.
    public init(content: Content) throws(RequestError) {
        guard let ft = content["func_type"]?.text, let funcType = Int(ft) else { throw .missingField("func_type") }
        guard let op = Operation(funcType: funcType) else {
            throw .invalidField(field: "func_type", reason: "\(funcType) is not an operation the terminal knows")
        }
        func text(_ key: String) -> String? {
            guard let t = content[key]?.text, !t.isEmpty else { return nil }
            return t
        }
        func flag(_ key: String) throws(RequestError) -> Bool? {
            guard let t = text(key) else { return nil }
            switch t {
            case "0": return false
            case "1": return true
            default: throw .invalidField(field: key, reason: "must be 0 or 1, not '\(t)'")
            }
        }
        func integer(_ key: String) throws(RequestError) -> Int? {
            guard let t = text(key) else { return nil }
            guard let v = Int(t) else { throw .invalidField(field: key, reason: "must be a whole number, not '\(t)'") }
            return v
        }
        switch op {
        case .payment:
            guard let amt = text("amt") else { throw .missingField("amt") }
            let amount: Amount
            do { amount = try Amount.parseWire(amt) } catch { throw .invalidField(field: "amt", reason: error.description) }
            guard let ch = text("channel") else { throw .missingField("channel") }
            guard let channel = Channel(rawValue: ch) else {
                throw .invalidField(field: "channel", reason: "'\(ch)' is not a channel the terminal offers")
            }
            guard let outTradeNo = text("out_trade_no") else { throw .missingField("out_trade_no") }
            var camera: Camera?
            if let v = try integer("camera_id") {
                guard let c = Camera(rawValue: v) else { throw .invalidField(field: "camera_id", reason: "must be 0 or 1") }
                camera = c
            }
            var scanType: ScanType?
            if let v = text("scan_type") {
                guard let s = ScanType(rawValue: v) else {
                    throw .invalidField(field: "scan_type", reason: "must be QRCODE_PAY or SCAN_PAY, not '\(v)'")
                }
                scanType = s
            }
            self = .payment(PaymentRequest(amount: amount, channel: channel, outTradeNo: outTradeNo, camera: camera,
                                           paymentTimeout: try integer("payment_timeout"),
                                           waitCardTimeout: try integer("wait_card_timeout"),
                                           scanType: scanType, moveToBack: try flag("moveToBack")))
        case .refund:
            guard let orderId = text("orderId") else { throw .missingField("orderId") }
            var refundAmount: Amount?
            if let v = text("refund_amount") {
                do { refundAmount = try Amount.parseWire(v) } catch {
                    throw .invalidField(field: "refund_amount", reason: error.description)
                }
            }
            self = .refund(RefundRequest(orderId: orderId, refundAmount: refundAmount,
                                         allowModify: try flag("allow_modify_flag"), moveToBack: try flag("moveToBack")))
        case .printReceipt:
            guard let orderId = text("orderId") else { throw .missingField("orderId") }
            self = .printReceipt(orderId: orderId)
        case .printSummary:
            self = .printSummary
        case .inquiry:
            if let id = text("orderId") {
                self = .inquiry(.orderId(id))
            } else if let id = text("out_trade_no") {
                self = .inquiry(.outTradeNo(id))
            } else {
                throw .missingField("orderId or out_trade_no")
            }
        case .cancelRequest:
            self = .cancelRequest
        }
        try validate()
    }
}

public enum RequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingField(String)
    case invalidField(field: String, reason: String)
    case content(ContentError)

    public var description: String {
        switch self {
        case .missingField(let field): return "the request has no \(field)"
        case .invalidField(let field, let reason): return "\(field) \(reason)"
        case .content(let error): return error.description
        }
    }
}
