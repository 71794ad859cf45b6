import XCTest
import Synchronization
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
@testable import QfecrCommands

/// How `qfecr reconcile` walks the journal: one request at a time at the bounded rate, another
/// terminal's attempts skipped with how to reach them, and no more requests once the terminal is unreachable.
final class ReconcileRunTests: XCTestCase {
    final class RecordingInquiry: ReconcileInquiry {
        let asked = Mutex<[(InquiryKey, ContinuousClock.Instant)]>([])
        let inFlight = Mutex(0)
        let overlapped = Mutex(false)
        let answer: @Sendable (InquiryKey) -> Result<ECRResponse, TransportFailure>

        init(_ answer: @escaping @Sendable (InquiryKey) -> Result<ECRResponse, TransportFailure>) { self.answer = answer }

        func ask(_ key: InquiryKey) async -> Result<ECRResponse, TransportFailure> {
            let now = ContinuousClock.now
            asked.withLock { $0.append((key, now)) }
            if inFlight.withLock({ $0 += 1; return $0 }) > 1 { overlapped.withLock { $0 = true } }
            try? await Task.sleep(for: .milliseconds(5))
            inFlight.withLock { $0 -= 1 }
            return answer(key)
        }
    }

    let here = TerminalIdentity(transport: .http, address: "127.0.0.1", port: 9001)
    let there = TerminalIdentity(transport: .tcp, address: "127.0.0.2", port: 9002)

    func attempt(_ id: String, terminal: TerminalIdentity?) -> PaymentAttempt {
        var a = PaymentAttempt(outTradeNo: id, kind: .payment, amount: Amount(cents: 100), channel: .wechat, createdAt: Date(),
                               tillID: "T01", paymentTimeout: 60, state: .declined)
        a.terminal = terminal
        return a
    }

    func run(_ attempts: [PaymentAttempt], inquiry: RecordingInquiry, rate: Double) async -> [ReconcileFinding] {
        let place = ReconcilePlace(profile: TerminalProfile(), terminal: here, configuredTerminal: here, inquiry: inquiry)
        return await ReconcileRun(place: place, journal: attempts, interval: 1 / rate).findings(for: attempts, io: CapturedOutput().io())
    }

    func testOneRequestAtATimeAtTheBoundedRate() async {
        let inquiry = RecordingInquiry { _ in .success(ECRResponse(outer: .accepted, data: TransactionRecord(fields: JSONObject([("respcd", .string("1136"))])))) }
        let attempts = (1...4).map { attempt("T01-\($0)", terminal: nil) }
        let findings = await run(attempts, inquiry: inquiry, rate: 20)
        XCTAssertEqual(findings.map(\.verdict), [.agree, .agree, .agree, .agree], "declined and unknown to the terminal agree")
        let times = inquiry.asked.withLock { $0.map(\.1) }
        XCTAssertEqual(times.count, 4)
        for (earlier, later) in zip(times, times.dropFirst()) {
            XCTAssertGreaterThanOrEqual(earlier.duration(to: later), .milliseconds(50), "at most 20 requests a second")
        }
        XCTAssertFalse(inquiry.overlapped.withLock { $0 }, "one request at a time")
    }

    func testAnotherTerminalsAttemptIsSkippedWithHowToReachIt() async {
        let inquiry = RecordingInquiry { _ in .success(ECRResponse(outer: .accepted, data: TransactionRecord(fields: JSONObject([("respcd", .string("1136"))])))) }
        let findings = await run([attempt("T01-1", terminal: there), attempt("T01-2", terminal: here)], inquiry: inquiry, rate: 50)
        XCTAssertEqual(findings.map(\.verdict), [.skipped, .agree])
        XCTAssertTrue(findings[0].detail.contains("--transport tcp --host 127.0.0.2 --port 9002"), findings[0].detail)
        XCTAssertEqual(inquiry.asked.withLock { $0.map(\.0) }, [.outTradeNo("T01-2")], "the other terminal's attempt is not asked here")
    }

    func testUnreachableTerminalStopsTheQuestions() async {
        let inquiry = RecordingInquiry { _ in .failure(.notSent("connection refused")) }
        let findings = await run((1...3).map { attempt("T01-\($0)", terminal: nil) }, inquiry: inquiry, rate: 50)
        XCTAssertEqual(findings.map(\.verdict), [.unreachable, .unreachable, .unreachable])
        XCTAssertEqual(inquiry.asked.withLock { $0.count }, 1, "nothing more is sent once nothing can reach the terminal")
        XCTAssertEqual(ReconcileReport.exitCode(findings), .connectionOrConfiguration)
    }
}

/// `--adopt` writes the journal: never while another qfecr drives it, never without a confirmation.
final class ReconcileAdoptCommandTests: XCTestCase {
    var till: EmptyTill!
    var directory: String { till.root.appendingPathComponent("data/qfecr").path }

    override func setUpWithError() throws {
        till = try EmptyTill("adopt")
        let config = till.root.appendingPathComponent("config/qfecr")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        // Port 9 (discard): nothing answers there; the refusals below come before any request.
        try "transport = http\nhost = 127.0.0.1\nport = 9\n".write(to: config.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let journal = try Journal(directory: directory)
        var attempt = PaymentAttempt(outTradeNo: "T01-LOST", kind: .payment, amount: Amount(cents: 700), channel: .wechat,
                                     createdAt: Date(), tillID: "T01", paymentTimeout: 60, state: .unresolved)
        attempt.terminal = TerminalIdentity(transport: .http, address: "127.0.0.1", port: 9)
        try journal.append(attempt, at: Date())
    }

    func testAdoptIsRefusedWhileAnotherQfecrHoldsTheJournal() throws {
        guard case .success(let lock) = try EngineLock.acquire(directory: directory) else { return XCTFail("could not take the lock") }
        let run = CommandRun(["reconcile", "--adopt", "T01-LOST", "--yes"], environment: till.environment.merging(keyEnvironment) { $1 })
        withExtendedLifetime(lock) {}
        XCTAssertEqual(run.exitCode, 4, run.stderr)
        XCTAssertTrue(run.stderr.contains("another qfecr"), run.stderr)
        let after = try JournalReader.read(directory: directory).attempts
        XCTAssertEqual(after.first?.state, .unresolved, "nothing written")
    }

    func testAdoptOfAnAttemptNotInTheJournalOrWithARangeIsAUsageError() {
        XCTAssertEqual(CommandRun(["reconcile", "--adopt", "T01-NONE", "--yes"], environment: till.environment.merging(keyEnvironment) { $1 }).exitCode, 2)
        XCTAssertEqual(CommandRun(["reconcile", "--adopt", "T01-LOST", "--date", "2026-11-21"], environment: till.environment.merging(keyEnvironment) { $1 }).exitCode, 2)
        XCTAssertEqual(CommandRun(["reconcile", "--rate", "0"], environment: till.environment.merging(keyEnvironment) { $1 }).exitCode, 2)
    }
}
