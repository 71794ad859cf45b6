import Foundation
import TestSupport
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// A terminal that answers from a script, per operation, and records every request it got —
/// together with what the journal said at that moment.
final class ScriptedTransport: Transport, @unchecked Sendable {
    indirect enum Step: Sendable {
        case answer(ECRResponse)
        case fail(TransportFailure)
        /// Answers only after the test clock moved on by the duration (a long trade call).
        case after(Duration, Step)
    }

    struct Call: Sendable {
        let request: ECRRequest
        /// The journal's last readable record when the request arrived.
        let journaled: PaymentAttempt?
        let journalLines: Int
        /// When it arrived, on the test clock.
        let at: EngineInstant
    }

    let endpointDescription = "scripted terminal"
    private let lock = NSLock()
    private var scripts: [ECRProtocol.Operation: [Step]] = [:]
    private var fallbacks: [ECRProtocol.Operation: Step] = [:]
    private var recorded: [Call] = []
    private var unscripted: [ECRRequest] = []
    private let clock: TestClock
    private let journalDirectory: String

    init(clock: TestClock, journalDirectory: String) {
        self.clock = clock
        self.journalDirectory = journalDirectory
    }

    /// Queues answers for an operation; `always` answers once the queue is empty.
    func script(_ operation: ECRProtocol.Operation, _ steps: Step..., always: Step? = nil) {
        lock.withLock {
            scripts[operation, default: []].append(contentsOf: steps)
            if let always { fallbacks[operation] = always }
        }
    }

    var calls: [Call] { lock.withLock { recorded } }
    var requests: [ECRRequest] { calls.map(\.request) }
    var unscriptedRequests: [ECRRequest] { lock.withLock { unscripted } }

    func count(_ operation: ECRProtocol.Operation) -> Int { requests.filter { $0.operation == operation }.count }

    func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
        let contents = try? JournalReader.read(directory: journalDirectory)
        let step: Step? = lock.withLock {
            recorded.append(Call(request: request, journaled: contents?.lastRecorded, journalLines: contents?.lineCount ?? 0,
                                 at: clock.instant))
            if var queue = scripts[request.operation], !queue.isEmpty {
                let first = queue.removeFirst()
                scripts[request.operation] = queue
                return first
            }
            if let fallback = fallbacks[request.operation] { return fallback }
            unscripted.append(request)
            return nil
        }
        guard let step else { throw .notSent("no scripted answer for \(request.operation.displayName)") }
        return try await run(step)
    }

    private func run(_ step: Step) async throws(TransportFailure) -> ECRResponse {
        switch step {
        case .answer(let response): return response
        case .fail(let failure): throw failure
        case .after(let delay, let next):
            try? await clock.sleep(for: delay)
            return try await run(next)
        }
    }
}
