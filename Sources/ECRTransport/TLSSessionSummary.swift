/// What a completed handshake negotiated and what the peer showed, for `qfecr doctor` and the log.
public struct TLSSessionSummary: Sendable, Hashable {
    /// `TLSv1.2`, `TLSv1.3`.
    public let protocolVersion: String
    /// OpenSSL's cipher suite name, e.g. `TLS_AES_256_GCM_SHA384`.
    public let cipher: String
    /// The certificates the server sent, in the order sent (leaf first). Empty on the server side:
    /// clients are not asked for certificates.
    public let presentedChain: [CertificateInfo]
    /// The chain as verified, leaf first, ending in the trust anchor. Empty on the server side.
    public let verifiedChain: [CertificateInfo]
    /// The SNI name: what the client sent (client side) or asked for (server side); nil for IP hosts.
    public let serverName: String?

    public init(protocolVersion: String, cipher: String, presentedChain: [CertificateInfo],
                verifiedChain: [CertificateInfo], serverName: String?) {
        self.protocolVersion = protocolVersion
        self.cipher = cipher
        self.presentedChain = presentedChain
        self.verifiedChain = verifiedChain
        self.serverName = serverName
    }

    /// The protocol and cipher, then each certificate the terminal showed, a line each, as the
    /// `--trace` file and the console's export write them. `text` fits a certificate's own words
    /// (the terminal's, untrusted) to one line.
    public func lines(fitting text: (String) -> String) -> [String] {
        var lines: [String] = []
        if !protocolVersion.isEmpty { lines.append("\(protocolVersion) \(cipher)") }
        for (depth, certificate) in presentedChain.enumerated() {
            lines.append("certificate \(depth): subject \(text(certificate.subject)); issuer \(text(certificate.issuer)); "
                + "valid \(CertificateInfo.format(certificate.notBefore)) → \(CertificateInfo.format(certificate.notAfter)); "
                + "SHA-256 \(certificate.sha256.colonHex)")
        }
        return lines
    }

    /// `protocol`, `cipher`, then each verified (else presented) certificate as an indented block.
    public var reportLines: [String] {
        var lines = ["protocol    \(protocolVersion)", "cipher      \(cipher)"]
        if let serverName { lines.append("SNI         \(serverName)") }
        let chain = verifiedChain.isEmpty ? presentedChain : verifiedChain
        for (depth, certificate) in chain.enumerated() {
            lines.append("certificate \(depth)")
            lines.append(contentsOf: certificate.reportLines.map { "  " + $0 })
        }
        return lines
    }
}
