@testable import ECREngine
import ECRConfiguration
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import Synchronization
import XCTest

/// The fault-injection matrix: a real `PaymentEngine` (real journal in a temporary directory, real
/// clock) drives a real transport to the simulator, whose amount cents choose the fault. After every
/// case the money rules are checked from three sides that were written apart from each other:
///
/// - the engine's answer (the final state the policy gives for that fault),
/// - the simulator: its ledger holds exactly one payment for the out_trade_no, it received exactly
///   one trade request for it (counted from its log), and the syssn the till recorded is the ledger's,
/// - the journal on disk, read back by `JournalReader`: the attempt is there with the same outcome,
///   and was sent once (one `sending` step).
///
/// One `FaultMatrixRig` per way of reaching the terminal, each with its own simulator (started on
/// first use, stopped by the test class), so a case never waits for another transport's payment.
final class FaultMatrixRig: Sendable {
    /// How the till reaches the terminal in one column of the matrix.
    enum Lane: String, Sendable, CaseIterable {
        case http, https, tcpPacket = "tcp-packet", tcpRaw = "tcp-raw", serial, cloud

        var kind: TransportKind {
            switch self {
            case .http: return .http
            case .https: return .https
            case .tcpPacket, .tcpRaw: return .tcp
            case .serial: return .serial
            case .cloud: return .cloud
            }
        }

        /// The letter in this lane's till ids (so out_trade_no values never collide between cases).
        var letter: String {
            switch self {
            case .http: return "H"
            case .https: return "S"
            case .tcpPacket: return "P"
            case .tcpRaw: return "R"
            case .serial: return "U"
            case .cloud: return "C"
            }
        }

        /// The ECR Cloud answers every trade "pushed": results come only by query.
        var isCloud: Bool { self == .cloud }
    }

    /// Fast but real timing: a whole row of the matrix runs in a few seconds.
    enum Timing {
        static let customerDelay = 0.15
        static let pollInterval = 0.1
        static let grace = 1.0
        static let paymentTimeout = 1
        static let connectTimeout = 1.0
        static let requestTimeout = 1.0
        /// Every wait in a case is bounded by this (the slowest case, never-pays, needs about 3.5 s).
        static let outcomeWithin = 10.0
    }

    let lane: Lane
    /// The fault being checked, so the money rules can record its cell in `FaultTable`.
    @TaskLocal static var running: Fault?
    private let fixtures = Mutex<[AnswerMode: SimulatorFixture]>([:])
    private let counter = Mutex(0)

    init(_ lane: Lane) {
        self.lane = lane
    }

    // MARK: Shared rigs, one per lane

    private static let rigs = Mutex<[Lane: FaultMatrixRig]>([:])

    /// The lane's rig; its simulators start on first use.
    static func shared(_ lane: Lane) -> FaultMatrixRig {
        rigs.withLock { rigs in
            if let rig = rigs[lane] { return rig }
            let rig = FaultMatrixRig(lane)
            rigs[lane] = rig
            return rig
        }
    }

    /// Stops the lane's simulators (the test class is done with them).
    static func release(_ lane: Lane) {
        let rig = rigs.withLock { $0.removeValue(forKey: lane) }
        rig?.stop()
    }

    func stop() {
        let all = fixtures.withLock { fixtures in
            defer { fixtures.removeAll() }
            return Array(fixtures.values)
        }
        all.forEach { $0.stop() }
    }

    /// The simulator in `mode` (`sync`, or `--mode ack`), started on first use.
    func simulator(_ mode: AnswerMode = .sync) throws -> SimulatorFixture {
        try fixtures.withLock { fixtures in
            if let fixture = fixtures[mode] { return fixture }
            let fixture = try SimulatorFixture(customerDelay: Timing.customerDelay, mode: mode)
            fixtures[mode] = fixture
            return fixture
        }
    }

    // MARK: A till for one case

    /// A till as one case uses it: its journal directory, its transport (counting what it sends),
    /// and its engine.
    struct Till: Sendable {
        let directory: String
        let probe: ProbeTransport
        let engine: PaymentEngine
        let journal: Journal

        /// Closes a serial line and removes the journal. (An engine still running keeps its file open.)
        func finish() {
            probe.close()
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The profile this lane's till would load, with the matrix's timing.
    func profile(_ simulator: SimulatorFixture, tillID: String, change: (inout TerminalProfile) throws -> Void = { _ in }) throws -> TerminalProfile {
        var profile = try simulator.profile(lane.kind)
        if lane == .tcpRaw { profile.tcpFraming = .raw }
        profile.tillId = tillID
        profile.connectTimeout = Timing.connectTimeout
        profile.requestTimeout = Timing.requestTimeout
        profile.paymentTimeout = Timing.paymentTimeout
        profile.pollInterval = Timing.pollInterval
        profile.grace = Timing.grace
        try change(&profile)
        return profile
    }

    /// A fresh till id for this lane: `FM-H-0007`.
    func nextTillID() -> String {
        let n = counter.withLock { count in
            count += 1
            return count
        }
        return "FM-\(lane.letter)-" + String(format: "%04d", n)
    }

    /// A new till on `directory` (a new one when nil): journal, transport and engine as `qfecr` builds them.
    func till(_ simulator: SimulatorFixture, directory: String? = nil, tillID: String? = nil,
              change: (inout TerminalProfile) throws -> Void = { _ in }) throws -> Till {
        let directory = directory ?? NSTemporaryDirectory() + "qfecr-matrix-" + UUID().uuidString
        let profile = try profile(simulator, tillID: tillID ?? nextTillID(), change: change)
        let probe = ProbeTransport(try TransportFactory.make(profile: profile, observer: nil))
        let journal = try Journal(directory: directory)
        let engine = try PaymentEngine(transport: probe, terminal: TerminalIdentity(profile: profile)!, journal: journal, clock: TillClock(),
                                       settings: EngineSettings(profile: profile))
        return Till(directory: directory, probe: probe, engine: engine, journal: journal)
    }

    // MARK: Cases

    /// One sale with the fault the cents choose; checks the money rules and returns the attempt.
    /// `path` lists states the attempt must have passed through (proof that the fault happened).
    @discardableResult
    func sale(cents: Int64, mode: AnswerMode = .sync, expect: AttemptState, respcd: String? = nil, path: [AttemptState] = [],
              file: StaticString = #filePath, line: UInt = #line) async throws -> PaymentAttempt {
        let simulator = try simulator(mode)
        try await simulator.waitUntilIdle(file: file, line: line)
        let till = try till(simulator)
        defer { till.finish() }
        let started = try await till.engine.beginPayment(amount: Amount(cents: cents), channel: .wechat)
        let attempt = try await outcome(of: started.outTradeNo, on: till.engine, file: file, line: line)
        let story = await story(attempt, till: till, simulator: simulator)
        XCTAssertEqual(attempt.state, expect, "\(lane) \(cents):\(story)", file: file, line: line)
        if let respcd { XCTAssertEqual(attempt.respcd, respcd, "\(lane) \(cents)", file: file, line: line) }
        assertPassed(through: path, attempt, file: file, line: line)
        if expect == .approved && !path.isEmpty {
            // Whatever the trade call said (nothing usable, or "pending"), the result came from an inquiry.
            XCTAssertTrue(attempt.history.last?.note.contains("inquiry") ?? false, "\(lane) \(cents):\(story)", file: file, line: line)
        }
        try await checkMoneyRules(attempt, till: till, simulator: simulator, file: file, line: line)
        return attempt
    }

    /// A sale of `cents` on a fresh till, waited for until the till gives up at the deadline: it must
    /// be unresolved (never charged again). The caller finishes the till.
    func saleLeftUnresolved(cents: Int64, file: StaticString, line: UInt) async throws -> (SimulatorFixture, Till, String) {
        let simulator = try simulator()
        try await simulator.waitUntilIdle(file: file, line: line)
        let till = try till(simulator)
        do {
            let started = try await till.engine.beginPayment(amount: Amount(cents: cents), channel: .wechat)
            let unresolved = try await outcome(of: started.outTradeNo, on: till.engine, file: file, line: line)
            let story = await story(unresolved, till: till, simulator: simulator)
            XCTAssertEqual(unresolved.state, .unresolved, "\(lane):\(story)", file: file, line: line)
            return (simulator, till, started.outTradeNo)
        } catch {
            till.finish()
            throw error
        }
    }

    /// `.53`: the customer never pays. The till gives up at the deadline (unresolved: never charge
    /// again), then the cashier asks again and cancels: the terminal closes the order unpaid.
    func neverPaysUntilTheDeadline(file: StaticString = #filePath, line: UInt = #line) async throws {
        let (simulator, till, id) = try await saleLeftUnresolved(cents: 653, file: file, line: line)
        defer { till.finish() }
        XCTAssertEqual(try journaled(id, in: till.directory, file: file, line: line).state, .unresolved,
                       "\(lane): the journal says unresolved, so a restart resumes it", file: file, line: line)
        XCTAssertEqual(simulator.payments(id).map(\.state), [.paying], "\(lane): the customer is still in front of the terminal",
                       file: file, line: line)
        do {
            _ = try await till.engine.beginPayment(amount: Amount(cents: 100), channel: .wechat)
            XCTFail("\(lane): a new sale must be refused while \(id) is unresolved", file: file, line: line)
        } catch {
            XCTAssertEqual(error, .busy(outTradeNo: id, state: .unresolved), file: file, line: line)
        }

        // "Query again", then cancel: 5001 goes out and polling goes on until the terminal says.
        let asking = try await till.engine.beginResolveAgain(id)
        XCTAssertTrue(asking.state.isActive, "\(lane): \(asking.state)", file: file, line: line)
        let cancelling = try await till.engine.cancelCurrent()
        XCTAssertEqual(cancelling.outTradeNo, id, file: file, line: line)
        let final = try await outcome(of: id, on: till.engine, file: file, line: line)
        let story = await story(final, till: till, simulator: simulator)
        // The terminal closes the order as not paid (1261) and the till learns it by inquiry: after the
        // cashier's cancel that is the cancel having worked.
        XCTAssertEqual(final.state, .cancelled, "\(lane):\(story)", file: file, line: line)
        XCTAssertEqual(final.respcd, "1261", file: file, line: line)
        XCTAssertTrue(final.cancelRequested, file: file, line: line)
        try await checkMoneyRules(final, till: till, simulator: simulator, file: file, line: line)
    }

    /// `.53` cancelled by the cashier while the till still waits for the trade's answer (or, on the
    /// cloud, for the result): the usual way a customer who walks away is dealt with.
    func neverPaysCancelledWhileWaiting(expect: AttemptState, file: StaticString = #filePath, line: UInt = #line) async throws {
        let simulator = try simulator()
        try await simulator.waitUntilIdle(file: file, line: line)
        let till = try till(simulator)
        defer { till.finish() }
        let started = try await till.engine.beginPayment(amount: Amount(cents: 753), channel: .wechat)
        let id = started.outTradeNo
        try await waitFor("\(lane): the terminal is taking \(id)", file: file, line: line) { simulator.server.terminal.state.isBusy }
        try await till.engine.cancelCurrent()
        let final = try await outcome(of: id, on: till.engine, file: file, line: line)
        let story = await story(final, till: till, simulator: simulator)
        XCTAssertEqual(final.state, expect, "\(lane):\(story)", file: file, line: line)
        XCTAssertEqual(final.respcd, "1261", file: file, line: line)
        XCTAssertTrue(final.cancelRequested, file: file, line: line)
        try await checkMoneyRules(final, till: till, simulator: simulator, file: file, line: line)
    }

    /// A slow payment (`.55`); the till stops mid-wait as in a crash (its journal takes no more writes,
    /// its transport hands it nothing more), a new engine opens the same journal and resumes: the
    /// payment is found by inquiry, approved, and never sent again.
    func restartMidWait(file: StaticString = #filePath, line: UInt = #line) async throws {
        let simulator = try simulator()
        try await simulator.waitUntilIdle(file: file, line: line)
        let tillID = nextTillID()
        let first = try till(simulator, tillID: tillID)
        defer { first.probe.close() }
        let started = try await first.engine.beginPayment(amount: Amount(cents: 855), channel: .wechat)
        let id = started.outTradeNo
        try await waitFor("\(lane): the terminal is taking \(id)", file: file, line: line) { simulator.server.terminal.state.isBusy }

        // The crash: nothing the first engine does from here reaches the disk or the terminal.
        first.journal.failWrites(after: 0)
        first.probe.sever()
        if lane == .serial {
            // A dead process's line is closed by the kernel. Here the first transport's thread still
            // reads the line until the terminal answers, and two readers on one pseudo-terminal would
            // split its bytes between them: let that read end, then close the line. The customer has
            // finished by then, so this lane resumes a payment that is already complete.
            try await waitFor("\(lane): the first till's read ends", within: 5, file: file, line: line) { first.probe.idle }
            first.probe.close()
        }
        let left = try journaled(id, in: first.directory, file: file, line: line)
        XCTAssertTrue(left.state == .sending || left.state == .awaiting, "\(lane): journal left \(left.state)", file: file, line: line)

        let second = try till(simulator, directory: first.directory, tillID: tillID)
        defer { second.finish() }
        let resumed = await second.engine.resumePending()
        XCTAssertEqual(resumed.map(\.outTradeNo), [id], file: file, line: line)
        let final = try await outcome(of: id, on: second.engine, file: file, line: line)
        let story = await story(final, till: second, simulator: simulator)
        XCTAssertEqual(final.state, .approved, "\(lane):\(story)", file: file, line: line)
        XCTAssertEqual(second.probe.trades.count, 0, "\(lane): the resumed till only asks, it never sends the sale again",
                       file: file, line: line)
        try await checkMoneyRules(final, till: second, sentBy: first.probe, simulator: simulator, file: file, line: line)
    }

    /// A sale that cannot reach a terminal that would take it (`change` makes the till's profile
    /// wrong; `scratch` is a directory for paths that must not exist): it ends `expect`, sent once at
    /// most, and the ledger holds nothing under its out_trade_no.
    func nothingCharged(expect: AttemptState, file: StaticString, line: UInt,
                        change: (inout TerminalProfile, _ scratch: String) throws -> Void) async throws {
        let simulator = try simulator()
        try await simulator.waitUntilIdle(file: file, line: line)
        let till = try till(simulator) { try change(&$0, simulator.scratch.path) }
        defer { till.finish() }
        let started = try await till.engine.beginPayment(amount: Amount(cents: 1_000), channel: .wechat)
        let attempt = try await outcome(of: started.outTradeNo, on: till.engine, file: file, line: line)
        try await checkNothingCharged(attempt, expect: expect, till: till, simulator: simulator, file: file, line: line)
    }

    func checkNothingCharged(_ attempt: PaymentAttempt, expect: AttemptState, till: Till, simulator: SimulatorFixture,
                             file: StaticString, line: UInt) async throws {
        let id = attempt.outTradeNo
        let story = await story(attempt, till: till, simulator: simulator)
        XCTAssertEqual(attempt.state, expect, "\(lane):\(story)", file: file, line: line)
        XCTAssertLessThanOrEqual(till.probe.trades.count, 1, "\(lane) \(id): never sent twice", file: file, line: line)
        XCTAssertEqual(simulator.server.terminal.state.ledger.entries.filter { $0.outTradeNo == id }.count, 0,
                       "\(lane) \(id): the terminal took no payment", file: file, line: line)
        let journaled = try journaled(id, in: till.directory, file: file, line: line)
        XCTAssertEqual(journaled.state, attempt.state, file: file, line: line)
        recordCell(attempt, journaled: journaled.state, sent: till.probe.trades.count, payments: simulator.payments(id))
    }

    /// Another till's customer (`.53`, never pays) holds the terminal: this till's sale is refused as
    /// busy and charges nothing; then the other sale is cancelled so the terminal is free again. The
    /// other till comes over HTTP: a serial line has room for one till only.
    func busyTerminal(file: StaticString, line: UInt) async throws {
        let simulator = try simulator()
        try await simulator.waitUntilIdle(file: file, line: line)
        let other = try FaultMatrixRig(.http).till(simulator, tillID: nextTillID())
        defer { other.finish() }
        let held = try await other.engine.beginPayment(amount: Amount(cents: 653), channel: .wechat)
        try await waitFor("\(lane): the terminal is taking \(held.outTradeNo)", file: file, line: line) { simulator.server.terminal.state.isBusy }
        let till = try till(simulator)
        defer { till.finish() }
        let started = try await till.engine.beginPayment(amount: Amount(cents: 1_000), channel: .wechat)
        let attempt = try await outcome(of: started.outTradeNo, on: till.engine, file: file, line: line)
        try await checkNothingCharged(attempt, expect: .rejected, till: till, simulator: simulator, file: file, line: line)
        // LAN terminals say "in progress", the cloud "busy"; both tell the cashier to wait for it.
        XCTAssertTrue(attempt.message.contains("wait for it"), "\(lane): \(attempt.message)", file: file, line: line)
        _ = try await other.engine.cancelCurrent()
        let freed = try await outcome(of: held.outTradeNo, on: other.engine, file: file, line: line)
        XCTAssertEqual(freed.state, .cancelled, "\(lane): \(freed.message)", file: file, line: line)
    }

    /// `.61`: the customer pays only after the till's deadline. The till gives up (unresolved, never
    /// charges again); once the terminal has finished, "query again" finds the payment approved.
    func answerAfterTheDeadline(file: StaticString, line: UInt) async throws {
        let (simulator, till, id) = try await saleLeftUnresolved(cents: 1_061, file: file, line: line)
        defer { till.finish() }
        try await simulator.waitUntilIdle(file: file, line: line)
        XCTAssertEqual(simulator.payments(id).map(\.state), [.approved], "\(lane): the customer paid late", file: file, line: line)
        _ = try await till.engine.beginResolveAgain(id)
        let final = try await outcome(of: id, on: till.engine, file: file, line: line)
        let story = await story(final, till: till, simulator: simulator)
        XCTAssertEqual(final.state, .approved, "\(lane):\(story)", file: file, line: line)
        try await checkMoneyRules(final, till: till, simulator: simulator, file: file, line: line)
    }

    /// A slow payment (`.55`); the terminal is killed while the customer pays and started again on
    /// the same ports with its state file: the till learns the payment by inquiry and never resends.
    func terminalRestartedMidPayment(file: StaticString, line: UInt) async throws {
        var simulator = try SimulatorFixture(customerDelay: Timing.customerDelay, restartable: true)
        defer { simulator.stop() }
        let till = try till(simulator)
        defer { till.finish() }
        let started = try await till.engine.beginPayment(amount: Amount(cents: 1_055), channel: .wechat)
        let id = started.outTradeNo
        try await waitFor("\(lane): the terminal is taking \(id)", file: file, line: line) { simulator.server.terminal.state.isBusy }
        simulator = try simulator.restarted()
        XCTAssertEqual(simulator.payments(id).count, 1, "\(lane): the restarted terminal remembers the payment", file: file, line: line)
        let final = try await outcome(of: id, on: till.engine, file: file, line: line)
        let story = await story(final, till: till, simulator: simulator)
        XCTAssertEqual(final.state, .approved, "\(lane):\(story)", file: file, line: line)
        try await checkMoneyRules(final, till: till, simulator: simulator, file: file, line: line)
    }

    /// A sale refunded in full, or in two parts (`partial`, then the rest): each refund approved,
    /// sent once, and the sale's refundable amount down by exactly the refunds.
    func refund(partial: Amount?, file: StaticString = #filePath, line: UInt = #line) async throws {
        let simulator = try simulator()
        try await simulator.waitUntilIdle(file: file, line: line)
        let till = try till(simulator)
        defer { till.finish() }
        let saleAmount = Amount(cents: 1_200)
        let started = try await till.engine.beginPayment(amount: saleAmount, channel: .wechat)
        let sale = try await outcome(of: started.outTradeNo, on: till.engine, file: file, line: line)
        XCTAssertEqual(sale.state, .approved, sale.message, file: file, line: line)
        try await checkMoneyRules(sale, till: till, simulator: simulator, file: file, line: line)
        let syssn = try XCTUnwrap(sale.syssn, file: file, line: line)

        var asks: [Amount?] = [nil]
        if let partial { asks.insert(partial, at: 0) }
        var refunded = Amount.zero
        var refundedSoFar: [Amount] = []
        for (index, ask) in asks.enumerated() {
            try await simulator.waitUntilIdle(file: file, line: line)
            let begun = try await till.engine.beginRefund(syssn: syssn, amount: ask)
            let refund = try await outcome(of: begun.outTradeNo, on: till.engine, file: file, line: line)
            let expected = ask ?? (saleAmount - refunded)
            XCTAssertEqual(refund.state, .approved, "\(lane) refund \(expected.display): \(refund.message)", file: file, line: line)
            XCTAssertEqual(refund.amount, expected, file: file, line: line)
            refunded = refunded + expected

            refundedSoFar.append(expected)
            let entries = simulator.server.terminal.state.ledger.refunds(of: syssn)
            XCTAssertEqual(entries.map(\.amount), refundedSoFar, "\(lane): one ledger refund per refund asked", file: file, line: line)
            XCTAssertEqual(refund.syssn, entries.last?.syssn, "\(lane): the till records the refund's own syssn", file: file, line: line)
            let payment = try XCTUnwrap(simulator.server.terminal.state.ledger.entry(syssn: syssn), file: file, line: line)
            XCTAssertEqual(payment.refundable, saleAmount - refunded, file: file, line: line)
            XCTAssertEqual(payment.cancelState, payment.refundable == .zero ? .refunded : .partiallyRefunded, file: file, line: line)

            let sent = till.probe.requests.filter { if case .refund = $0 { return true } else { return false } }
            XCTAssertEqual(sent.count, index + 1, "\(lane): each refund is sent exactly once", file: file, line: line)
            let received = try await simulator.waitForLines(count: index + 1, within: 3) { Self.isRefund($0, of: syssn) }
            XCTAssertEqual(received.count, index + 1, "\(lane): the terminal received each refund once:\n"
                           + received.joined(separator: "\n"), file: file, line: line)
            let journaled = try journaled(refund.outTradeNo, in: till.directory, file: file, line: line)
            XCTAssertEqual(journaled.state, .approved, file: file, line: line)
            XCTAssertEqual(journaled.amount, expected, file: file, line: line)
            XCTAssertEqual(journaled.refund?.originalSyssn, syssn, file: file, line: line)
            XCTAssertEqual(journaled.history.filter { $0.to == .sending }.count, 1, file: file, line: line)
        }
        XCTAssertEqual(simulator.payments(sale.outTradeNo).count, 1, "\(lane): refunds never add a payment", file: file, line: line)
    }

    // MARK: The money rules

    /// For any final or unresolved attempt: the ledger, the terminal's log and the journal agree with
    /// it, and the trade went out exactly once. `sentBy` is the transport that sent the trade, when
    /// another till (before a restart) did.
    func checkMoneyRules(_ attempt: PaymentAttempt, till: Till, sentBy: ProbeTransport? = nil, simulator: SimulatorFixture,
                         file: StaticString = #filePath, line: UInt = #line) async throws {
        let id = attempt.outTradeNo
        let tag = "\(lane) \(id) (\(attempt.state))"

        // The till sent the sale once…
        let sender = sentBy ?? till.probe
        XCTAssertEqual(sender.trades.map(\.outTradeNo), [id], "\(tag): the till sends the sale exactly once", file: file, line: line)
        // …and the terminal received it once: every trade it takes is logged once, when answered,
        // refused, dropped or abandoned.
        let received = try await simulator.waitForLines(count: 1, within: 3) { Self.isTrade($0, outTradeNo: id) }
        XCTAssertEqual(received.count, 1, "\(tag): the terminal received the sale exactly once:\n" + received.joined(separator: "\n"),
                       file: file, line: line)

        // The ledger holds exactly one payment for it, in the state the till reports.
        let payments = simulator.payments(id)
        XCTAssertEqual(payments.count, 1, "\(tag): one payment in the ledger", file: file, line: line)
        if let entry = payments.first {
            XCTAssertEqual(entry.amount, attempt.amount, tag, file: file, line: line)
            switch attempt.state {
            case .approved:
                XCTAssertEqual(entry.state, .approved, tag, file: file, line: line)
                XCTAssertEqual(attempt.syssn, entry.syssn, "\(tag): the till's syssn is the ledger's", file: file, line: line)
            case .declined, .cancelled:
                XCTAssertTrue(entry.state == .declined || entry.state == .notPaid, "\(tag): ledger says \(entry.state)",
                              file: file, line: line)
                XCTAssertEqual(entry.failureCode, attempt.respcd, tag, file: file, line: line)
                XCTAssertEqual(attempt.syssn, entry.syssn, "\(tag): the till's syssn is the ledger's", file: file, line: line)
            case .unresolved:
                XCTAssertEqual(entry.state, .paying, tag, file: file, line: line)
            default:
                XCTFail("\(tag): not an outcome", file: file, line: line)
            }
        }
        XCTAssertEqual(simulator.server.terminal.state.ledger.entries.filter { $0.outTradeNo == id }.count, 1,
                       "\(tag): nothing else in the ledger under this out_trade_no", file: file, line: line)

        // The journal on disk has the attempt as the engine ended it, sent once.
        let journaled = try journaled(id, in: till.directory, file: file, line: line)
        XCTAssertEqual(journaled.state, attempt.state, tag, file: file, line: line)
        XCTAssertEqual(journaled.syssn, attempt.syssn, tag, file: file, line: line)
        XCTAssertEqual(journaled.respcd, attempt.respcd, tag, file: file, line: line)
        XCTAssertEqual(journaled.amount, attempt.amount, tag, file: file, line: line)
        XCTAssertEqual(journaled.history.map(\.to), attempt.history.map(\.to), tag, file: file, line: line)
        XCTAssertEqual(journaled.history.filter { $0.to == .sending }.count, 1, "\(tag): journaled as sent once", file: file, line: line)
        let problems = await till.engine.problems
        XCTAssertEqual(problems.count, 0, "\(tag): \(problems)", file: file, line: line)
        recordCell(attempt, journaled: journaled.state, sent: sender.trades.count, payments: simulator.payments(id))
    }

    /// Puts the case's result in the fault table, when a fault with a row is being checked.
    func recordCell(_ attempt: PaymentAttempt, journaled: AttemptState?, sent: Int, payments: [LedgerEntry]) {
        guard let row = Self.running?.row else { return }
        FaultTable.record(row, lane: lane, attempt: attempt, journaled: journaled, sent: sent, payments: payments)
    }

    func assertPassed(through path: [AttemptState], _ attempt: PaymentAttempt, file: StaticString, line: UInt) {
        let states = attempt.history.map(\.to)
        for state in path {
            XCTAssertTrue(states.contains(state), "\(lane): expected the attempt to pass through \(state): \(states)", file: file, line: line)
        }
    }

    // MARK: Reading

    /// What happened, for a failure message: the attempt's steps, the engine's wire log and the
    /// simulator's last lines.
    func story(_ attempt: PaymentAttempt, till: Till, simulator: SimulatorFixture) async -> String {
        let activity = await till.engine.snapshot.log
        let clock = DateFormatter()
        clock.dateFormat = "HH:mm:ss.SSS"
        var text = "\n  attempt \(attempt.outTradeNo): \(attempt.message)"
        text += attempt.history.map { "\n    \(clock.string(from: $0.at)) \($0.from?.rawValue ?? "-") → \($0.to.rawValue): \($0.note)" }.joined()
        text += "\n  engine:" + activity.suffix(20).map { "\n    \(clock.string(from: $0.at)) #\($0.id) \($0.line)" }.joined()
        text += "\n  simulator:" + simulator.logLines.suffix(12).map { "\n    \($0)" }.joined()
        return text
    }


    func journaled(_ outTradeNo: String, in directory: String, file: StaticString, line: UInt) throws -> PaymentAttempt {
        let contents = try JournalReader.read(directory: directory)
        XCTAssertEqual(contents.problems.count, 0, "\(contents.problems)", file: file, line: line)
        return try XCTUnwrap(contents.attempts.first { $0.outTradeNo == outTradeNo }, "\(outTradeNo) is not in the journal",
                             file: file, line: line)
    }

    /// Waits (bounded) until the attempt is final or unresolved.
    func outcome(of outTradeNo: String, on engine: PaymentEngine, within seconds: Double = Timing.outcomeWithin,
                 file: StaticString, line: UInt) async throws -> PaymentAttempt {
        let limit = Date().addingTimeInterval(seconds)
        while true {
            let current = await engine.attempt(outTradeNo)
            let attempt = try XCTUnwrap(current, "no attempt \(outTradeNo)", file: file, line: line)
            if !attempt.state.isActive { return attempt }
            if Date() > limit {
                XCTFail("\(lane): \(outTradeNo) still \(attempt.state) after \(seconds) s: \(attempt.message)", file: file, line: line)
                throw CancellationError()
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// A simulator log line for a sale (LAN: `payment … out_trade_no=ID …`; cloud: `cloud payment … out_trade_no=ID …`).
    static func isTrade(_ line: String, outTradeNo: String) -> Bool {
        let words = line.split(separator: " ")
        let start = words.first == "cloud" ? 1 : 0
        guard words.count > start, words[start] == "payment" else { return false }
        return words.contains { $0 == "out_trade_no=\(outTradeNo)" }
    }

    /// A simulator log line for a refund request of the sale `syssn` (`refund orderId=SYSSN amount=…`).
    static func isRefund(_ line: String, of syssn: String) -> Bool {
        let words = line.split(separator: " ")
        return words.first == "refund" && words.dropFirst().first == "orderId=\(syssn)"
    }
}

/// A loopback port nothing listens on (bound, then released).
func closedLoopbackPort() throws -> UInt16 {
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    defer { listener.close() }
    return listener.port
}

/// Waits until `condition` holds, checking every 20 ms; fails the test after `seconds`.
func waitFor(_ what: String, within seconds: Double = 3, file: StaticString = #filePath, line: UInt = #line,
             _ condition: () -> Bool) async throws {
    let limit = Date().addingTimeInterval(seconds)
    while !condition() {
        if Date() > limit {
            XCTFail("timed out after \(seconds) s waiting for: \(what)", file: file, line: line)
            throw CancellationError()
        }
        try await Task.sleep(nanoseconds: 20_000_000)
    }
}

extension SimulatorFixture {
    /// The ledger's payments under `outTradeNo`.
    func payments(_ outTradeNo: String) -> [LedgerEntry] {
        server.terminal.state.ledger.entries.filter { $0.kind == .payment && $0.outTradeNo == outTradeNo }
    }

    /// The log lines that match, once there are at least `count` of them or `seconds` have passed.
    func waitForLines(count: Int, within seconds: Double, where matches: (String) -> Bool) async throws -> [String] {
        let limit = Date().addingTimeInterval(seconds)
        while true {
            let found = logLines.filter(matches)
            if found.count >= count || Date() > limit { return found }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Every case starts on an idle terminal: one left busy by an earlier case would refuse the sale (6002).
    func waitUntilIdle(file: StaticString = #filePath, line: UInt = #line) async throws {
        try await waitFor("the simulated terminal to be idle", within: 5, file: file, line: line) { !server.terminal.state.isBusy }
    }
}

/// The real transport, watched: it records every request the engine sends through it, and can be
/// severed as by a crash, after which nothing reaches the engine any more (calls fail as unknown).
final class ProbeTransport: Transport, Sendable {
    let base: any Transport
    private let state = Mutex(State())

    private struct State {
        var requests: [ECRRequest] = []
        var severed = false
        var inFlight = 0
    }

    init(_ base: any Transport) {
        self.base = base
    }

    var endpointDescription: String { base.endpointDescription }

    func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
        let severed = state.withLock { state in
            if !state.severed {
                state.requests.append(request)
                state.inFlight += 1
            }
            return state.severed
        }
        if severed { throw .unknown("the till stopped (simulated crash)") }
        let result: Result<ECRResponse, TransportFailure>
        do throws(TransportFailure) {
            result = .success(try await base.perform(request))
        } catch {
            result = .failure(error)
        }
        let cut = state.withLock { state in
            state.inFlight -= 1
            return state.severed
        }
        if cut { throw .unknown("the till stopped before it read the answer (simulated crash)") }
        return try result.get()
    }

    /// From now on the engine gets nothing: a crashed till never reads another answer.
    func sever() {
        state.withLock { $0.severed = true }
    }

    /// No request is on the wire.
    var idle: Bool { state.withLock { $0.inFlight == 0 } }

    var requests: [ECRRequest] { state.withLock { $0.requests } }

    /// The sales sent (refunds are in `requests`).
    var trades: [PaymentRequest] {
        requests.compactMap { if case .payment(let p) = $0 { return p } else { return nil } }
    }

    /// Closes a serial line; other transports hold nothing between requests.
    func close() {
        (base as? any ClosingTransport)?.close()
    }
}
