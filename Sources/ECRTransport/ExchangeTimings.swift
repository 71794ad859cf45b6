/// How long the steps of one exchange took, as the transport measured them. `connect` and
/// `tlsHandshake` are the lengths of those steps; `firstByte` and `total` run from the moment the
/// transport began the exchange to the first byte of the answer and to the end. Nil: the step did
/// not happen on this link (no TLS over plain HTTP, no connection on a serial line) or was not reached.
public struct ExchangeTimings: Sendable, Hashable {
    public var connect: Duration?
    public var tlsHandshake: Duration?
    public var firstByte: Duration?
    public var total: Duration?

    public init(connect: Duration? = nil, tlsHandshake: Duration? = nil, firstByte: Duration? = nil, total: Duration? = nil) {
        self.connect = connect
        self.tlsHandshake = tlsHandshake
        self.firstByte = firstByte
        self.total = total
    }

    /// `connect 0.4 ms, TLS handshake 5.1 ms, first byte 12.0 ms, total 12.6 ms`: the steps measured.
    public var line: String {
        [("connect", connect), ("TLS handshake", tlsHandshake), ("first byte", firstByte), ("total", total)]
            .compactMap { name, value in value.map { "\(name) \(Self.milliseconds($0)) ms" } }
            .joined(separator: ", ")
    }

    /// Milliseconds with one decimal: `0.4`, `6400.0`.
    public static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = seconds * 10_000 + attoseconds / 100_000_000_000_000
        let sign = tenths < 0 ? "-" : ""
        let magnitude = tenths.magnitude
        return "\(sign)\(magnitude / 10).\(magnitude % 10)"
    }
}
