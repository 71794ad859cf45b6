import ECRProtocol

// Terminal answers: plain JSON first, else Base64 + AES with the test key, then the `data` record.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzResponseDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let response = try? ResponseDecoder.decode(bytes, posKey: "f46b1f08bec1f39104792cc79ec9aacd") {
        _ = response.meaning(in: .english)
        _ = response.meaning(in: .traditionalChinese)
        _ = response.serialized()
        _ = response.data?.text("txamt")
    }
    return 0
}
