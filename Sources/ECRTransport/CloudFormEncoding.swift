/// `application/x-www-form-urlencoded` bodies for the ECR Cloud. The signature is made over the raw
/// values (PROTOCOL.md §7); only the body is percent-encoded.
enum CloudFormEncoding {
    /// `k=v&k=v`, names sorted as the signature sorts them, every byte but A–Z a–z 0–9 - . _ ~ percent-encoded.
    static func encode(_ parameters: [String: String]) -> [UInt8] {
        let pairs = parameters.keys.sorted().map { "\(escape($0))=\(escape(parameters[$0]!))" }
        return Array(pairs.joined(separator: "&").utf8)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if isUnreserved(byte) {
                out.append(Character(Unicode.Scalar(byte)))
            } else {
                out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0x0F, radix: 16, uppercase: true)
            }
        }
        return out
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
    }
}
