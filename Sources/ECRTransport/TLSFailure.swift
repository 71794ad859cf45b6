import Foundation

/// Which step of a TLS session failed.
public enum TLSPhase: String, Sendable, Hashable {
    case handshake, read, write, shutdown
}

/// Why a TLS session could not be set up or used, in terms a technician can act on.
/// Certificate failures carry the chain the peer presented, so `qfecr doctor` can show it.
public enum TLSFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// The presented chain does not lead to a root in the trust store.
    case untrustedChain(presented: [CertificateInfo], trust: TLSTrustSource, reason: String)
    /// `certificate` (the leaf or a CA of the chain) is past its notAfter.
    case certificateExpired(certificate: CertificateInfo, presented: [CertificateInfo])
    /// `certificate` is before its notBefore.
    case certificateNotYetValid(certificate: CertificateInfo, presented: [CertificateInfo])
    /// The chain verified against the store but does not satisfy the pin.
    case pinMismatch(expected: TLSPin, verifiedChain: [CertificateInfo])
    /// Hostname verification is on and the leaf names neither this IP nor this host.
    case hostnameMismatch(host: String, certificate: CertificateInfo, presented: [CertificateInfo])
    /// Any other verification failure (bad signature, wrong key usage, …), with OpenSSL's reason.
    case certificateRejected(reason: String, certificate: CertificateInfo?, presented: [CertificateInfo])
    /// The terminal offers only TLS 1.0 or 1.1, below the TLS 1.2 floor, with OpenSSL's reason string.
    case protocolTooOld(reason: String)
    /// The handshake failed for a reason other than the certificate, with OpenSSL's reason string.
    case handshakeFailed(reason: String)
    case peerClosedDuringHandshake(detail: String)
    case timedOut(TLSPhase)
    /// The transport failed after the handshake (reset, broken pipe).
    case connectionLost(TLSPhase, reason: String)
    /// The peer sent something TLS does not allow after the handshake.
    case protocolError(TLSPhase, reason: String)
    case trustStoreUnusable(TLSTrustSource, reason: String)
    case serverCredentialsUnusable(reason: String)
    /// The stream was used after `close()`.
    case closed

    /// False for every failure before the handshake completed: nothing of a request is written until
    /// then, so the terminal cannot have acted on it. True once reading or writing had begun.
    public var requestMayHaveReachedPeer: Bool {
        switch self {
        case .timedOut(let phase), .connectionLost(let phase, _), .protocolError(let phase, _):
            return phase != .handshake
        default:
            return false
        }
    }

    /// The certificates the peer sent (leaf first), when the failure is about them.
    public var presentedChain: [CertificateInfo] {
        switch self {
        case .untrustedChain(let chain, _, _), .certificateExpired(_, let chain), .certificateNotYetValid(_, let chain),
             .pinMismatch(_, let chain), .hostnameMismatch(_, _, let chain), .certificateRejected(_, _, let chain):
            return chain
        default:
            return []
        }
    }

    public var description: String { message }

    /// What went wrong and what to do, naming flags, as the command line says it.
    public var message: String { message(naming: .flags) }

    /// What went wrong and what to do, with the settings to change named as the reader changes them.
    public func message(naming: SettingNaming) -> String {
        switch self {
        case .untrustedChain(let presented, let trust, let reason):
            return TLSFailureText.untrusted(presented: presented, trust: trust, reason: reason, naming: naming)
        case .certificateExpired(let certificate, let presented):
            let role = TLSFailureText.role(of: certificate, in: presented)
            return "The \(role) \(certificate.displayName) expired on \(CertificateInfo.format(certificate.notAfter)) "
                + "(SHA-256 \(certificate.sha256)); this till's clock says \(CertificateInfo.format(Date())). "
                + "Check the till's date and time; if they are right, the certificate must be renewed on the terminal "
                + "(POS: Settings → ECR Status)."
        case .certificateNotYetValid(let certificate, let presented):
            let role = TLSFailureText.role(of: certificate, in: presented)
            return "The \(role) \(certificate.displayName) is not valid before \(CertificateInfo.format(certificate.notBefore)); "
                + "this till's clock says \(CertificateInfo.format(Date())). Check the date and time on the till and on the terminal."
        case .pinMismatch(let expected, let chain):
            return TLSFailureText.pinMismatch(expected: expected, chain: chain, naming: naming)
        case .hostnameMismatch(let host, let certificate, _):
            let names = certificate.subjectAlternativeNames.isEmpty
                ? "no subjectAltName at all"
                : certificate.subjectAlternativeNames.map(\.description).joined(separator: ", ")
            return "The terminal's certificate \(certificate.displayName) does not cover \(host): it names \(names). "
                + "Connect to an address it names, or turn hostname verification off "
                + "(the default: QFPay terminal certificates are not known to carry their IP)."
        case .certificateRejected(let reason, let certificate, _):
            let which = certificate.map { " \($0.displayName) (SHA-256 \($0.sha256))" } ?? ""
            return "The terminal's certificate\(which) was rejected: \(reason)."
        case .protocolTooOld(let reason):
            return "The terminal offers only a TLS version older than 1.2 (\(reason)); qfecr refuses TLS 1.0 and 1.1. "
                + "Update the terminal's ECR app (HTTPS needs 4.34.12 or later), or "
                + (naming.usesLine("transport") ? "set transport = http" : "use --transport http") + " on a trusted LAN."
        case .handshakeFailed(let reason):
            return "TLS handshake failed: \(reason). Check that HTTPS mode is on for this terminal "
                + "(MMS device setting, then POS: Settings → ECR Status) and that host and port are right."
        case .peerClosedDuringHandshake(let detail):
            return "The terminal closed the connection during the TLS handshake (\(detail)). "
                + "It may not have HTTPS mode on (POS: Settings → ECR Status), or it refused TLS 1.2+."
        case .timedOut(.handshake):
            return "No TLS handshake answer before the deadline. The terminal may not have HTTPS mode on, "
                + "may be busy, or a firewall/Wi-Fi isolation may drop the traffic. Nothing of the request was sent."
        case .timedOut(let phase):
            return "Timed out during TLS \(phase.rawValue)."
        case .connectionLost(let phase, let reason):
            return "The TLS connection was lost during \(phase.rawValue): \(reason)."
        case .protocolError(let phase, let reason):
            return "TLS protocol error during \(phase.rawValue): \(reason)."
        case .trustStoreUnusable(let trust, let reason):
            return "Cannot use \(trust) as the TLS trust store: \(reason)."
        case .serverCredentialsUnusable(let reason):
            return "Cannot load the TLS server certificate and key: \(reason)."
        case .closed:
            return "The TLS stream was already closed."
        }
    }
}

/// The longer messages, kept apart so `TLSFailure` reads as a list of cases.
enum TLSFailureText {
    static let qfecrRootName = "QFPay's QFECR root (ca3.crt, SHA-256 \(CertificateFingerprint.qfecrRoot))"

    static func installHint(_ naming: SettingNaming) -> String {
        "install \(qfecrRootName) as QFPay's HTTPS set-up guide says — on Debian copy it to "
            + "/usr/local/share/ca-certificates/qfecr-ca3.crt and run `sudo update-ca-certificates` — "
            + (naming.usesLine("ca_file") ? "or set ca_file = FILE in the configuration file, FILE holding"
                                          : "or pass --ca FILE with")
            + " the CA that signed the terminal's certificate"
    }

    static func untrusted(presented: [CertificateInfo], trust: TLSTrustSource, reason: String, naming: SettingNaming) -> String {
        guard let top = chainTop(presented) else {
            return "The terminal presented no certificate (\(reason))."
        }
        let shown: String
        if top.isSelfSigned {
            shown = "its chain ends in the root \(top.displayName), SHA-256 \(top.sha256), which \(trust) does not hold"
        } else {
            shown = "its chain ends at \(top.displayName) (SHA-256 \(top.sha256)), issued by \(top.issuer), "
                + "which was not presented and is not in \(trust)"
        }
        let hint: String
        if top.sha256 == .qfecrRoot || top.issuer == qfecrSubject {
            hint = "It is QFPay's root that is missing here: " + installHint(naming) + "."
        } else if case .caFile = trust {
            let (point, drop) = naming.usesLine("ca_file") ? ("Set ca_file to", "remove the ca_file line") : ("Pass --ca with", "drop --ca")
            hint = "\(point) the file holding the root that signed this certificate "
                + "(for a QFPay terminal: \(qfecrRootName)), or install that root in the system store and \(drop)."
        } else {
            hint = "For a QFPay terminal, " + installHint(naming) + "."
        }
        return "The terminal's certificate is not trusted: \(shown) (\(reason)). \(hint)"
    }

    static func pinMismatch(expected: TLSPin, chain: [CertificateInfo], naming: SettingNaming) -> String {
        guard let (target, fingerprint) = expected.requirement else { return "Pin mismatch." }
        let got: String
        switch target {
        case .root: got = chain.last.map { "the chain ends in \($0.displayName), SHA-256 \($0.sha256)" } ?? "no chain"
        case .leaf: got = chain.first.map { "the leaf is \($0.displayName), SHA-256 \($0.sha256)" } ?? "no chain"
        case .anyInChain:
            got = "the chain holds " + chain.map { "\($0.displayName) SHA-256 \($0.sha256)" }.joined(separator: "; ")
        }
        let wanted = expected == .qfecrRoot ? "QFPay's QFECR root, SHA-256 \(fingerprint)" : "\(target.rawValue) SHA-256 \(fingerprint)"
        // The pin that would accept what was shown: the leaf for a leaf pin, else the chain's root.
        let shown = target == .leaf ? chain.first : chain.last
        let pin = naming.setting("pin", shown.map { "\(target == .leaf ? "leaf" : "root"):\($0.sha256)" } ?? "root:<its SHA-256>")
        return "The terminal's chain is trusted but fails the pin: expected \(wanted); \(got). "
            + "If that certificate is the one you expect (check its fingerprint with the terminal's owner), "
            + (naming.usesLine("pin") ? "set \(pin) in the configuration file." : "pass \(pin).")
    }

    /// QFPay's root as OpenSSL prints it, to recognise a leaf it signed even when the root was not sent.
    static let qfecrSubject = "CN=QFECR, OU=QF IT, O=QF, L=Kwoloon, ST=Hong Kong, C=HK"

    /// The top of the presented chain: follow issuer → subject from the leaf among what was sent.
    static func chainTop(_ presented: [CertificateInfo]) -> CertificateInfo? {
        guard var current = presented.first else { return nil }
        var visited = Set([current.sha256])
        while !current.isSelfSigned,
              let parent = presented.first(where: { $0.subject == current.issuer && !visited.contains($0.sha256) }) {
            visited.insert(parent.sha256)
            current = parent
        }
        return current
    }

    static func role(of certificate: CertificateInfo, in presented: [CertificateInfo]) -> String {
        if certificate == presented.first { return "terminal's certificate" }
        return certificate.isSelfSigned ? "root certificate" : "CA certificate"
    }
}
