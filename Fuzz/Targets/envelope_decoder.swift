import ECRProtocol

// Request bodies as the simulated terminal reads them: every form of PROTOCOL.md §2. Inputs that
// start with a quote or Base64 go through AES with the test key, so decrypted garbage is reached too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelopeDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    if let envelope = try? EnvelopeDecoder.decode(bytes, posKey: "f46b1f08bec1f39104792cc79ec9aacd") {
        _ = envelope.digestMatches(posKey: "f46b1f08bec1f39104792cc79ec9aacd")
        roundTrip(envelope.content)
    }
    _ = try? EnvelopeDecoder.decode(bytes, posKey: nil)
    return 0
}

/// Content the decoder accepted, encoded again (encrypted and plain), must decode to the same
/// content with a digest that matches. The encrypted form carries the formatted content, where a
/// null is written `''` (PROTOCOL.md §1) and so reads back as an empty string: there, the same
/// formatted content is what must come back.
private func roundTrip(_ content: Content) {
    let key = "f46b1f08bec1f39104792cc79ec9aacd"
    for encryption in [true, false] {
        guard let encoded = try? EnvelopeEncoder.encode(content, posKey: key, encryption: encryption) else { return }
        guard let decoded = try? EnvelopeDecoder.decode(Array(encoded.body.utf8), posKey: key) else {
            fatalError("an encoded envelope did not decode: \(encoded.body)")
        }
        let same = encryption ? (try? decoded.content.formatted()) == (try? content.formatted()) : decoded.content == content
        if !same { fatalError("an envelope came back different: \(content) → \(decoded.content)") }
        if !decoded.digestMatches(posKey: key) { fatalError("the digest of a re-encoded envelope does not match: \(encoded.body)") }
    }
}
