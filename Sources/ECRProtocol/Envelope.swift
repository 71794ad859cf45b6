import Foundation

/// What goes on the wire for one request: the formatted content, its digest and the exact body.
public struct EncodedRequest: Sendable, Hashable {
    public let content: Content
    public let formattedContent: String
    public let digest: String
    /// The exact HTTP body (and USB/TCP data segment).
    public let body: String
    public let encrypted: Bool
}

/// Digest and envelope rules of PROTOCOL.md §1–2.
public enum EnvelopeEncoder {
    /// MD5(formatted content + POS-KEY), UPPERCASE hex.
    public static func digest(formattedContent: String, posKey: String) -> String {
        String(decoding: digestBytes(formatted: Array(formattedContent.utf8), posKey: posKey), as: UTF8.self)
    }

    public static func encode(_ request: ECRRequest, posKey: String, encryption: Bool) throws(EnvelopeError) -> EncodedRequest {
        let content: Content
        do { content = try request.content() } catch { throw .request(error) }
        return try encode(content, posKey: posKey, encryption: encryption)
    }

    public static func encode(_ content: Content, posKey: String, encryption: Bool) throws(EnvelopeError) -> EncodedRequest {
        let wire = try wireForm(content, posKey: posKey, encryption: encryption)
        return EncodedRequest(content: content, formattedContent: String(decoding: wire.formatted, as: UTF8.self),
                              digest: String(decoding: wire.digest, as: UTF8.self), body: String(decoding: wire.body, as: UTF8.self),
                              encrypted: encryption)
    }

    /// Only the body's bytes, which is all a transport sends: the same bytes as `encode(…).body`,
    /// without the strings made for inspection, sealed with a key made ready once.
    public static func body(_ request: ECRRequest, key: EnvelopeKey, encryption: Bool) throws(EnvelopeError) -> [UInt8] {
        let content: Content
        do { content = try request.content() } catch { throw .request(error) }
        return try wireForm(content, digest: key.digest, encryption: encryption) { () throws(EnvelopeError) in key.encrypt }.body
    }

    private static func digestBytes(formatted: [UInt8], posKey: String) -> [UInt8] {
        var input = formatted
        input += posKey.utf8
        return Hex.upperBytes(MessageDigest.md5.hash(input))
    }

    private static func wireForm(_ content: Content, posKey: String, encryption: Bool) throws(EnvelopeError)
        -> (formatted: [UInt8], digest: [UInt8], body: [UInt8]) {
        try wireForm(content, digest: { digestBytes(formatted: $0, posKey: posKey) }, encryption: encryption) { () throws(EnvelopeError) in
            do throws(CipherError) { return try AESCipher(posKey: posKey).encrypt } catch { throw .cipher(error) }
        }
    }

    /// The formatted content, its digest and the body, for either way of holding the key.
    private static func wireForm(
        _ content: Content, digest digestOf: ([UInt8]) -> [UInt8], encryption: Bool,
        cipher: () throws(EnvelopeError) -> ([UInt8]) -> [UInt8]
    ) throws(EnvelopeError) -> (formatted: [UInt8], digest: [UInt8], body: [UInt8]) {
        let formatted: [UInt8]
        do { formatted = try content.formattedBytes() } catch { throw .content(error) }
        let digest = digestOf(formatted)
        guard encryption else {
            let object = JSONObject([("content", content.json), ("digest", .string(String(decoding: digest, as: UTF8.self)))])
            return (formatted, digest, Array(JSONValue.object(object).serialized().utf8))
        }
        let encrypt = try cipher()
        // Exactly this text: the terminal's reader takes unquoted keys and single quotes.
        var envelope = Array("{content:".utf8)
        envelope.reserveCapacity(formatted.count + digest.count + 24)
        envelope += formatted
        envelope += ", digest:'".utf8
        envelope += digest
        envelope += "'}".utf8
        var body: [UInt8] = [UInt8(ascii: "\"")]
        body += Base64.encode(encrypt(envelope))
        body.append(UInt8(ascii: "\""))
        return (formatted, digest, body)
    }
}

/// A request body as the terminal received it.
public struct DecodedEnvelope: Sendable, Hashable {
    public enum Form: String, Sendable {
        /// Base64 ciphertext inside a JSON string literal (what qfecr sends).
        case encryptedQuoted
        /// Base64 ciphertext with no quotes around it.
        case encryptedBare
        /// Plain JSON or lenient envelope.
        case plain
    }

    public let content: Content
    public let digest: String
    public let form: Form

    public var wasEncrypted: Bool { form != .plain }

    /// Whether the digest was computed with this key; compared case-insensitively.
    public func digestMatches(posKey: String) -> Bool {
        guard let formatted = try? content.formatted() else { return false }
        let expected = Array(EnvelopeEncoder.digest(formattedContent: formatted, posKey: posKey).utf8)
        return constantTimeEquals(expected, Array(digest.uppercased().utf8))
    }
}

/// Reads every request form of PROTOCOL.md §2: Base64 with or without JSON quotes, the lenient
/// envelope, strict JSON with `content` as an object or as a JSON string.
public enum EnvelopeDecoder {
    public static func decode(_ body: [UInt8], posKey: String?) throws(EnvelopeError) -> DecodedEnvelope {
        let text = String(decoding: body, as: UTF8.self).trimmingSpaces
        guard !text.isEmpty else { throw .empty }
        if text.hasPrefix("{") {
            return try decodeEnvelopeText(text, form: .plain)
        }
        var base64 = text
        var form = DecodedEnvelope.Form.encryptedBare
        if text.hasPrefix("\"") {
            guard case .string(let inner)? = try? JSONParser.parse(text) else {
                throw .malformed("the body starts with a quote but is not a JSON string")
            }
            base64 = inner
            form = .encryptedQuoted
        }
        guard let posKey else { throw .encryptedWithoutKey }
        let cipher: AESCipher
        do { cipher = try AESCipher(posKey: posKey) } catch { throw .cipher(error) }
        let plaintext: [UInt8]
        do { plaintext = try cipher.decryptBase64(base64) } catch { throw .undecryptable(error) }
        return try decodeEnvelopeText(String(decoding: plaintext, as: UTF8.self), form: form)
    }

    private static func decodeEnvelopeText(_ text: String, form: DecodedEnvelope.Form) throws(EnvelopeError) -> DecodedEnvelope {
        let value: JSONValue
        do { value = try JSONParser.parse(text, lenient: true) } catch { throw .malformed(error.description) }
        guard case .object(let envelope) = value else { throw .malformed("the envelope is not an object") }
        guard let contentValue = envelope["content"] else { throw .missingContent }
        let contentObject: JSONObject
        switch contentValue {
        case .object(let o):
            contentObject = o
        case .string(let s):
            guard case .object(let o)? = try? JSONParser.parse(s, lenient: true) else {
                throw .malformed("content is a string that does not hold an object")
            }
            contentObject = o
        default:
            throw .malformed("content is neither an object nor a string")
        }
        guard let digest = envelope["digest"]?.stringValue, !digest.isEmpty else { throw .missingDigest }
        let content: Content
        do { content = try Content(json: contentObject) } catch { throw .content(error) }
        return DecodedEnvelope(content: content, digest: digest, form: form)
    }
}

public enum EnvelopeError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case malformed(String)
    case missingContent
    case missingDigest
    case encryptedWithoutKey
    case undecryptable(CipherError)
    case cipher(CipherError)
    case content(ContentError)
    case request(RequestError)

    public var description: String {
        switch self {
        case .empty: return "the body is empty"
        case .malformed(let detail): return "the envelope is malformed: \(detail)"
        case .missingContent: return "the envelope has no content"
        case .missingDigest: return "the envelope has no digest"
        case .encryptedWithoutKey: return "the body is encrypted: set QFECR_KEY to the POS-KEY to read it"
        case .undecryptable(let e): return "the body could not be decrypted: \(e.description)"
        case .cipher(let e): return e.description
        case .content(let e): return e.description
        case .request(let e): return e.description
        }
    }
}
