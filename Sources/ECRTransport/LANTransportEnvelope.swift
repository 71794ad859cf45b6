import ECRProtocol

/// What every LAN transport (HTTP, HTTPS, TCP, serial) puts on the wire and how it reads answers:
/// the envelope of PROTOCOL.md §1–2 under the terminal's POS-KEY.
struct LANTransportEnvelope: Sendable {
    /// The POS-KEY: only for the digest, the cipher and masking. Never in a message.
    let posKey: String
    let encryption: Bool
    /// The key made ready once for every request; nil for a key AES cannot take, which the
    /// one-off encoder then reports.
    private let key: EnvelopeKey?

    init(posKey: String, encryption: Bool) {
        self.posKey = posKey
        self.encryption = encryption
        key = EnvelopeKey(posKey: posKey)
    }

    /// The HTTP body / packet data for `request`. A request that cannot be encoded is never sent.
    func body(for request: ECRRequest) throws(TransportFailure) -> [UInt8] {
        do {
            if let key { return try EnvelopeEncoder.body(request, key: key, encryption: encryption) }
            return Array(try EnvelopeEncoder.encode(request, posKey: posKey, encryption: encryption).body.utf8)
        } catch {
            throw .notSent("Not sent: the \(request.operation.displayName) cannot be encoded: \(error.description).", kind: .invalidRequest)
        }
    }

    func decode(_ bytes: [UInt8]) throws(ResponseError) -> ECRResponse {
        try ResponseDecoder.decode(bytes, posKey: posKey)
    }

    /// An answer that arrived but cannot be read: the request went out, so the outcome is unknown.
    static func unreadable(_ error: ResponseError, from endpoint: String, detail: String = "") -> TransportFailure {
        let kind: FailureKind
        switch error {
        case .encryptedWithoutKey, .undecryptable: kind = .undecryptable
        case .empty, .garbled, .missingStatus, .badData: kind = .garbled
        }
        return .unknown("\(endpoint) sent an answer that cannot be read\(detail): \(error.description)." + IOFailure.mayHaveArrived,
                        kind: kind)
    }
}
