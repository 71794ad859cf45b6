import ECRProtocol
import ECRTransport
import Synchronization

/// Knows when the bytes of a sale or refund have gone out, so the cashier is told "sent" only then
/// (never for a connection refused, nor for a refund qfecr refused itself). It sits between the
/// transport and the wire trace: `DepartureWatchingTransport` arms it for a trade request, and the
/// first outbound bytes while it is armed report that request once.
final class TradeDeparture: WireNoteObserver, WireReportObserver, Sendable {
    /// Armed by the engine's request task, fired on the transport's I/O thread.
    private struct Watch {
        var armed: ECRRequest?
        var report: (@Sendable (ECRRequest) -> Void)?
    }

    private let watch = Mutex(Watch())
    private let trace: (any WireObserver)?

    init(trace: (any WireObserver)?) {
        self.trace = trace
    }

    /// What to do once a trade's bytes went out.
    func onDeparture(_ report: @escaping @Sendable (ECRRequest) -> Void) {
        watch.withLock { $0.report = report }
    }

    func arm(_ request: ECRRequest) { watch.withLock { $0.armed = request } }
    func disarm() { watch.withLock { $0.armed = nil } }

    func observe(_ event: WireEvent) {
        trace?.observe(event)
        guard event.direction == .outbound else { return }
        let fired: (ECRRequest, @Sendable (ECRRequest) -> Void)? = watch.withLock { watch in
            guard let request = watch.armed, let report = watch.report else { return nil }
            watch.armed = nil
            return (request, report)
        }
        if let (request, report) = fired { report(request) }
    }

    func observe(note: WireNote) {
        (trace as? any WireNoteObserver)?.observe(note: note)
    }

    func observe(report: WireExchangeReport) {
        (trace as? any WireReportObserver)?.observe(report: report)
    }
}

/// The real transport, with `TradeDeparture` armed while a payment or refund is on its way. (A
/// cancel sent in the same instant could fire it first; the cashier then reads "sent" a moment early.)
struct DepartureWatchingTransport: Transport {
    let inner: any Transport
    let departure: TradeDeparture

    var endpointDescription: String { inner.endpointDescription }

    func close() { inner.close() }

    func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
        guard request.operation == .payment || request.operation == .refund else { return try await inner.perform(request) }
        departure.arm(request)
        defer { departure.disarm() }
        return try await inner.perform(request)
    }
}
