extension TLSFailure {
    /// For the HTTPS transport: a failure before the handshake completed is `notSent` (the request
    /// is written only afterwards); anything later is `unknown` and must be settled by inquiry.
    public var transportFailure: TransportFailure { transportFailure(naming: .flags) }

    /// The same, its advice naming the settings as `naming` says.
    public func transportFailure(naming: SettingNaming) -> TransportFailure {
        let message = message(naming: naming)
        return requestMayHaveReachedPeer ? .unknown(message, kind: failureKind) : .notSent(message, kind: failureKind)
    }

    public var failureKind: FailureKind {
        switch self {
        case .untrustedChain: return .tls(.untrustedCertificate)
        case .certificateExpired: return .tls(.certificateExpired)
        case .certificateNotYetValid: return .tls(.certificateNotYetValid)
        case .pinMismatch: return .tls(.pinMismatch)
        case .hostnameMismatch: return .tls(.hostnameMismatch)
        case .certificateRejected: return .tls(.certificateRejected)
        case .protocolTooOld: return .tls(.protocolTooOld)
        case .handshakeFailed, .peerClosedDuringHandshake, .timedOut(.handshake), .protocolError(.handshake, _):
            return .tls(.handshakeFailed)
        case .timedOut: return .timeout
        case .trustStoreUnusable, .serverCredentialsUnusable: return .tls(.trustStoreUnusable)
        case .connectionLost, .protocolError, .closed: return .tls(.connectionLost)
        }
    }
}
