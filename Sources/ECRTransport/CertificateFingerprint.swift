import Foundation

/// A certificate's SHA-256 fingerprint: the digest of its DER encoding.
/// Shown as colon-separated uppercase hex, the form `openssl x509 -fingerprint -sha256` prints.
public struct CertificateFingerprint: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// Accepts the forms QFPay's set-up guide and common tools print: `9C:0F:…`, `9C 0F …`,
    /// `9c0fa4…`, optionally prefixed `SHA256=` or `SHA-256=`.
    public init?(_ text: String) {
        var body = Substring(text.trimmingCharacters(in: .whitespacesAndNewlines))
        for prefix in ["SHA256=", "SHA-256=", "sha256=", "sha-256=", "sha256:", "SHA256:"] where body.hasPrefix(prefix) {
            body = body.dropFirst(prefix.count)
            break
        }
        let hexDigits = body.filter { $0 != ":" && $0 != " " }
        guard hexDigits.count == 64 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(32)
        var index = hexDigits.startIndex
        while index < hexDigits.endIndex {
            let next = hexDigits.index(index, offsetBy: 2)
            guard let byte = UInt8(hexDigits[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        self.bytes = result
    }

    /// `9C:0F:A4:…` — uppercase, colon-separated.
    public var colonHex: String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: ":")
    }

    public var description: String { colonHex }

    /// QFPay's ECR root `CN=QFECR` (`ca3.crt`, PROTOCOL.md §5). The project does not ship the
    /// certificate itself, only this fingerprint, which is what the default trust policy pins.
    public static let qfecrRoot = CertificateFingerprint(
        "9C:0F:A4:04:C5:9F:D7:A2:7E:A3:1F:6B:96:F4:74:01:1B:3F:86:8A:A0:84:61:47:4D:75:69:ED:63:0D:32:C3"
    )!
}
