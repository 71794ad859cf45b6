/// A payment method the terminal offers (PROTOCOL.md §4).
public enum Channel: String, Sendable, CaseIterable, Codable, Hashable {
    case cardPayment = "card_payment"
    case wechat = "wx"
    case alipay = "alipay"
    case payme = "payme"
    case unionQR = "union"
    case fps = "fps"
    case octopus = "octopus"
    case unionPayCard = "unionpay_card"
    case amexCard = "amex_card"

    /// The name the request content carries.
    public var wireName: String { rawValue }

    /// QFPay PayType (busicd) codes: consumer-presented first, merchant-presented second.
    public var payTypes: [String] {
        switch self {
        case .cardPayment: return ["802808"]
        case .wechat: return ["800208", "800201"]
        case .alipay: return ["800108", "800101"]
        case .payme: return ["805808", "805801"]
        case .unionQR: return ["800708", "800701"]
        case .fps: return ["802001"]
        case .octopus: return ["803708"]
        case .unionPayCard: return ["806708"]
        case .amexCard: return ["806808"]
        }
    }

    public var name: LocalizedText {
        switch self {
        case .cardPayment: return LocalizedText("Visa / Mastercard", "Visa / 萬事達卡")
        case .wechat: return LocalizedText("WeChat Pay", "微信支付")
        case .alipay: return LocalizedText("Alipay", "支付寶")
        case .payme: return LocalizedText("PayMe", "PayMe")
        case .unionQR: return LocalizedText("UnionPay QR", "銀聯二維碼")
        case .fps: return LocalizedText("FPS", "轉數快")
        case .octopus: return LocalizedText("Octopus", "八達通")
        case .unionPayCard: return LocalizedText("UnionPay Card", "銀聯卡")
        case .amexCard: return LocalizedText("American Express", "美國運通")
        }
    }

    /// FPS (merchant-presented only) and Octopus cannot be refunded through the terminal.
    public var allowsRefund: Bool {
        switch self {
        case .fps, .octopus: return false
        default: return true
        }
    }

    /// Card schemes refund only the full amount on the day of the sale.
    public var cardRulesApply: Bool {
        switch self {
        case .cardPayment, .unionPayCard, .amexCard: return true
        default: return false
        }
    }

    /// PAX A920 terminals take QR channels only; Landi A8/A8S take every channel.
    public var acceptedByPaxA920: Bool {
        switch self {
        case .wechat, .alipay, .payme, .unionQR, .fps: return true
        default: return false
        }
    }

    /// PayMe refuses a payment_timeout above 120 s.
    public var maximumPaymentTimeout: Int? { self == .payme ? 120 : nil }

    /// The channel a PayType code belongs to, e.g. `800101` → Alipay.
    public init?(payType: String) {
        guard let match = Channel.allCases.first(where: { $0.payTypes.contains(payType) }) else { return nil }
        self = match
    }

    /// Other names a cashier or script may type for the channel (`visa`, `wechat`, `amex`).
    public var aliases: [String] {
        switch self {
        case .cardPayment: return ["card", "visa", "mastercard", "master"]
        case .wechat: return ["wechat", "wechatpay", "weixin"]
        case .alipay: return ["ali"]
        case .unionQR: return ["unionpay", "unionpay_qr", "quickpass"]
        case .unionPayCard: return ["unionpaycard", "cup"]
        case .amexCard: return ["amex", "americanexpress"]
        case .payme, .fps, .octopus: return []
        }
    }

    /// Every wire name with its aliases, for help texts: `card_payment (card, visa, …), wx (wechat, …), …`.
    public static var namesWithAliases: String {
        allCases.map { $0.aliases.isEmpty ? $0.wireName : "\($0.wireName) (\($0.aliases.joined(separator: ", ")))" }
            .joined(separator: ", ")
    }

    /// Reads a wire name or one of its aliases, in any case; spaces inside are ignored (`WeChat Pay`).
    public static func parse(_ text: String) throws(ChannelError) -> Channel {
        let key = text.trimmingSpaces.lowercased()
        if let exact = Channel(rawValue: key) { return exact }
        let squeezed = key.filter { $0 != " " }
        if let alias = allCases.first(where: { $0.aliases.contains(squeezed) }) { return alias }
        throw ChannelError.unknown(text: text)
    }
}

public enum ChannelError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknown(text: String)

    public var description: String {
        switch self {
        case .unknown(let text):
            let names = Channel.allCases.map(\.wireName).joined(separator: ", ")
            return "unknown channel '\(text)': use one of \(names)"
        }
    }
}
