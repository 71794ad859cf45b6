import Foundation

/// What a transport learnt about one exchange besides its bytes: how long its steps took and, over
/// TLS, the session and the certificates the peer showed. Reported once per exchange, when it ends.
public struct WireExchangeReport: Sendable, Hashable {
    /// The caller's exchange (`WireExchangeTag.current` when the request was made); nil when untagged.
    public let exchange: Int?
    /// Which link, e.g. `HTTPS 192.168.1.50:9001`.
    public let label: String
    public let timestamp: Date
    public let timings: ExchangeTimings
    /// The TLS session of the exchange's connection; nil without TLS. A handshake that failed over
    /// the certificates keeps the chain the peer presented, with no protocol or cipher.
    public let tls: TLSSessionSummary?

    public init(exchange: Int?, label: String, timestamp: Date = Date(), timings: ExchangeTimings, tls: TLSSessionSummary?) {
        self.exchange = exchange
        self.label = label
        self.timestamp = timestamp
        self.timings = timings
        self.tls = tls
    }
}

/// A wire observer that also takes exchange reports. Transports report only to observers that take them.
public protocol WireReportObserver: WireObserver {
    func observe(report: WireExchangeReport)
}

/// Which of the caller's exchanges a request belongs to: set around `Transport.perform` (the engine
/// sets its wire log's entry), read by the transport when the request starts, so a report finds its
/// exchange however many requests run at once.
public enum WireExchangeTag {
    @TaskLocal public static var current: Int?
}
