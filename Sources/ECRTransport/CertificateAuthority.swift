import COpenSSL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// When a generated certificate is valid. Tests move it into the past or future on purpose.
public struct CertificateValidity: Sendable, Hashable {
    public var notBefore: Date
    public var notAfter: Date

    public init(notBefore: Date, notAfter: Date) {
        self.notBefore = notBefore
        self.notAfter = notAfter
    }

    /// From an hour ago (a till's clock may lag the simulator's) for `days` days.
    public static func days(_ days: Int, from start: Date = Date()) -> CertificateValidity {
        CertificateValidity(notBefore: start.addingTimeInterval(-3600), notAfter: start.addingTimeInterval(Double(days) * 86_400))
    }
}

/// A certificate authority made on the spot (EC P-256, SHA-256) for the simulator's HTTPS port and for
/// tests, so that nothing depends on QFPay's real root. Held as PEM text, so it is a plain value.
public struct CertificateAuthority: Sendable, Hashable {
    public static let defaultCommonName = "qfecr simulator CA"

    public let certificatePEM: String
    public let privateKeyPEM: String
    public let certificate: CertificateInfo

    public static func generate(
        commonName: String = defaultCommonName, validity: CertificateValidity = .days(3650)
    ) throws -> CertificateAuthority {
        let key = try CertificateBuilder.generateKey()
        defer { EVP_PKEY_free(key) }
        let certificate = try CertificateBuilder.makeCertificate(
            commonName: commonName, key: key, signer: nil, validity: validity,
            extensions: [
                (NID_basic_constraints, "critical,CA:TRUE"),
                (NID_key_usage, "critical,keyCertSign,cRLSign"),
                (NID_subject_key_identifier, "hash"),
                (NID_authority_key_identifier, "keyid"),
            ]
        )
        defer { X509_free(certificate) }
        return CertificateAuthority(
            certificatePEM: try CertificateBuilder.pem(certificate: certificate),
            privateKeyPEM: try CertificateBuilder.pem(privateKey: key),
            certificate: CertificateDecoding.info(of: certificate)
        )
    }

    /// A leaf for a TLS server, signed by this CA. Its SANs are IP 127.0.0.1, IP ::1 and DNS localhost
    /// (unless `includeLoopback` is false), then `dnsNames` and `ipAddresses`.
    public func issue(
        commonName: String = "localhost", dnsNames: [String] = [], ipAddresses: [String] = [],
        includeLoopback: Bool = true, validity: CertificateValidity = .days(825)
    ) throws -> IssuedCertificate {
        let alternativeNames = try Self.subjectAlternativeNames(
            dnsNames: (includeLoopback ? ["localhost"] : []) + dnsNames,
            ipAddresses: (includeLoopback ? ["127.0.0.1", "::1"] : []) + ipAddresses
        )
        let signerKey = try CertificateBuilder.privateKey(fromPEM: privateKeyPEM)
        defer { EVP_PKEY_free(signerKey) }
        let signerCertificate = try CertificateBuilder.certificate(fromPEM: certificatePEM)
        defer { X509_free(signerCertificate) }
        let key = try CertificateBuilder.generateKey()
        defer { EVP_PKEY_free(key) }

        var extensions: [(nid: Int32, value: String)] = [
            (NID_basic_constraints, "critical,CA:FALSE"),
            (NID_key_usage, "critical,digitalSignature"),
            (NID_ext_key_usage, "serverAuth"),
            (NID_subject_key_identifier, "hash"),
            (NID_authority_key_identifier, "keyid"),
        ]
        if !alternativeNames.isEmpty {
            extensions.append((NID_subject_alt_name, alternativeNames.joined(separator: ",")))
        }
        let certificate = try CertificateBuilder.makeCertificate(
            commonName: commonName, key: key,
            signer: CertificateBuilder.Signer(certificate: signerCertificate, key: signerKey),
            validity: validity, extensions: extensions
        )
        defer { X509_free(certificate) }
        return IssuedCertificate(
            certificatePEM: try CertificateBuilder.pem(certificate: certificate),
            privateKeyPEM: try CertificateBuilder.pem(privateKey: key),
            issuerCertificatePEM: certificatePEM,
            certificate: CertificateDecoding.info(of: certificate)
        )
    }

    /// Writes the CA certificate (mode 0644) and, if a path is given, its key (mode 0600).
    public func write(certificateTo certificatePath: String, privateKeyTo keyPath: String? = nil) throws {
        try PEMFileWriter.write(certificatePEM, to: certificatePath, mode: 0o644)
        if let keyPath { try PEMFileWriter.write(privateKeyPEM, to: keyPath, mode: 0o600) }
    }

    /// OpenSSL config form (`IP:127.0.0.1,DNS:localhost`). Addresses are checked here so a typo is
    /// reported as such and not as an opaque OpenSSL failure.
    private static func subjectAlternativeNames(dnsNames: [String], ipAddresses: [String]) throws -> [String] {
        var seen = Set<String>()
        var entries: [String] = []
        for address in ipAddresses {
            guard TLSHost.isIPAddress(address) else { throw CertificateGenerationError.invalidIPAddress(address) }
            if seen.insert("IP:" + address).inserted { entries.append("IP:" + address) }
        }
        for name in dnsNames where !name.isEmpty && !name.contains(",") {
            if seen.insert("DNS:" + name).inserted { entries.append("DNS:" + name) }
        }
        return entries
    }
}

/// A leaf certificate, its key and the certificate of the CA that signed it.
public struct IssuedCertificate: Sendable, Hashable {
    public let certificatePEM: String
    public let privateKeyPEM: String
    public let issuerCertificatePEM: String
    public let certificate: CertificateInfo

    /// Writes the certificate (followed by the CA's when `includingCA`, mode 0644) and the key (mode 0600).
    public func write(certificateTo certificatePath: String, privateKeyTo keyPath: String, includingCA: Bool = true) throws {
        try PEMFileWriter.write(includingCA ? certificatePEM + issuerCertificatePEM : certificatePEM,
                                to: certificatePath, mode: 0o644)
        try PEMFileWriter.write(privateKeyPEM, to: keyPath, mode: 0o600)
    }
}

/// Writes PEM text with a given mode, also when the file already exists with a looser one.
enum PEMFileWriter {
    static func write(_ text: String, to path: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw CertificateGenerationError.writeFailed(path: path, reason: String(cString: strerror(errno))) }
        defer { _ = Glibc.close(descriptor) }
        // open() applies the umask and leaves an existing file's mode alone; the key must end up 0600.
        guard fchmod(descriptor, mode) == 0 else {
            throw CertificateGenerationError.writeFailed(path: path, reason: String(cString: strerror(errno)))
        }
        var remaining = Array(text.utf8)[...]
        while !remaining.isEmpty {
            let written = remaining.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                throw CertificateGenerationError.writeFailed(path: path, reason: String(cString: strerror(errno)))
            }
            remaining = remaining.dropFirst(written)
        }
    }
}
