extension TLSFailure {
    /// For the HTTPS transport: a failure before the handshake completed is `notSent` (the request
    /// is written only afterwards); anything later is `unknown` and must be settled by inquiry.
    public var transportFailure: TransportFailure {
        requestMayHaveReachedPeer ? .unknown(message) : .notSent(message)
    }
}
