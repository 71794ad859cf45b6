/// Signature algorithms of the ECR Cloud API (PROTOCOL.md §7).
public enum CloudSignatureAlgorithm: String, Sendable, Codable {
    case md5 = "MD5"
    case sha256 = "SHA256"

    var digest: MessageDigest { self == .md5 ? .md5 : .sha256 }
}

/// Signs and checks ECR Cloud requests: parameters sorted by name, `k=v` joined by `&` (raw, not
/// URL-encoded), client key appended, digest in UPPERCASE hex.
public enum CloudSignature {
    public static func signingText(_ parameters: [String: String]) -> String {
        parameters.keys
            .sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value } }
            .map { "\($0)=\(parameters[$0]!)" }
            .joined(separator: "&")
    }

    public static func sign(_ parameters: [String: String], clientKey: String,
                            algorithm: CloudSignatureAlgorithm = .md5) -> String {
        algorithm.digest.hexDigest(signingText(parameters) + clientKey)
    }

    public static func verify(_ parameters: [String: String], clientKey: String, signature: String,
                              algorithm: CloudSignatureAlgorithm = .md5) -> Bool {
        let expected = sign(parameters, clientKey: clientKey, algorithm: algorithm)
        return constantTimeEquals(Array(expected.utf8), Array(signature.uppercased().utf8))
    }
}

/// Signs and checks notifications QFPay posts to the merchant: `X-QF-SIGN` = UPPERCASE MD5(body + key).
public enum NotificationSignature {
    public static func sign(body: [UInt8], notificationKey: String) -> String {
        Hex.upper(MessageDigest.md5.hash(body + Array(notificationKey.utf8)))
    }

    public static func verify(body: [UInt8], notificationKey: String, signature: String) -> Bool {
        let expected = Array(sign(body: body, notificationKey: notificationKey).utf8)
        return constantTimeEquals(expected, Array(signature.trimmingSpaces.uppercased().utf8))
    }
}
