import COpenSSL
import Foundation

/// The OpenSSL steps behind `CertificateAuthority`: key generation, certificate assembly, PEM output.
/// Every function returning an `OpaquePointer` hands over ownership; the caller frees it.
enum CertificateBuilder {
    /// A fresh EC P-256 key (`EVP_PKEY`).
    static func generateKey() throws -> OpaquePointer {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "EC", nil) else {
            throw CertificateGenerationError.openSSL(step: "create key context", reason: TLSOpenSSLErrors.drainedDescription(fallback: "no EC support"))
        }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1,
              EVP_PKEY_CTX_set_group_name(context, "P-256") == 1,
              EVP_PKEY_generate(context, &key) == 1, let key else {
            throw CertificateGenerationError.openSSL(step: "generate P-256 key", reason: TLSOpenSSLErrors.drainedDescription(fallback: "unknown"))
        }
        return key
    }

    struct Signer {
        let certificate: OpaquePointer
        let key: OpaquePointer
    }

    /// Assembles and signs an X.509 v3 certificate. `signer` nil means self-signed with `key`.
    /// Extensions are OpenSSL config strings by NID, applied in order (subjectKeyIdentifier must come
    /// before authorityKeyIdentifier, which reads it back from the issuer).
    static func makeCertificate(
        commonName: String, key: OpaquePointer, signer: Signer?, validity: CertificateValidity,
        extensions: [(nid: Int32, value: String)]
    ) throws -> OpaquePointer {
        guard let certificate = X509_new() else { throw failure("allocate certificate") }
        var handedOver = false
        defer { if !handedOver { X509_free(certificate) } }

        guard X509_set_version(certificate, 2) == 1 else { throw failure("set version 3") }
        try setRandomSerial(certificate)
        guard ASN1_TIME_set(X509_getm_notBefore(certificate), time_t(validity.notBefore.timeIntervalSince1970)) != nil,
              ASN1_TIME_set(X509_getm_notAfter(certificate), time_t(validity.notAfter.timeIntervalSince1970)) != nil else {
            throw failure("set validity")
        }
        guard let name = X509_NAME_new() else { throw failure("allocate name") }
        defer { X509_NAME_free(name) }
        guard X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, commonName, -1, -1, 0) == 1,
              X509_set_subject_name(certificate, name) == 1,
              X509_set_issuer_name(certificate, signer.map { X509_get_subject_name($0.certificate) } ?? name) == 1,
              X509_set_pubkey(certificate, key) == 1 else {
            throw failure("set names and public key")
        }

        let issuerCertificate = signer?.certificate ?? certificate
        for (nid, value) in extensions {
            var context = X509V3_CTX()
            X509V3_set_ctx(&context, issuerCertificate, certificate, nil, nil, 0)
            guard let extensionObject = X509V3_EXT_conf_nid(nil, &context, nid, value) else {
                throw failure("build extension \(String(cString: OBJ_nid2sn(nid))) = \(value)")
            }
            defer { X509_EXTENSION_free(extensionObject) }
            guard X509_add_ext(certificate, extensionObject, -1) == 1 else { throw failure("add extension") }
        }

        guard X509_sign(certificate, signer?.key ?? key, EVP_sha256()) > 0 else { throw failure("sign with SHA-256") }
        handedOver = true
        return certificate
    }

    /// 127 random bits: unique enough that two generated certificates never share issuer+serial.
    private static func setRandomSerial(_ certificate: OpaquePointer) throws {
        var bytes = [UInt8](repeating: 0, count: 16)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else { throw failure("draw serial number") }
        bytes[0] &= 0x7F
        bytes[0] |= 0x01
        guard let number = BN_bin2bn(bytes, Int32(bytes.count), nil) else { throw failure("serial number") }
        defer { BN_free(number) }
        guard BN_to_ASN1_INTEGER(number, X509_get_serialNumber(certificate)) != nil else {
            throw failure("set serial number")
        }
    }

    static func pem(certificate: OpaquePointer) throws -> String {
        try writingToMemory { PEM_write_bio_X509($0, certificate) }
    }

    /// PKCS#8, unencrypted: the files are protected by their mode (0600), as a server key must load unattended.
    static func pem(privateKey: OpaquePointer) throws -> String {
        try writingToMemory { PEM_write_bio_PrivateKey($0, privateKey, nil, nil, 0, nil, nil) }
    }

    /// Owned `EVP_PKEY` from PEM text.
    static func privateKey(fromPEM text: String) throws -> OpaquePointer {
        let bytes = Array(text.utf8)
        let key: OpaquePointer? = bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key else { throw failure("read private key PEM") }
        return key
    }

    /// Owned `X509` for the first certificate in PEM text.
    static func certificate(fromPEM text: String) throws -> OpaquePointer {
        let all = try CertificateFile.parse(Array(text.utf8))
        guard let first = all.first else { throw failure("read certificate PEM") }
        all.dropFirst().forEach { X509_free($0) }
        return first
    }

    private static func writingToMemory(_ write: (OpaquePointer) -> Int32) throws -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw failure("allocate memory BIO") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw failure("write PEM") }
        var data: UnsafeMutablePointer<CChar>?
        let length = qfecr_BIO_get_mem_data(bio, &data)
        guard length > 0, let data else { throw failure("read PEM back") }
        return data.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    private static func failure(_ step: String) -> CertificateGenerationError {
        .openSSL(step: step, reason: TLSOpenSSLErrors.drainedDescription(fallback: "no detail from OpenSSL"))
    }
}

public enum CertificateGenerationError: Error, Sendable, Hashable, CustomStringConvertible {
    case openSSL(step: String, reason: String)
    case invalidIPAddress(String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .openSSL(let step, let reason): return "Could not \(step) for a generated certificate: \(reason)."
        case .invalidIPAddress(let text): return "\"\(text)\" is not an IPv4 or IPv6 address; it cannot go into a certificate's IP SANs."
        case .writeFailed(let path, let reason): return "Could not write \(path): \(reason)."
        }
    }
}
