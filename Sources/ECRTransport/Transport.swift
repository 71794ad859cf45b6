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
public struct TransportFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Certainty: String, Sendable, Codable {
        /// Nothing reached the terminal (connection refused, no device): safe to try again.
        case notSent
        /// The request went out (or may have): the outcome must be found by inquiry, never by resending.
        case unknown
    }

    public let certainty: Certainty
    /// What went wrong, as a value a cashier's screen can word in any language.
    public let kind: FailureKind
    /// What happened and what to do, in English for a technician (endpoint, errno, certificate). Never
    /// contains a secret.
    public let message: String

    public init(_ certainty: Certainty, _ message: String, kind: FailureKind = .other) {
        self.certainty = certainty
        self.kind = kind
        self.message = message
    }

    public static func notSent(_ message: String, kind: FailureKind = .other) -> TransportFailure {
        TransportFailure(.notSent, message, kind: kind)
    }

    public static func unknown(_ message: String, kind: FailureKind = .other) -> TransportFailure {
        TransportFailure(.unknown, message, kind: kind)
    }

    /// The same failure with another technician text (cleaned, masked).
    public func withMessage(_ text: String) -> TransportFailure { TransportFailure(certainty, text, kind: kind) }

    public var description: String { message }
}

/// What kind of thing went wrong on the link; the certainty (sent or not) is separate.
public enum FailureKind: Sendable, Hashable, Codable {
    case connectionRefused
    /// No route to the host, or its name cannot be resolved.
    case unreachable
    /// No connection, or no answer, within the time allowed.
    case timeout
    /// The terminal reset or closed the connection.
    case reset
    case tls(TLSFailureKind)
    /// The answer (or packet) cannot be read.
    case garbled
    /// The answer is encrypted and cannot be decrypted with the POS-KEY.
    case undecryptable
    /// The serial device is missing or is not a serial line.
    case noDevice
    case permissionDenied
    /// The device or link is busy with another request or program.
    case busy
    /// The request itself cannot be encoded or is invalid: it never went out.
    case invalidRequest
    /// The terminal refused the request packet, or the ECR Cloud answered with a code nobody documented.
    case refusedByLink
    /// The link went down, or this program closed it.
    case linkDown
    case other
}

/// The TLS failure behind `FailureKind.tls`.
public enum TLSFailureKind: String, Sendable, Hashable, Codable, CaseIterable {
    case untrustedCertificate
    case certificateExpired
    case certificateNotYetValid
    case pinMismatch
    case hostnameMismatch
    case certificateRejected
    case handshakeFailed
    case trustStoreUnusable
    case connectionLost
    /// The terminal offers only TLS 1.0 or 1.1.
    case protocolTooOld
}
