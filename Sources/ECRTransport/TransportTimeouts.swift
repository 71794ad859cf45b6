import ECRProtocol

/// How long a transport waits, in seconds. A payment may legitimately be answered only when the
/// customer has finished (PROTOCOL.md §3, last bullet), so its answer may take `payment_timeout`
/// on top of the ordinary request time.
public struct TransportTimeouts: Sendable, Hashable {
    /// Reaching the terminal: TCP connect, and the TLS handshake after it; opening a serial line.
    public var connect: Double
    /// Sending a request and reading its answer, for everything but a payment's wait for the customer.
    public var request: Double
    /// The terminal's `payment_timeout` when the request does not carry its own.
    public var payment: Int

    public init(connect: Double = 5, request: Double = 15, payment: Int = 120) {
        self.connect = connect
        self.request = request
        self.payment = payment
    }

    /// Seconds to wait for the answer to `request` once it is sent.
    public func answerSeconds(for request: ECRRequest) -> Double {
        guard case .payment(let payment) = request else { return self.request }
        // The terminal may also wait wait_card_timeout for a card before the payment itself starts.
        let customer = max(payment.paymentTimeout ?? self.payment, payment.waitCardTimeout ?? 0)
        return Double(customer) + self.request
    }
}
