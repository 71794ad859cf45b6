import ECRProtocol

// Terminal answers: plain JSON first, else Base64 + AES with the test key, then the `data` record.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    if let response = try? ResponseDecoder.decode(bytes, posKey: "f46b1f08bec1f39104792cc79ec9aacd") {
        _ = response.meaning(in: .english)
        _ = response.meaning(in: .traditionalChinese)
        _ = response.data?.text("txamt")
        // Written out as the simulator answers, it must read back as the same answer.
        guard let again = try? ResponseDecoder.decode(Array(response.serialized().utf8), posKey: nil) else {
            fatalError("a serialized answer did not decode: \(response.serialized())")
        }
        // The same codes and words; numbers may have lost leading zeros once, so the record is
        // compared by its status and by its text, which must not change a second time.
        if again.outer != response.outer || again.respmsg != response.respmsg || again.resperr != response.resperr
            || again.data?.status != response.data?.status || again.serialized() != response.serialized() {
            fatalError("a serialized answer read back differently: \(response) → \(again)")
        }
    }
    // Any JSON the parser accepts, written out strictly, must parse, and read back and written out
    // again give the same text (a lenient literal may become a string once, no more).
    if let value = try? JSONParser.parse(bytes, lenient: bytes.first.map { $0 & 1 == 1 } ?? false) {
        let text = value.serialized()
        guard let again = try? JSONParser.parse(text) else { fatalError("serialized JSON did not parse: \(text)") }
        if again.serialized() != text { fatalError("JSON read back differently: \(text) → \(again.serialized())") }
    }
    return 0
}
