import COpenSSL

/// Checks one client session's server chain: OpenSSL's own verification (store, validity, hostname when
/// asked), then the pin. It replaces `X509_verify_cert` via `SSL_CTX_set_cert_verify_callback`, so a
/// pin mismatch aborts the handshake with an alert like any other verification failure, and it keeps
/// the first failure as a `TLSFailure` naming the certificates involved.
///
/// `@unchecked Sendable`: `failure` is written only from inside `SSL_do_handshake`, which `TLSStream`
/// calls with its lock held, and read under the same lock afterwards.
final class TLSPeerVerifier: @unchecked Sendable {
    let pin: TLSPin
    let trust: TLSTrustSource
    /// The host being checked, or nil when hostname verification is off.
    let checkedHost: String?
    private(set) var failure: TLSFailure?

    init(pin: TLSPin, trust: TLSTrustSource, checkedHost: String?) {
        self.pin = pin
        self.trust = trust
        self.checkedHost = checkedHost
    }

    /// The C entry point. The session's verifier is found through the SSL's app data; without one the
    /// chain is refused, never waved through.
    static let callback: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Int32 = { storeContext, _ in
        guard let storeContext,
              let ssl = X509_STORE_CTX_get_ex_data(storeContext, SSL_get_ex_data_X509_STORE_CTX_idx()),
              let verifierPointer = qfecr_SSL_get_app_data(OpaquePointer(ssl)) else {
            return 0
        }
        return Unmanaged<TLSPeerVerifier>.fromOpaque(verifierPointer).takeUnretainedValue().verify(storeContext)
    }

    private func verify(_ storeContext: OpaquePointer) -> Int32 {
        let presented = CertificateDecoding.infos(ofStack: X509_STORE_CTX_get0_untrusted(storeContext))
        guard X509_verify_cert(storeContext) == 1 else {
            failure = classify(storeContext, presented: presented)
            return 0
        }
        let chain = CertificateDecoding.infos(ofStack: X509_STORE_CTX_get0_chain(storeContext))
        guard pin.accepts(verifiedChain: chain.map(\.sha256)) else {
            X509_STORE_CTX_set_error(storeContext, X509_V_ERR_APPLICATION_VERIFICATION)
            failure = .pinMismatch(expected: pin, verifiedChain: chain)
            return 0
        }
        return 1
    }

    private func classify(_ storeContext: OpaquePointer, presented: [CertificateInfo]) -> TLSFailure {
        let code = X509_STORE_CTX_get_error(storeContext)
        let reason = String(cString: X509_verify_cert_error_string(Int(code)))
        let current = X509_STORE_CTX_get_current_cert(storeContext).map(CertificateDecoding.info(of:))
        let leaf = presented.first ?? current
        switch code {
        case X509_V_ERR_CERT_HAS_EXPIRED:
            if let certificate = current ?? leaf { return .certificateExpired(certificate: certificate, presented: presented) }
        case X509_V_ERR_CERT_NOT_YET_VALID:
            if let certificate = current ?? leaf { return .certificateNotYetValid(certificate: certificate, presented: presented) }
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            if let leaf { return .hostnameMismatch(host: checkedHost ?? "?", certificate: leaf, presented: presented) }
        case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN,
             X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY,
             X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE, X509_V_ERR_CERT_UNTRUSTED:
            return .untrustedChain(presented: presented, trust: trust, reason: reason)
        default:
            break
        }
        return .certificateRejected(reason: reason, certificate: current, presented: presented)
    }
}
