import ECRProtocol
import Synchronization

/// "One request at a time per terminal" (PROTOCOL.md §4), refused locally before anything is sent.
/// Inquiry and cancel are let through while another request waits: the engine polls and cancels
/// while a trade call is still waiting for the customer.
final class TransportRequestGate: Sendable {
    private let running = Mutex<ECRProtocol.Operation?>(nil)

    /// Operations that never hold the terminal and may run beside one that does.
    static func runsAlongside(_ operation: ECRProtocol.Operation) -> Bool {
        operation == .inquiry || operation == .cancelRequest
    }

    /// Takes the terminal for `operation`, or refuses at once with `.notSent`. Returns whether a
    /// turn was taken, to hand back to `leave`.
    private func enter(_ operation: ECRProtocol.Operation, endpoint: String) throws(TransportFailure) -> Bool {
        guard !Self.runsAlongside(operation) else { return false }
        try running.withLock { (running) throws(TransportFailure) in
            if let running {
                throw .notSent("Not sent: \(endpoint) is still busy with the \(running.displayName) sent earlier, and a terminal "
                    + "takes one request at a time — wait for it to finish (or cancel it), then send the \(operation.displayName) again.", kind: .busy)
            }
            running = operation
        }
        return true
    }

    /// Runs `work` on a transport I/O thread (never a concurrency thread), holding the terminal for
    /// `operation` meanwhile. `work` times its steps on the stopwatch; what it measured is reported to
    /// the tap when it ends, for the exchange the caller tagged (`WireExchangeTag`).
    func run<Value: Sendable>(
        _ operation: ECRProtocol.Operation, endpoint: String, thread name: String, tap: TransportWireTap,
        _ work: @escaping @Sendable (ExchangeStopwatch) throws(TransportFailure) -> Value
    ) async throws(TransportFailure) -> Value {
        try await run(operation, endpoint: endpoint, thread: name, tap: tap, opening: { _ in }) {
            (_, stopwatch) throws(TransportFailure) -> Value in try work(stopwatch)
        }
    }

    /// The same, with `opening` run on the calling thread first: the steps of the exchange that never
    /// wait (see `TransportThread.run(name:opening:_:)`).
    func run<Opening: Sendable, Value: Sendable>(
        _ operation: ECRProtocol.Operation, endpoint: String, thread name: String, tap: TransportWireTap,
        opening: (ExchangeStopwatch) throws(TransportFailure) -> Opening,
        _ work: @escaping @Sendable (Opening, ExchangeStopwatch) throws(TransportFailure) -> Value
    ) async throws(TransportFailure) -> Value {
        let turn = try enter(operation, endpoint: endpoint)
        defer { leave(turn) }
        let exchange = WireExchangeTag.current
        let stopwatch = ExchangeStopwatch(clock: tap.clock)
        defer { tap.report(stopwatch.report(exchange: exchange, label: endpoint)) }
        return try await TransportThread.run(name: name, opening: { () throws(TransportFailure) -> Opening in
            do throws(TransportFailure) {
                return try opening(stopwatch)
            } catch {
                stopwatch.finish()
                throw error
            }
        }) { (opened) throws(TransportFailure) -> Value in
            defer { stopwatch.finish() }
            return try work(opened, stopwatch)
        }
    }

    private func leave(_ tookTurn: Bool) {
        guard tookTurn else { return }
        running.withLock { $0 = nil }
    }
}
