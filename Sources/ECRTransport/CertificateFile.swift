import COpenSSL
import Foundation

/// Certificates read from a file on disk: PEM (one or several) or a single DER certificate.
public enum CertificateFile {
    /// Every certificate in the file, in file order.
    public static func certificates(atPath path: String) throws -> [CertificateInfo] {
        let loaded = try load(path: path)
        defer { loaded.forEach { X509_free($0) } }
        return loaded.map(CertificateDecoding.info(of:))
    }

    /// SHA-256 fingerprint of the first certificate in the file: what `--ca FILE` and QFPay's
    /// set-up guide (`SHA256=9C0FA4…`) compare.
    public static func sha256Fingerprint(atPath path: String) throws -> CertificateFingerprint {
        guard let first = try certificates(atPath: path).first else {
            throw CertificateFileError.noCertificate(path: path)
        }
        return first.sha256
    }

    /// Owned `X509` pointers; the caller frees each with `X509_free`.
    static func load(path: String) throws -> [OpaquePointer] {
        guard let contents = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (permissions?)" : "does not exist"
            throw CertificateFileError.unreadable(path: path, reason: reason)
        }
        let certificates = try parse(Array(contents))
        guard !certificates.isEmpty else { throw CertificateFileError.noCertificate(path: path) }
        return certificates
    }

    /// PEM blocks first; when there are none, the bytes as one DER certificate. Owned pointers.
    static func parse(_ bytes: [UInt8]) throws -> [OpaquePointer] {
        var certificates: [OpaquePointer] = []
        bytes.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return }
            defer { BIO_free(bio) }
            while let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                certificates.append(certificate)
            }
        }
        // The PEM loop always ends on a "no start line" entry; it is the normal end, not a failure.
        ERR_clear_error()
        if certificates.isEmpty {
            bytes.withUnsafeBufferPointer { buffer in
                var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
                if let certificate = d2i_X509(nil, &cursor, buffer.count) { certificates.append(certificate) }
            }
            ERR_clear_error()
        }
        return certificates
    }
}

public enum CertificateFileError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case noCertificate(path: String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "Certificate file \(path) \(reason)."
        case .noCertificate(let path):
            return "No certificate found in \(path): expected PEM (-----BEGIN CERTIFICATE-----) or DER."
        }
    }
}
