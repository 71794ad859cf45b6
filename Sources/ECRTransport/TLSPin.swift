import Foundation

/// Which certificate of the verified chain a pinned fingerprint must match.
public enum TLSPinTarget: String, Sendable, Hashable, CaseIterable {
    /// The trust anchor the chain ends in.
    case root
    /// The terminal's own certificate.
    case leaf
    /// Any certificate of the verified chain.
    case anyInChain = "any"
}

/// A check made after the chain verified against the trust store. The default is QFPay's QFECR root,
/// so that neither another public CA nor a forgotten install can stand in for it (PROTOCOL.md §5).
/// `.none` exists only for a user who asks for it; nothing in the code falls back to it.
public enum TLSPin: Sendable, Hashable, CustomStringConvertible {
    case qfecrRoot
    case sha256(TLSPinTarget, CertificateFingerprint)
    case none

    /// The target and fingerprint to compare, or nil for `.none`.
    public var requirement: (target: TLSPinTarget, fingerprint: CertificateFingerprint)? {
        switch self {
        case .qfecrRoot: return (.root, .qfecrRoot)
        case .sha256(let target, let fingerprint): return (target, fingerprint)
        case .none: return nil
        }
    }

    /// Whether a verified chain (leaf first, root last) satisfies the pin.
    public func accepts(verifiedChain fingerprints: [CertificateFingerprint]) -> Bool {
        guard let (target, expected) = requirement else { return true }
        switch target {
        case .root: return fingerprints.last == expected
        case .leaf: return fingerprints.first == expected
        case .anyInChain: return fingerprints.contains(expected)
        }
    }

    /// Parses a `--pin` value: `qfecr`, `none`, `root:FP`, `leaf:FP`, `any:FP`, or a bare `FP` (= root).
    public init?(argument: String) {
        let text = argument.trimmingCharacters(in: .whitespaces)
        switch text.lowercased() {
        case "qfecr", "qfecr-root": self = .qfecrRoot; return
        case "none": self = .none; return
        default: break
        }
        for target in TLSPinTarget.allCases where text.lowercased().hasPrefix(target.rawValue + ":") {
            guard let fingerprint = CertificateFingerprint(String(text.dropFirst(target.rawValue.count + 1))) else {
                return nil
            }
            self = .sha256(target, fingerprint)
            return
        }
        guard let fingerprint = CertificateFingerprint(text) else { return nil }
        self = .sha256(.root, fingerprint)
    }

    public var description: String {
        switch self {
        case .qfecrRoot: return "QFPay QFECR root \(CertificateFingerprint.qfecrRoot)"
        case .sha256(let target, let fingerprint):
            switch target {
            case .root: return "root \(fingerprint)"
            case .leaf: return "leaf \(fingerprint)"
            case .anyInChain: return "any certificate in the chain \(fingerprint)"
            }
        case .none: return "none (turned off by the user)"
        }
    }
}
