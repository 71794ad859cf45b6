import ECRProtocol

// Request bodies as the simulated terminal reads them: every form of PROTOCOL.md §2. Inputs that
// start with a quote or Base64 go through AES with the test key, so decrypted garbage is reached too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEnvelopeDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let envelope = try? EnvelopeDecoder.decode(bytes, posKey: "f46b1f08bec1f39104792cc79ec9aacd") {
        _ = envelope.digestMatches(posKey: "f46b1f08bec1f39104792cc79ec9aacd")
        _ = try? envelope.content.formatted()
    }
    _ = try? EnvelopeDecoder.decode(bytes, posKey: nil)
    return 0
}
