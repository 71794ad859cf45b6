import Foundation

/// The business record inside `data`: a trade, refund or inquiry result. Unknown fields are kept.
public struct TransactionRecord: Sendable, Hashable {
    public let fields: JSONObject

    public init(fields: JSONObject) { self.fields = fields }

    public func text(_ key: String) -> String? {
        guard let t = fields[key]?.scalarText, !t.isEmpty else { return nil }
        return t
    }

    public var status: TransactionStatus? {
        guard let code = fields["respcd"]?.statusCode, !code.isEmpty else { return nil }
        return TransactionStatus(code: code)
    }
    public var syssn: String? { text("syssn") }
    public var outTradeNo: String? { text("out_trade_no") }
    public var origSyssn: String? { text("orig_syssn") ?? text("origssn") }
    /// Integer cents, as a number or a string.
    public var amount: Amount? { text("txamt").flatMap(Amount.parseCents) }
    public var refundableAmount: Amount? { text("allow_refund_amt").flatMap(Amount.parseCents) }
    public var cancelState: CancelState? { text("cancel").flatMap { Int($0) }.flatMap(CancelState.init(rawValue:)) }
    public var payType: String? { text("busicd") }
    public var channel: Channel? { payType.flatMap(Channel.init(payType:)) }
    public var currency: String? { text("txcurrcd") }
    public var channelOrderNo: String? { text("chnlsn") }
    public var cardScheme: String? { text("cardscheme") }
    public var maskedCardNo: String? { text("cardno") }
    public var systemTime: String? { text("sysdtm") }
    public var tradeType: String? { text("tradetp") }
    public var message: String? { text("respmsg") ?? text("resmsg") }
}

/// A terminal answer: `{"respcd":"6000","respmsg":"…","resperr":"…","data":"<JSON text>"}`.
public struct ECRResponse: Sendable, Hashable {
    public let outer: OuterStatus
    public let respmsg: String
    public let resperr: String
    public let data: TransactionRecord?
    /// The whole decoded answer, unknown fields included.
    public let raw: JSONObject
    /// Real terminals answer in plain JSON; some firmware may encrypt.
    public let wasEncrypted: Bool

    public init(outer: OuterStatus, respmsg: String = "", resperr: String = "", data: TransactionRecord? = nil,
                raw: JSONObject? = nil, wasEncrypted: Bool = false) {
        self.outer = outer
        self.respmsg = respmsg
        self.resperr = resperr
        self.data = data
        self.wasEncrypted = wasEncrypted
        self.raw = raw ?? ECRResponse.rawObject(outer: outer, respmsg: respmsg, resperr: resperr, data: data)
    }

    /// What this answer says about the transaction, combining outer and inner codes.
    public var category: StatusCategory {
        switch outer.category {
        case .pending:
            guard let status = data?.status else { return .pending }
            return status.category
        default:
            return outer.category
        }
    }

    /// The answer in words, in the given language.
    public func meaning(in language: Language = .english) -> String {
        if outer == .accepted, let status = data?.status { return status.meaning.text(in: language) }
        if outer == .accepted { return language == .english ? "accepted, result pending" : "已接受,等待結果" }
        return outer.meaning.text(in: language)
    }

    /// Status and meaning on one line: `6000/0000 approved`, or `4003 …` for an outer refusal.
    public var statusLine: String {
        if let status = data?.status, outer == .accepted { return "\(outer.code)/\(status.code) \(status.meaning.english)" }
        return "\(outer.code) \(meaning())"
    }

    /// Strict JSON text with `data` serialized into a string, as the terminal answers.
    public func serialized() -> String {
        JSONValue.object(raw).serialized()
    }

    private static func rawObject(outer: OuterStatus, respmsg: String, resperr: String, data: TransactionRecord?) -> JSONObject {
        var o = JSONObject([("respcd", .string(outer.code)), ("respmsg", .string(respmsg)), ("resperr", .string(resperr))])
        if let data { o["data"] = .string(JSONValue.object(data.fields).serialized()) }
        return o
    }
}

/// Reads terminal answers: plain JSON first; if that fails, Base64 → AES → JSON (PROTOCOL.md §3).
public enum ResponseDecoder {
    public static func decode(_ bytes: [UInt8], posKey: String?) throws(ResponseError) -> ECRResponse {
        let trimmed = bytes.trimmingSpaceBytes
        guard !trimmed.isEmpty else { throw .empty }
        // Lenient: some firmware writes codes as bare numbers with leading zeros (`"respcd":0000`).
        // Read as bytes: a string is made of the answer only when it is not plain JSON.
        if let value = try? JSONParser.parse(trimmed, lenient: true), case .object(let object) = value {
            return try interpret(object, wasEncrypted: false)
        }
        let text = String(decoding: trimmed, as: UTF8.self)
        var base64 = text
        if case .string(let inner)? = try? JSONParser.parse(text) { base64 = inner }
        guard Data(base64Encoded: base64) != nil else {
            throw .garbled(preview: String(text.prefix(60)))
        }
        guard let posKey, let cipher = try? AESCipher(posKey: posKey) else { throw .encryptedWithoutKey }
        let plain: [UInt8]
        do { plain = try cipher.decryptBase64(base64) } catch { throw .undecryptable(error) }
        guard let value = try? JSONParser.parse(plain, lenient: true), case .object(let object) = value else {
            throw .garbled(preview: String(String(decoding: plain, as: UTF8.self).prefix(60)))
        }
        return try interpret(object, wasEncrypted: true)
    }

    static func interpret(_ object: JSONObject, wasEncrypted: Bool) throws(ResponseError) -> ECRResponse {
        guard let code = object["respcd"]?.statusCode, !code.isEmpty else { throw .missingStatus }
        var record: TransactionRecord?
        switch object["data"] {
        case .string(let s)? where s.utf8.contains(where: { !isSpaceByte($0) }):
            guard case .object(let inner)? = try? JSONParser.parse(s, lenient: true) else {
                throw .badData(preview: String(s.prefix(60)))
            }
            record = TransactionRecord(fields: inner)
        case .object(let inner)?:
            record = TransactionRecord(fields: inner)
        default:
            record = nil
        }
        return ECRResponse(outer: OuterStatus(code: code), respmsg: object["respmsg"]?.scalarText ?? "",
                           resperr: object["resperr"]?.scalarText ?? "", data: record, raw: object,
                           wasEncrypted: wasEncrypted)
    }
}

public enum ResponseError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case garbled(preview: String)
    case encryptedWithoutKey
    case undecryptable(CipherError)
    case missingStatus
    case badData(preview: String)

    public var description: String {
        switch self {
        case .empty: return "the terminal sent an empty answer"
        case .garbled(let preview): return "the terminal's answer is neither JSON nor encrypted data: \(preview)"
        case .encryptedWithoutKey: return "the terminal's answer is encrypted and no valid POS-KEY is set"
        case .undecryptable(let e): return "the terminal's answer could not be decrypted: \(e.description)"
        case .missingStatus: return "the terminal's answer has no respcd"
        case .badData(let preview): return "the terminal's answer has a data field that is not an object: \(preview)"
        }
    }
}
