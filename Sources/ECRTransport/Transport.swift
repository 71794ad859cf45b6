import ECRProtocol

/// One way of reaching a terminal: LAN HTTP, LAN HTTPS, LAN TCP, USB serial, or the ECR Cloud.
/// Every transport maps its answers onto `ECRResponse`, so the engine's policy is the same for all.
public protocol Transport: Sendable {
    /// For the status line and logs, e.g. `HTTPS 192.168.1.50:9001`. Never contains a secret.
    var endpointDescription: String { get }
    func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse
    /// Lets go of any link kept open between requests (a serial line); the next request opens it again.
    func close()
}

extension Transport {
    /// Transports that open a connection per request hold nothing between requests.
    public func close() {}
}

/// Why a request got no usable answer, and — what matters for money — whether it may have arrived.
public struct TransportFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Certainty: String, Sendable, Codable {
        /// Nothing reached the terminal (connection refused, no device): safe to try again.
        case notSent
        /// The request went out (or may have): the outcome must be found by inquiry, never by resending.
        case unknown
    }

    public let certainty: Certainty
    /// What happened and what to do, for a cashier or technician. Never contains a secret.
    public let message: String

    public init(_ certainty: Certainty, _ message: String) {
        self.certainty = certainty
        self.message = message
    }

    public static func notSent(_ message: String) -> TransportFailure { TransportFailure(.notSent, message) }
    public static func unknown(_ message: String) -> TransportFailure { TransportFailure(.unknown, message) }

    public var description: String { message }
}
