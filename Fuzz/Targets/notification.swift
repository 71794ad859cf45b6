// The configuration (and `Secret`) live in ECRConfiguration where it exists, in ECREngine before.
#if canImport(ECRConfiguration)
import ECRConfiguration
#endif
import ECREngine
import ECRProtocol
import ECRTransport

// A notification POST as the receiver examines it: the signature check on arbitrary bodies and
// signatures, and the body reader on bodies that are correctly signed.
private let key = Secret("fuzz-notification-key-0123456789")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzNotificationParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    // The input's first line is taken as the signature header, the rest as the body.
    let newline = bytes.firstIndex(of: 0x0A) ?? 0
    let claimed = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = Array(bytes[min(newline + 1, bytes.count)...])
    for signature in [claimed, NotificationSignature.sign(body: body, notificationKey: key.revealed)] {
        let request = HTTPRequest(method: "POST", target: "/notify", headers: ["X-QF-SIGN": signature], body: body)
        let (response, event) = NotificationReceiver.examine(request, notificationKey: key, peer: "fuzz")
        if case .accepted = event, response.status != 200 { fatalError("accepted but answered \(response.status)") }
        if case .refused = event, response.status == 200 { fatalError("refused but answered 200") }
        _ = event.logLine
    }
    return 0
}
