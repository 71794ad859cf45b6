import Foundation

/// What a technician needs to know about one certificate of a chain: who it is for, who signed it,
/// when it is valid, its fingerprint and the names/addresses it covers.
public struct CertificateInfo: Sendable, Hashable {
    /// Distinguished name, most specific first: `CN=QFECR, OU=QF IT, O=QF, L=Kwoloon, ST=Hong Kong, C=HK`.
    public let subject: String
    public let issuer: String
    public let subjectCommonName: String?
    public let notBefore: Date
    public let notAfter: Date
    public let sha256: CertificateFingerprint
    public let subjectAlternativeNames: [SubjectAlternativeName]
    /// basicConstraints CA:TRUE.
    public let isCertificateAuthority: Bool
    /// Issued by itself (a root, or a lone self-signed leaf).
    public let isSelfSigned: Bool
    /// Serial number in uppercase hex.
    public let serialNumber: String

    public init(
        subject: String, issuer: String, subjectCommonName: String?, notBefore: Date, notAfter: Date,
        sha256: CertificateFingerprint, subjectAlternativeNames: [SubjectAlternativeName],
        isCertificateAuthority: Bool, isSelfSigned: Bool, serialNumber: String
    ) {
        self.subject = subject
        self.issuer = issuer
        self.subjectCommonName = subjectCommonName
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.sha256 = sha256
        self.subjectAlternativeNames = subjectAlternativeNames
        self.isCertificateAuthority = isCertificateAuthority
        self.isSelfSigned = isSelfSigned
        self.serialNumber = serialNumber
    }

    public func isValid(at date: Date) -> Bool { notBefore <= date && date <= notAfter }

    /// A short name for messages: the CN when there is one, else the whole subject.
    public var displayName: String { subjectCommonName.map { "CN=\($0)" } ?? subject }

    /// Lines for `qfecr doctor` and logs, one fact per line, no trailing newline.
    public var reportLines: [String] {
        var lines = [
            "subject     \(subject)",
            "issuer      \(issuer)",
            "valid       \(CertificateInfo.format(notBefore)) → \(CertificateInfo.format(notAfter))",
            "SHA-256     \(sha256.colonHex)",
        ]
        if !subjectAlternativeNames.isEmpty {
            lines.append("SANs        " + subjectAlternativeNames.map(\.description).joined(separator: ", "))
        }
        if isCertificateAuthority || isSelfSigned {
            lines.append("role        " + [isCertificateAuthority ? "CA" : nil, isSelfSigned ? "self-signed" : nil]
                .compactMap { $0 }.joined(separator: ", "))
        }
        return lines
    }

    /// `2045-07-25 09:09:04 UTC`: certificates speak UTC, so the report does too.
    public static func format(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: date)
    }
}

/// One subjectAltName entry.
public enum SubjectAlternativeName: Sendable, Hashable, CustomStringConvertible {
    case dns(String)
    /// Textual IPv4 or IPv6 address.
    case ipAddress(String)
    case email(String)
    case uri(String)
    /// A kind this report does not decode (otherName, directoryName, …).
    case other(kind: Int32)

    public var description: String {
        switch self {
        case .dns(let name): return "DNS \(name)"
        case .ipAddress(let address): return "IP \(address)"
        case .email(let address): return "email \(address)"
        case .uri(let uri): return "URI \(uri)"
        case .other(let kind): return "other(type \(kind))"
        }
    }
}
