
/// What `qfecr encode` prints: the exact bytes a request becomes, line by line.
public struct WireEncoding: Sendable, Equatable {
    public let encoded: EncodedRequest
    public let packetHex: String?

    public init(encoded: EncodedRequest, packetHex: String?) {
        self.encoded = encoded
        self.packetHex = packetHex
    }

    public var lines: [String] {
        var out = ["content: \(encoded.formattedContent)", "digest: \(encoded.digest)", "body: \(encoded.body)"]
        if let packetHex { out.append("packet: \(packetHex)") }
        return out
    }
}

/// What `qfecr decode` prints about a captured body or packet.
public struct WireDecoding: Sendable, Equatable {
    public enum DigestVerdict: Sendable, Equatable {
        case matches
        case differs
        case noKey
    }

    public let envelope: DecodedEnvelope
    public let request: Result<ECRRequest, RequestError>
    public let digest: DigestVerdict

    public var lines: [String] {
        var out: [String] = []
        out.append("form: " + (envelope.wasEncrypted ? "encrypted (\(envelope.form.rawValue))" : "plain"))
        out.append("content: " + ((try? envelope.content.formatted()) ?? JSONValue(envelope.content).serialized()))
        switch request {
        case .success(let r): out.append("operation: \(r.operation.displayName) (func_type \(r.operation.funcType))")
        case .failure(let e): out.append("operation: not a valid request: \(e.description)")
        }
        switch digest {
        case .matches: out.append("digest: \(envelope.digest) (matches the POS-KEY)")
        case .differs: out.append("digest: \(envelope.digest) (DOES NOT match the POS-KEY: the terminal would answer 4003)")
        case .noKey: out.append("digest: \(envelope.digest) (not checked: set QFECR_KEY to check it)")
        }
        return out
    }

    public static func inspect(body: [UInt8], posKey: String?) throws(EnvelopeError) -> WireDecoding {
        let envelope = try EnvelopeDecoder.decode(body, posKey: posKey)
        let request: Result<ECRRequest, RequestError>
        do { request = .success(try ECRRequest(content: envelope.content)) } catch { request = .failure(error) }
        let verdict: DigestVerdict
        if let posKey { verdict = envelope.digestMatches(posKey: posKey) ? .matches : .differs } else { verdict = .noKey }
        return WireDecoding(envelope: envelope, request: request, digest: verdict)
    }
}

extension JSONValue {
    init(_ content: Content) { self = content.json }
}
