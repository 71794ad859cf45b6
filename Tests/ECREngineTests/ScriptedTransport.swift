import Foundation
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

/// Terminal answers, built the way the terminal shapes them.
enum Terminal {
    static func outer(_ code: String, data: [(String, String)]? = nil) -> ECRResponse {
        let record = data.map { TransactionRecord(fields: JSONObject($0.map { ($0.0, JSONValue.string($0.1)) })) }
        return ECRResponse(outer: OuterStatus(code: code), respmsg: "", resperr: "", data: record)
    }

    /// 6000 with a transaction status in `data`.
    static func status(_ respcd: String, outTradeNo: String? = nil, syssn: String? = nil, more: [(String, String)] = []) -> ECRResponse {
        var fields: [(String, String)] = [("respcd", respcd)]
        if let outTradeNo { fields.append(("out_trade_no", outTradeNo)) }
        if let syssn { fields.append(("syssn", syssn)) }
        return outer("6000", data: fields + more)
    }

    static let approved = status("0000", syssn: "20261121000100020001", more: [("chnlsn", "4200001234"), ("cardscheme", "VISA")])
    static let accepted = outer("6000")
    static let processing = status("1145")
    static let enteringPassword = status("1143")
    static let notFound = status("1136")
    static let cancelled = outer("6001")

    /// An inquiry answer about a sale, for refunds.
    static func sale(syssn: String = "SALE0001", txamt: Int, refundable: Int, cancel: Int = 0, busicd: String = "800101",
                     sysdtm: String = "2026-11-21 10:00:00", respcd: String = "0000", tradetp: String = "payment") -> ECRResponse {
        status(respcd, syssn: syssn, more: [("txamt", String(txamt)), ("allow_refund_amt", String(refundable)),
                                            ("cancel", String(cancel)), ("busicd", busicd), ("sysdtm", sysdtm),
                                            ("tradetp", tradetp)])
    }

    static let timeout = TransportFailure.unknown("no answer within 30 s")
    static let refused = TransportFailure.notSent("connection refused by 192.168.1.50:9001")
}

/// An engine on a fresh journal, a test clock and a scripted terminal.
final class Harness: @unchecked Sendable {
    let directory: String
    let clock: TestClock
    let transport: ScriptedTransport
    let settings: EngineSettings
    private(set) var engine: PaymentEngine
    private let ownsDirectory: Bool

    init(settings: EngineSettings = Harness.settings, directory: String? = nil, clock: TestClock = TestClock()) throws {
        self.directory = directory ?? Harness.temporaryDirectory()
        ownsDirectory = directory == nil
        self.clock = clock
        self.settings = settings
        transport = ScriptedTransport(clock: clock, journalDirectory: self.directory)
        engine = try PaymentEngine(transport: transport, journal: Journal(directory: self.directory), clock: clock, settings: settings)
    }

    static let settings = EngineSettings(tillID: "T01", pollInterval: .seconds(2), grace: .seconds(30), paymentTimeout: 60,
                                         timeZone: TimeZone(identifier: "UTC")!)

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "qfecr-engine-tests-" + UUID().uuidString
        return path
    }

    /// A new engine on the same journal, clock and terminal: what a restart looks like.
    func restart() throws {
        engine = try PaymentEngine(transport: transport, journal: Journal(directory: directory), clock: clock, settings: settings)
    }

    /// Waits until every task the engine started is asleep on the clock.
    func settle(file: StaticString = #filePath, line: UInt = #line) async {
        for _ in 0..<200_000 {
            if await engine.isQuiescent(sleepingOn: clock) { return }
            await Task.yield()
        }
        XCTFail("the engine never settled", file: file, line: line)
    }

    /// Runs time forward, poll by poll, until the attempt is final or unresolved.
    @discardableResult
    func runToOutcome(_ outTradeNo: String, file: StaticString = #filePath, line: UInt = #line) async -> PaymentAttempt {
        for _ in 0..<10_000 {
            await settle(file: file, line: line)
            guard let attempt = await engine.attempt(outTradeNo) else {
                XCTFail("no attempt \(outTradeNo)", file: file, line: line)
                break
            }
            if !attempt.state.isActive { return attempt }
            guard clock.advanceToNextWake() else {
                XCTFail("attempt \(outTradeNo) is \(attempt.state) but nothing is scheduled", file: file, line: line)
                return attempt
            }
        }
        return await engine.attempt(outTradeNo)!
    }

    /// Moves time on by `duration`, waking sleepers in order, and lets the engine react each time.
    func advance(by duration: Duration) async {
        let target = clock.instant.advanced(by: duration)
        await settle()
        while let wake = clock.nextWake, wake <= target {
            clock.advance(by: clock.instant.duration(to: wake))
            await settle()
        }
        clock.advance(by: clock.instant.duration(to: target))
        await settle()
    }

    func pay(_ cents: Int64, _ channel: Channel = .alipay, options: PaymentOptions = PaymentOptions()) async throws -> PaymentAttempt {
        let started = try await engine.beginPayment(amount: Amount(cents: cents), channel: channel, options: options)
        return await runToOutcome(started.outTradeNo)
    }

    func refund(_ syssn: String = "SALE0001", cents: Int64? = nil) async throws -> PaymentAttempt {
        let started = try await engine.beginRefund(syssn: syssn, amount: cents.map { Amount(cents: $0) })
        return await runToOutcome(started.outTradeNo)
    }

    var journal: JournalContents { (try? JournalReader.read(directory: directory)) ?? .empty }

    deinit {
        if ownsDirectory { try? FileManager.default.removeItem(atPath: directory) }
    }
}
