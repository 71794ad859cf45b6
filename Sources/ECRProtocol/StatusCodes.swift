/// What a status code means for the payment: drives the engine's policy (DESIGN.md step 2–3).
public enum StatusCategory: String, Sendable, Codable {
    /// Final success (`0000`).
    case success
    /// Keep asking (`1143`, `1145`, or accepted with no result yet).
    case pending
    /// The order does not exist (yet): `1136`.
    case notFound
    /// A final failure: declined.
    case failure
    /// The request itself was refused; it never became a payment.
    case rejected
    /// Cancelled on the terminal (outer `6001`).
    case cancelled
}

extension JSONValue {
    /// A `respcd` as its code: some firmware sends codes as JSON numbers (`0`, `6000`), which read as
    /// the same four-digit codes as the strings (`0` is `0000`). A number's leading zeros carry
    /// nothing (`000606` is `606`, so `0606`), so the code is the same however the number was
    /// written. Strings are taken as they are.
    public var statusCode: String? {
        guard case .number(let literal) = self else { return stringValue }
        // Not a plain integer (`06e00`): the strict form, the same however the literal was written.
        guard !literal.isEmpty, literal.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            return JSONValue.strictNumber(literal) ?? literal
        }
        let digits = literal.drop { $0 == "0" }
        guard digits.count < 4 else { return String(digits) }
        return String(repeating: "0", count: 4 - digits.count) + digits
    }
}

/// The outer `respcd` of every terminal answer (PROTOCOL.md §3).
public struct OuterStatus: Sendable, Hashable {
    public let code: String

    public init(code: String) { self.code = code }

    public static let accepted = OuterStatus(code: "6000")
    public static let cancelledOnTerminal = OuterStatus(code: "6001")
    public static let requestError = OuterStatus(code: "6002")
    public static let denied = OuterStatus(code: "4003")
    public static let notPost = OuterStatus(code: "4004")
    public static let otherError = OuterStatus(code: "4005")
    public static let badParameters = OuterStatus(code: "4006")
    public static let notLoggedIn = OuterStatus(code: "4007")
    public static let decryptionFailed = OuterStatus(code: "5001")

    public var category: StatusCategory {
        switch code {
        case "6000": return .pending
        case "6001": return .cancelled
        default: return .rejected
        }
    }

    public var meaning: LocalizedText {
        switch code {
        case "6000": return LocalizedText("request accepted", "請求成功")
        case "6001": return LocalizedText("cancelled on the terminal", "用戶已在終端取消")
        case "6002": return LocalizedText("request error reported by the terminal", "終端報告請求錯誤")
        case "4003": return LocalizedText("POS-KEY mismatch — check the key in the merchant portal",
                                          "POS-KEY 不匹配 — 請在商戶後台核對密鑰")
        case "4004": return LocalizedText("the terminal wants a POST request", "請求方式不對,需要 POST 請求")
        case "4005": return LocalizedText("the terminal reported an error", "終端報告其他錯誤")
        case "4006": return LocalizedText("the terminal refused the request parameters", "請求參數不正確")
        case "4007": return LocalizedText("no merchant is logged in on the terminal — log in on the terminal's app",
                                          "終端未登入商戶 — 請在終端應用程式登入")
        case "5001": return LocalizedText("the terminal could not decrypt the request — check the POS-KEY and the encryption setting",
                                          "終端解密失敗 — 請核對 POS-KEY 及加密設定")
        default: return LocalizedText("unknown terminal answer \(code)", "未知的終端回應 \(code)")
        }
    }
}

/// QFPay's transaction status, `data.respcd` (PROTOCOL.md §3).
public struct TransactionStatus: Sendable, Hashable {
    public let code: String

    public init(code: String) { self.code = code }

    public static let success = TransactionStatus(code: "0000")
    public static let enteringPassword = TransactionStatus(code: "1143")
    public static let processing = TransactionStatus(code: "1145")
    public static let orderNotFound = TransactionStatus(code: "1136")

    public var category: StatusCategory {
        switch code {
        case "0000": return .success
        case "1143", "1145": return .pending
        case "1136": return .notFound
        default: return .failure
        }
    }

    public var meaning: LocalizedText {
        if let known = TransactionStatus.meanings[code] { return known }
        return LocalizedText("transaction failed (code \(code))", "交易失敗(代碼 \(code))")
    }

    private static let meanings: [String: LocalizedText] = [
        "0000": LocalizedText("approved", "交易成功"),
        "1143": LocalizedText("customer is entering the password", "客戶正在輸入密碼"),
        "1145": LocalizedText("processing, please wait", "處理中,請稍候"),
        "1136": LocalizedText("the order does not exist", "訂單不存在"),
        "1100": LocalizedText("QFPay system under maintenance — try again later", "系統維護中 — 請稍後再試"),
        "1102": LocalizedText("duplicate request", "重複請求"),
        "1104": LocalizedText("request parameters refused", "請求參數錯誤"),
        "1105": LocalizedText("device not activated", "設備未啟用"),
        "1106": LocalizedText("terminal not bound to this merchant", "終端未綁定"),
        "1108": LocalizedText("signature error", "簽名錯誤"),
        "1125": LocalizedText("the transaction was already refunded", "交易已退款"),
        "1142": LocalizedText("the order is closed", "訂單已關閉"),
        "1150": LocalizedText("this settlement type cannot be cancelled", "此結算方式不支援撤銷"),
        "1155": LocalizedText("refund refused", "退款請求被拒絕"),
        "1181": LocalizedText("the order expired", "訂單已過期"),
        "1201": LocalizedText("insufficient balance — ask for another payment method", "餘額不足 — 請改用其他付款方式"),
        "1202": LocalizedText("wrong payment code — ask the customer to refresh it", "付款碼錯誤 — 請客戶刷新付款碼"),
        "1205": LocalizedText("refused by the wallet or card issuer — ask for another payment method", "錢包或發卡機構拒絕 — 請改用其他付款方式"),
        "1241": LocalizedText("store does not exist", "商戶不存在"),
        "1251": LocalizedText("store configuration error — contact QFPay", "商戶設定錯誤 — 請聯絡 QFPay"),
        "1261": LocalizedText("the order was not paid", "訂單未支付"),
        "1297": LocalizedText("the bank is busy — try again", "銀行系統繁忙 — 請重試"),
        "1298": LocalizedText("QFPay internal error — query the order before trying again", "內部錯誤 — 請先查詢訂單再重試"),
        "2005": LocalizedText("the customer's payment code is invalid", "客戶付款碼無效"),
        "2011": LocalizedText("this out_trade_no was already used", "商戶訂單號重複"),
    ]
}

/// Inquiry `cancel` field (PROTOCOL.md §3).
public enum CancelState: Int, Sendable, Codable, CaseIterable {
    case none = 0
    case reversed = 1
    case cancelled = 2
    case refunded = 3
    case preAuthCompleted = 4
    case partiallyRefunded = 5

    public var meaning: String {
        switch self {
        case .none: return "not cancelled"
        case .reversed: return "reversed (CPM)"
        case .cancelled: return "cancelled (MPM)"
        case .refunded: return "refunded"
        case .preAuthCompleted: return "pre-authorisation completed"
        case .partiallyRefunded: return "partially refunded"
        }
    }
}
