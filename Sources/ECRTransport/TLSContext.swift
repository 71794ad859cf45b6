import COpenSSL
import Foundation

/// An OpenSSL `SSL_CTX` set up once from a configuration: trust store, protocol floor, credentials.
/// Build one per configuration and open any number of sessions from it.
///
/// `@unchecked Sendable`: the `SSL_CTX` is only configured inside `init`; afterwards it is only read
/// by `SSL_new`, which OpenSSL documents as safe from several threads at once.
public final class TLSContext: @unchecked Sendable {
    enum Role { case client(TLSClientConfiguration), server }

    let handle: OpaquePointer
    let role: Role

    public init(client configuration: TLSClientConfiguration) throws {
        // Configured before it is stored: once every property is set, a throwing init runs deinit.
        let context = try Self.makeContext(method: TLS_client_method())
        do {
            try Self.installTrust(configuration.trust, into: context)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        SSL_CTX_set_cert_verify_callback(context, TLSPeerVerifier.callback, nil)
        handle = context
        role = .client(configuration)
    }

    public init(server configuration: TLSServerConfiguration) throws {
        let context = try Self.makeContext(method: TLS_server_method())
        do {
            try Self.installCredentials(configuration.credentials, into: context)
        } catch {
            SSL_CTX_free(context)
            throw error
        }
        handle = context
        role = .server
    }

    deinit { SSL_CTX_free(handle) }

    /// How a failure's advice names the client's settings (flags unless its configuration says otherwise).
    var settingNaming: SettingNaming {
        if case .client(let configuration) = role { return configuration.settingNaming }
        return .flags
    }

    /// The protocol floor in force, as OpenSSL reports it (`TLS1_2_VERSION` = 0x0303).
    var minimumProtocolVersion: Int {
        SSL_CTX_ctrl(handle, SSL_CTRL_GET_MIN_PROTO_VERSION, 0, nil)
    }

    private static func makeContext(method: OpaquePointer?) throws -> OpaquePointer {
        ERR_clear_error()
        guard let context = SSL_CTX_new(method) else {
            throw TLSFailure.handshakeFailed(reason: TLSOpenSSLErrors.drainedDescription(fallback: "cannot create TLS context"))
        }
        _ = qfecr_SSL_CTX_set_min_proto_version(context, TLSClientConfiguration.minimumProtocolVersion)
        // Partial writes let `TLSStream.write` honour its deadline chunk by chunk; a moving buffer lets
        // a retried write pass Swift's array storage again without OpenSSL insisting on the same address.
        _ = qfecr_SSL_CTX_set_mode(context, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER))
        return context
    }

    private static func installTrust(_ trust: TLSTrustSource, into context: OpaquePointer) throws {
        switch trust {
        case .systemStore:
            // Missing default files are not an error here: an empty store then refuses every chain,
            // and the untrusted-chain message says what to install.
            _ = SSL_CTX_set_default_verify_paths(context)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: systemCertificateDirectory, isDirectory: &isDirectory), isDirectory.boolValue {
                _ = SSL_CTX_load_verify_dir(context, systemCertificateDirectory)
            }
            ERR_clear_error()
        case .caFile(let path):
            let certificates: [OpaquePointer]
            do {
                certificates = try CertificateFile.load(path: path)
            } catch let error as CertificateFileError {
                throw TLSFailure.trustStoreUnusable(trust, reason: error.description)
            }
            defer { certificates.forEach { X509_free($0) } }
            guard let store = SSL_CTX_get_cert_store(context) else {
                throw TLSFailure.trustStoreUnusable(trust, reason: "OpenSSL gave no certificate store")
            }
            for certificate in certificates where X509_STORE_add_cert(store, certificate) != 1 {
                // The same certificate twice in one file is harmless; anything else is reported.
                let reason = TLSOpenSSLErrors.drainedDescription(fallback: "")
                if !reason.isEmpty && !reason.contains("already in hash table") {
                    throw TLSFailure.trustStoreUnusable(trust, reason: reason)
                }
            }
        }
    }

    /// Debian and derivatives: `update-ca-certificates` links installed roots here by subject hash.
    static let systemCertificateDirectory = "/etc/ssl/certs"

    private static func installCredentials(_ credentials: TLSServerConfiguration.Credentials, into context: OpaquePointer) throws {
        ERR_clear_error()
        switch credentials {
        case .files(let chainPath, let keyPath):
            for path in [chainPath, keyPath] where !FileManager.default.isReadableFile(atPath: path) {
                throw TLSFailure.serverCredentialsUnusable(reason: "\(path) does not exist or cannot be read")
            }
            guard SSL_CTX_use_certificate_chain_file(context, chainPath) == 1 else {
                throw TLSFailure.serverCredentialsUnusable(reason: "\(chainPath): " + TLSOpenSSLErrors.drainedDescription(fallback: "not a PEM certificate chain"))
            }
            guard SSL_CTX_use_PrivateKey_file(context, keyPath, SSL_FILETYPE_PEM) == 1 else {
                throw TLSFailure.serverCredentialsUnusable(reason: "\(keyPath): " + TLSOpenSSLErrors.drainedDescription(fallback: "not a PEM private key"))
            }
        case .pem(let chainText, let keyText):
            let certificates = (try? CertificateFile.parse(Array(chainText.utf8))) ?? []
            defer { certificates.forEach { X509_free($0) } }
            guard let leaf = certificates.first, SSL_CTX_use_certificate(context, leaf) == 1 else {
                throw TLSFailure.serverCredentialsUnusable(reason: "the certificate PEM holds no usable certificate")
            }
            for issuer in certificates.dropFirst() where qfecr_SSL_CTX_add1_chain_cert(context, issuer) != 1 {
                throw TLSFailure.serverCredentialsUnusable(reason: TLSOpenSSLErrors.drainedDescription(fallback: "cannot add a chain certificate"))
            }
            guard let key = try? CertificateBuilder.privateKey(fromPEM: keyText) else {
                throw TLSFailure.serverCredentialsUnusable(reason: "the private key PEM cannot be read")
            }
            defer { EVP_PKEY_free(key) }
            guard SSL_CTX_use_PrivateKey(context, key) == 1 else {
                throw TLSFailure.serverCredentialsUnusable(reason: TLSOpenSSLErrors.drainedDescription(fallback: "key not accepted"))
            }
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw TLSFailure.serverCredentialsUnusable(reason: "the private key does not belong to the certificate")
        }
    }
}
