import Foundation

/// A captured body or packet data read back whichever way it went: a request (the register's
/// envelope) or an answer (the terminal's `respcd` object), plain or encrypted. For `qfecr decode`
/// and the `--trace` file.
public enum WireMessageDecoding: Sendable, Equatable {
    case request(WireDecoding)
    case answer(AnswerDecoding)

    /// A request's digest that does not match the POS-KEY (the terminal would answer 4003).
    public var digestDiffers: Bool {
        if case .request(let request) = self { return request.digest == .differs }
        return false
    }

    public var lines: [String] {
        switch self {
        case .request(let request): return request.lines
        case .answer(let answer): return answer.lines
        }
    }

    public static func inspect(_ body: [UInt8], posKey: String?) throws(WireMessageError) -> WireMessageDecoding {
        let text = String(decoding: body, as: UTF8.self).trimmingSpaces
        guard !text.isEmpty else { throw .empty }
        let isAnswer: Bool
        if text.hasPrefix("{") {
            guard case .object(let object)? = try? JSONParser.parse(text, lenient: true) else {
                throw .notAMessage(preview: preview(text), why: "it starts like JSON but does not parse as an object")
            }
            guard object["respcd"] != nil || object["content"] != nil else {
                throw .notAMessage(preview: preview(text), why: "it is a JSON object with neither content (a request) nor respcd (an answer)")
            }
            isAnswer = object["respcd"] != nil
        } else {
            var base64 = text
            if text.hasPrefix("\"") {
                guard case .string(let inner)? = try? JSONParser.parse(text) else {
                    throw .notAMessage(preview: preview(text), why: "it starts with a quote but is not a JSON string")
                }
                base64 = inner
            }
            guard Data(base64Encoded: base64) != nil else {
                throw .notAMessage(preview: preview(text), why: "it is neither JSON nor Base64 text")
            }
            guard let posKey else { throw .encryptedWithoutKey }
            let plain: [UInt8]
            do { plain = try AESCipher(posKey: posKey).decryptBase64(base64) } catch { throw .undecryptable(error) }
            guard case .object(let object)? = try? JSONParser.parse(plain, lenient: true) else {
                throw .notAMessage(preview: preview(String(decoding: plain, as: UTF8.self)), why: "it decrypts to something that is not an object")
            }
            isAnswer = object["respcd"] != nil
        }
        if isAnswer {
            do { return .answer(AnswerDecoding(try ResponseDecoder.decode(body, posKey: posKey))) } catch { throw .answer(error) }
        }
        do { return .request(try WireDecoding.inspect(body: body, posKey: posKey)) } catch { throw .request(error) }
    }

    private static func preview(_ text: String) -> String {
        let cut = String(text.prefix(40))
        return cut.count < text.count ? cut + "…" : cut
    }
}

/// What `qfecr decode` and the trace print about a terminal's answer.
public struct AnswerDecoding: Sendable, Equatable {
    public let response: ECRResponse

    public init(_ response: ECRResponse) { self.response = response }

    public var lines: [String] {
        var out = ["form: " + (response.wasEncrypted ? "encrypted" : "plain") + " answer",
                   "answer: \(response.statusLine)"]
        if !response.respmsg.isEmpty { out.append("respmsg: \(response.respmsg)") }
        if !response.resperr.isEmpty { out.append("resperr: \(response.resperr)") }
        // `data` is JSON inside a string on the wire; shown as the object it holds.
        var expanded = response.raw
        if let record = response.data { expanded["data"] = .object(record.fields) }
        out.append("json: " + JSONValue.object(expanded).serialized())
        return out
    }
}

public enum WireMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case notAMessage(preview: String, why: String)
    case encryptedWithoutKey
    case undecryptable(CipherError)
    case request(EnvelopeError)
    case answer(ResponseError)

    public var description: String {
        switch self {
        case .empty: return "the body is empty"
        case .notAMessage(let preview, let why):
            return "'\(preview)' is not a terminal request or answer (\(why)): expected JSON ({\"content\":…} or {\"respcd\":…}) or Base64 text, quoted or bare"
        case .encryptedWithoutKey: return "the body is encrypted: set QFECR_KEY to the POS-KEY to read it"
        case .undecryptable(let error): return "the body could not be decrypted with the POS-KEY in QFECR_KEY: \(error.description)"
        case .request(let error): return error.description
        case .answer(let error): return error.description
        }
    }
}
