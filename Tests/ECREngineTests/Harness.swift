import ECRConfiguration
import Foundation
import TestSupport
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine
import Synchronization

/// An engine on a fresh journal, a test clock and a scripted terminal.
final class Harness: @unchecked Sendable {
    let directory: String
    let clock: TestClock
    let transport: ScriptedTransport
    let settings: EngineSettings
    /// The terminal the scripted transport stands for.
    let terminal: TerminalIdentity
    /// The configured terminal: journal lines without a terminal are read as its.
    let configuredTerminal: TerminalIdentity?
    private(set) var engine: PaymentEngine
    /// The journal the engine writes (tests make its writes fail).
    private(set) var journalFile: Journal
    private let ownsDirectory: Bool

    init(settings: EngineSettings = Harness.settings, directory: String? = nil, clock: TestClock = TestClock(),
         terminal: TerminalIdentity = Harness.terminal, configuredTerminal: TerminalIdentity? = nil) throws {
        self.directory = directory ?? Harness.temporaryDirectory()
        ownsDirectory = directory == nil
        self.clock = clock
        self.settings = settings
        self.terminal = terminal
        self.configuredTerminal = configuredTerminal
        transport = ScriptedTransport(clock: clock, journalDirectory: self.directory)
        journalFile = try Journal(directory: self.directory)
        engine = try PaymentEngine(transport: transport, terminal: terminal, journal: journalFile, clock: clock,
                                   settings: settings, unboundAttemptsBelongTo: configuredTerminal)
    }

    static let terminal = TerminalIdentity(transport: .http, address: "127.0.0.1", port: 9001)

    static let settings = EngineSettings(tillID: "T01", pollInterval: .seconds(2), grace: .seconds(30), paymentTimeout: 60,
                                         timeZone: TimeZone(identifier: "UTC")!)

    static func temporaryDirectory() -> String {
        let path = NSTemporaryDirectory() + "qfecr-engine-tests-" + UUID().uuidString
        return path
    }

    /// A new engine on the same journal, clock and terminal: what a restart looks like.
    func restart() throws {
        journalFile = try Journal(directory: directory)
        engine = try PaymentEngine(transport: transport, terminal: terminal, journal: journalFile, clock: clock,
                                   settings: settings, unboundAttemptsBelongTo: configuredTerminal)
    }

    /// Waits until every task the engine started is asleep on the clock.
    func settle(file: StaticString = #filePath, line: UInt = #line) async {
        // Bounded by wall time, not by a count of yields: on a loaded machine the engine's journal
        // writes (real files, fsync) can outlast any fixed number of yields.
        let giveUp = ContinuousClock.now.advanced(by: .seconds(60))
        var round = 0
        while ContinuousClock.now < giveUp {
            if await engine.isQuiescent(asleep: { [clock] in clock.sleeperCount }) { return }
            round += 1
            if round % 1_000 == 0 { try? await Task.sleep(for: .milliseconds(1)) } else { await Task.yield() }
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

/// A thread-safe one-way switch for tests.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

/// Yields until `condition` holds, or fails after many tries instead of hanging.
func eventually(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ condition: () -> Bool) async {
    for _ in 0..<200_000 {
        if condition() { return }
        await Task.yield()
    }
    XCTFail("never happened: \(what)", file: file, line: line)
}

/// Journal lines of format 1 (the whole history on every line), as journals were written before
/// format 2: `attempt` through `states`, one line each. Returns the text and the attempt as it ends.
func formatOneLines(_ attempt: PaymentAttempt, through states: [AttemptState],
                    note: (AttemptState) -> String) throws -> (text: String, attempt: PaymentAttempt) {
    var attempt = attempt
    let encoder = JournalRecord.encoder()
    var text = ""
    for (seq, state) in states.enumerated() {
        attempt.history.append(AttemptTransition(at: attempt.createdAt, from: attempt.history.last?.to, to: state, note: note(state)))
        attempt.state = state
        let record = JournalRecord(v: 1, seq: UInt64(seq + 1), time: attempt.createdAt, outTradeNo: attempt.outTradeNo, attempt: attempt)
        text += String(decoding: try record.line(using: encoder), as: UTF8.self)
    }
    return (text, attempt)
}

extension Journal {
    /// Every attempt, read through the index (the way the engine reads them), oldest first.
    var everything: [PaymentAttempt] {
        (try? recent(since: .distantPast, atLeast: .max).entries.map(\.attempt)) ?? []
    }
}
