import Dispatch
import ECREngine
import Foundation

/// What `pay` and `refund` do when a stop signal arrives while they wait for the terminal.
enum InterruptDecision: Equatable, Sendable {
    /// Ask the terminal to cancel (5001) and keep waiting: the cancel can lose the race against the
    /// payment, and only the terminal's answer says which won.
    case cancelAndKeepWaiting
    /// Stop waiting now. The attempt stays unfinished in the journal; the next command resolves it.
    case stopWaiting

    /// The first Ctrl-C cancels and keeps waiting (as the console's Esc will); a second Ctrl-C, or
    /// SIGTERM or SIGHUP (the system or the cashier's session is going away), stops waiting at once.
    static func decide(signal: Int32, earlierInterrupts: Int, canCancel: Bool) -> InterruptDecision {
        guard signal == SIGINT, earlierInterrupts == 0, canCancel else { return .stopWaiting }
        return .cancelAndKeepWaiting
    }

    static func name(of signal: Int32) -> String {
        switch signal {
        case SIGINT: return "Ctrl-C"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        default: return "signal \(signal)"
        }
    }
}

/// SIGINT, SIGTERM and SIGHUP delivered as values through dispatch sources while it lives, so no
/// work runs inside a signal handler. `stop()` gives the signals back their earlier disposition.
// Unchecked: Dispatch on Linux does not mark its sources Sendable; they are set in init and only cancelled after.
final class StopSignals: @unchecked Sendable {
    static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private let sources: [DispatchSourceSignal]
    private let previous: [(Int32, __sighandler_t?)]
    private let continuation: AsyncStream<Int32>.Continuation
    let signals: AsyncStream<Int32>

    init() {
        (signals, continuation) = AsyncStream.makeStream(of: Int32.self)
        let queue = DispatchQueue(label: "qfecr.stop-signals")
        var sources: [DispatchSourceSignal] = []
        var previous: [(Int32, __sighandler_t?)] = []
        for number in Self.watched {
            let earlier = signal(number, SIG_IGN)
            // A signal ignored on purpose (nohup) stays ignored.
            if Self.isIgnore(earlier) { continue }
            previous.append((number, earlier))
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            let continuation = self.continuation
            // Signals that arrive together are merged into one event: `data` says how many.
            source.setEventHandler {
                for _ in 0..<max(1, source.data) { continuation.yield(number) }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
        self.previous = previous
    }

    /// SIG_IGN is the handler "1" (signal.h); function pointers cannot be compared directly.
    private static func isIgnore(_ handler: __sighandler_t?) -> Bool {
        guard let handler else { return false }
        return unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    func stop() {
        for source in sources {
            source.setEventHandler(handler: nil)  // it holds the source: let both go
            source.cancel()
        }
        for (number, handler) in previous { signal(number, handler) }
        continuation.finish()
    }
}
