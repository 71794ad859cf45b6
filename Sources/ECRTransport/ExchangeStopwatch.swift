import Synchronization

/// Times one exchange on the transport's clock: started when the transport takes the request, told
/// each step as the I/O thread reaches it (a packet link's reader may be another request's thread).
final class ExchangeStopwatch: Sendable {
    private struct Marks {
        var connect: Duration?
        var tlsHandshake: Duration?
        var firstByte: Duration?
        var total: Duration?
        var tls: TLSSessionSummary?
    }

    private let clock: TransportClock
    private let start: UInt64
    private let marks = Mutex(Marks())

    init(clock: TransportClock) {
        self.clock = clock
        start = clock.nanoseconds()
    }

    private func elapsed(since origin: UInt64) -> Duration {
        let now = clock.nanoseconds()
        return .nanoseconds(Int64(clamping: now >= origin ? now - origin : 0))
    }

    /// Runs the connect step and keeps its length (also when it fails: a timeout shows as such).
    /// The first connection of an exchange counts; a later one (the Cloud's second post) does not.
    func connecting<Value>(_ body: () throws -> Value) rethrows -> Value { try step(\.connect, body) }

    /// Runs the TLS handshake and keeps its length, the same way.
    func handshaking<Value>(_ body: () throws -> Value) rethrows -> Value { try step(\.tlsHandshake, body) }

    /// The clock now, for a step timed across threads (`connected(since:)`).
    var reading: UInt64 { clock.nanoseconds() }

    /// The connect step that began at `begun` (a `reading`) is over, one way or the other.
    func connected(since begun: UInt64) { record(\.connect, since: begun) }

    private func step<Value>(_ mark: WritableKeyPath<Marks, Duration?> & Sendable, _ body: () throws -> Value) rethrows -> Value {
        let begun = clock.nanoseconds()
        defer { record(mark, since: begun) }
        return try body()
    }

    private func record(_ mark: WritableKeyPath<Marks, Duration?> & Sendable, since begun: UInt64) {
        let length = elapsed(since: begun)
        marks.withLock { if $0[keyPath: mark] == nil { $0[keyPath: mark] = length } }
    }

    /// The session (or, after a certificate failure, the chain presented), once per exchange.
    func secured(_ session: TLSSessionSummary) {
        marks.withLock { if $0.tls == nil { $0.tls = session } }
    }

    /// Bytes of the answer arrived; only the first call counts (and reads the clock).
    func received() {
        guard marks.withLock({ $0.firstByte == nil }) else { return }
        let now = elapsed(since: start)
        marks.withLock { if $0.firstByte == nil { $0.firstByte = now } }
    }

    /// The exchange is over: from here on nothing changes.
    func finish() {
        let now = elapsed(since: start)
        marks.withLock { if $0.total == nil { $0.total = now } }
    }

    func report(exchange: Int?, label: String) -> WireExchangeReport {
        marks.withLock { marks in
            WireExchangeReport(exchange: exchange, label: label,
                               timings: ExchangeTimings(connect: marks.connect, tlsHandshake: marks.tlsHandshake,
                                                        firstByte: marks.firstByte, total: marks.total),
                               tls: marks.tls)
        }
    }
}

/// A stream that tells the stopwatch when the first bytes come back (one connection per exchange).
final class FirstByteStream: ByteStream {
    private let inner: any ByteStream
    private let stopwatch: ExchangeStopwatch

    init(_ inner: any ByteStream, stopwatch: ExchangeStopwatch) {
        self.inner = inner
        self.stopwatch = stopwatch
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        try inner.write(bytes, deadline: deadline)
    }

    func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        let bytes = try inner.read(maxCount: maxCount, deadline: deadline)
        if !bytes.isEmpty { stopwatch.received() }
        return bytes
    }

    func close() { inner.close() }
}
