import ECRConfiguration
import Foundation
import ECRProtocol
import ECRTransport

/// The till's payment engine: owns one state machine per unfinished attempt, performs their effects
/// (journal first, then the terminal, timers on the injected clock) and publishes snapshots.
/// One transaction at a time per terminal: a new sale or refund is refused while an attempt at this
/// engine's terminal is not final. Attempts bound to another terminal (a journal shared by profiles)
/// are never resumed, queried, cancelled or settled here, and do not block this terminal.
public actor PaymentEngine {
    public nonisolated let settings: EngineSettings
    public nonisolated let endpoint: String
    /// The terminal this engine's transport reaches; every new attempt is bound to it.
    public nonisolated let terminal: TerminalIdentity
    let transport: any Transport
    let journal: Journal
    let clock: any EngineClock
    let timing: PaymentStateMachine.Timing

    var generator: OutTradeNoGenerator
    /// Machines of attempts that are not final (active or unresolved).
    var machines: [String: PaymentStateMachine] = [:]
    /// The attempts read from the journal or started since: every unfinished one, and the history
    /// back to where `olderHistory` points.
    var attemptsByID: [String: PaymentAttempt] = [:]
    /// `attemptsByID`'s ids in journal order (where each attempt's first line is), oldest first.
    var order: [String] = []
    /// Where each attempt read from the journal has its first line (attempts started since: none, newest).
    var positions: [String: Int64] = [:]
    /// Where the history read so far begins; nil when it reaches back to the journal's start.
    var olderHistory: JournalCursor?
    var readingOlder = false
    /// The terminal journal lines without one are read as.
    let unboundTerminal: TerminalIdentity
    /// Attempts not final, whether or not a machine runs for them (the journal may hold some).
    var unfinished: Set<String> = []
    var focus: String?
    var waiters: [String: [CheckedContinuation<PaymentAttempt, Never>]] = [:]
    var subscribers: [Int: AsyncStream<EngineSnapshot>.Continuation] = [:]
    var nextSubscriber = 0
    /// Every exchange with the terminal and every note, the last few hundred (`settings`' log size).
    public nonisolated let wireLog: WireLog
    var revision = 0
    var link = LinkHealth()
    var results: [EngineResult] = []
    var nextResult = 1
    /// Tasks for requests and timers, so `shutdown()` can cancel them.
    var tasks: [Int: Task<Void, Never>] = [:]
    var nextTask = 0
    /// After `shutdown()`: nothing new is sent or scheduled, late answers change nothing.
    var stopped = false
    var runtimeProblems: [JournalProblem] = []
    /// Attempts whose latest snapshot could not be written: the journal still shows an older state.
    var unrecorded: Set<String> = []
    /// A query or print the cashier asked for, while it is on the wire.
    var directOperation: ECRProtocol.Operation?
    /// Tasks spawned for requests and timers whose result has not been handled yet (tests wait on it).
    var liveTasks = 0

    static let resultLimit = 20
    /// Attempts read at start besides today's, enough for a screen of history; and read at a time
    /// when the cashier scrolls past the end of what is read.
    static let firstHistory = 200
    static let historyPage = 200

    /// `terminal` is where `transport` goes. `unboundAttemptsBelongTo` is the terminal that journal
    /// lines without one (written before attempts recorded it) are read as: the configured terminal,
    /// which is `terminal` unless flags point this run elsewhere.
    public init(transport: any Transport, terminal: TerminalIdentity, journal: Journal, clock: any EngineClock = TillClock(),
                settings: EngineSettings = EngineSettings(), unboundAttemptsBelongTo: TerminalIdentity? = nil,
                wireLog: WireLog? = nil) throws(EngineRefusal) {
        try settings.validate()
        self.wireLog = wireLog ?? WireLog(capacity: settings.logCapacity)
        self.transport = transport
        self.terminal = terminal
        self.journal = journal
        self.clock = clock
        self.settings = settings
        self.endpoint = transport.endpointDescription
        self.timing = PaymentStateMachine.Timing(settings)
        unboundTerminal = unboundAttemptsBelongTo ?? terminal
        // Not the whole journal: the unfinished attempts (whatever their day) and the newest days.
        let page: JournalPage
        do {
            page = try journal.recent(since: Self.startOfDay(clock.now, in: settings.timeZone), atLeast: Self.firstHistory)
        } catch {
            throw .journalUnavailable(error.message)
        }
        let reading = journal.reading
        generator = try OutTradeNoGenerator(tillID: settings.tillID, timeZone: settings.timeZone,
                                            highestSequence: reading.highestSequence(tillID: settings.tillID),
                                            known: { reading.isKnown($0) })
        olderHistory = page.older
        var firstUnfinishedHere: String?
        // Another terminal's unfinished attempt is never the one in front of the cashier: it is not
        // running here (the snapshot lists it as elsewhere).
        var lastShown: String?
        for entry in page.entries {
            var attempt = entry.attempt
            if attempt.terminal == nil { attempt.terminal = unboundTerminal }
            attemptsByID[attempt.outTradeNo] = attempt
            positions[attempt.outTradeNo] = entry.position
            order.append(attempt.outTradeNo)
            if attempt.state.isFinal || attempt.terminal == terminal { lastShown = attempt.outTradeNo }
            guard !attempt.state.isFinal else { continue }
            unfinished.insert(attempt.outTradeNo)
            if attempt.terminal == terminal, firstUnfinishedHere == nil { firstUnfinishedHere = attempt.outTradeNo }
        }
        focus = firstUnfinishedHere ?? lastShown
    }

    // MARK: Reading

    /// The attempts read so far (every unfinished one, and the history from today back to where
    /// `hasOlderHistory` says more begins) and those started since, oldest first.
    public var attempts: [PaymentAttempt] { order.compactMap { attemptsByID[$0] } }

    /// Whether the journal holds history older than `attempts`: `readOlderHistory()` reads it.
    public var hasOlderHistory: Bool { olderHistory != nil }

    /// The attempt with this out_trade_no, read from the journal when it is not among `attempts`.
    public func attempt(_ outTradeNo: String) -> PaymentAttempt? {
        if let known = attemptsByID[outTradeNo] { return known }
        guard let found = try? journal.attempt(outTradeNo) else { return nil }
        return bound(found)
    }

    /// An attempt read from the journal, with the terminal its line may not name.
    func bound(_ attempt: PaymentAttempt) -> PaymentAttempt {
        var attempt = attempt
        if attempt.terminal == nil { attempt.terminal = unboundTerminal }
        return attempt
    }

    /// Damaged journal lines, fixed permissions, and journal writes that failed since start.
    public var problems: [JournalProblem] { journal.problems + runtimeProblems }

    /// Journal writes that failed since start (a full disk, a lost mount).
    public var writeProblems: [JournalProblem] { runtimeProblems }

    /// False when the attempt's latest state could not be written: the journal still shows an
    /// earlier one, and a restart would ask the terminal about it again.
    public func isRecorded(_ outTradeNo: String) -> Bool { !unrecorded.contains(outTradeNo) }

    public var snapshot: EngineSnapshot {
        EngineSnapshot(revision: revision, current: focus.flatMap { attemptsByID[$0] }, pending: unfinishedSorted,
                       problems: problems, log: wireLog.entries, endpoint: endpoint, elsewhere: unfinishedElsewhere,
                       direct: directOperation, link: link, results: results, hasOlderHistory: hasOlderHistory)
    }

    /// A stream of snapshots: the current one at once, then one after every change. Slow readers
    /// get the newest snapshot, never a backlog.
    public func snapshots() -> AsyncStream<EngineSnapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: EngineSnapshot.self, bufferingPolicy: .bufferingNewest(1))
        nextSubscriber += 1
        let key = nextSubscriber
        subscribers[key] = continuation
        continuation.onTermination = { _ in
            Task { await self.unsubscribe(key) }
        }
        continuation.yield(snapshot)
        return stream
    }

    /// Waits until the attempt is final or unresolved, and returns it.
    public func outcome(of outTradeNo: String) async -> PaymentAttempt? {
        guard let attempt = attemptsByID[outTradeNo] else { return nil }
        // Unfinished but nobody works on it (not resumed yet): waiting would never end.
        if !attempt.state.isActive || machines[outTradeNo] == nil || stopped { return attempt }
        return await withCheckedContinuation { continuation in
            waiters[outTradeNo, default: []].append(continuation)
        }
    }

    // MARK: Payments and refunds

    /// Charges `amount` and returns when the outcome is final or unresolved.
    public func pay(amount: Amount, channel: Channel, options: PaymentOptions = PaymentOptions()) async throws(EngineRefusal) -> PaymentAttempt {
        let started = try beginPayment(amount: amount, channel: channel, options: options)
        return await outcome(of: started.outTradeNo) ?? started
    }

    /// Starts a payment and returns at once (journaled, request on its way); follow it through
    /// `snapshots()` or `outcome(of:)`.
    public func beginPayment(amount: Amount, channel: Channel, options: PaymentOptions = PaymentOptions()) throws(EngineRefusal) -> PaymentAttempt {
        do { return try startPayment(amount: amount, channel: channel, options: options) } catch { throw refused(error, asked: "payment") }
    }

    private func startPayment(amount: Amount, channel: Channel, options: PaymentOptions) throws(EngineRefusal) -> PaymentAttempt {
        try refuseIfBusy()
        if let given = options.outTradeNo, generator.isUsed(given) { throw .outTradeNoAlreadyUsed(given) }
        let now = clock.moment
        var timeout = options.paymentTimeout ?? settings.paymentTimeout
        if options.paymentTimeout == nil, let limit = channel.maximumPaymentTimeout { timeout = min(timeout, limit) }
        var request = PaymentRequest(amount: amount, channel: channel, outTradeNo: options.outTradeNo ?? "pending",
                                     camera: options.camera, paymentTimeout: timeout, waitCardTimeout: options.waitCardTimeout,
                                     scanType: options.scanType, moveToBack: options.moveToBack)
        do { try ECRRequest.payment(request).validate() } catch { throw .invalidRequest(error) }
        if let given = options.outTradeNo {
            generator.markUsed(given)
        } else {
            request.outTradeNo = generator.next(at: now.wall)
        }
        let (machine, effects) = PaymentStateMachine.startPayment(request, tillID: settings.tillID, paymentTimeout: timeout,
                                                                  timing: timing, at: now, terminal: terminal)
        return try launch(machine, effects)
    }

    /// Refunds `amount` (nil: everything still refundable) of the sale `syssn`; returns when final or
    /// unresolved. The sale is inquired first, and an impossible refund is refused without sending it.
    public func refund(syssn: String, amount: Amount? = nil) async throws(EngineRefusal) -> PaymentAttempt {
        let started = try beginRefund(syssn: syssn, amount: amount)
        return await outcome(of: started.outTradeNo) ?? started
    }

    public func beginRefund(syssn: String, amount: Amount? = nil) throws(EngineRefusal) -> PaymentAttempt {
        do { return try startRefund(syssn: syssn, amount: amount) } catch { throw refused(error, asked: "refund") }
    }

    private func startRefund(syssn: String, amount: Amount?) throws(EngineRefusal) -> PaymentAttempt {
        try refuseIfBusy()
        do {
            try ECRRequest.refund(RefundRequest(orderId: syssn, refundAmount: amount)).validate()
        } catch { throw .invalidRequest(error) }
        let now = clock.moment
        let outTradeNo = generator.next(at: now.wall)
        let origin = RefundOrigin(originalSyssn: syssn, requestedAmount: amount)
        let (machine, effects) = PaymentStateMachine.startRefund(outTradeNo: outTradeNo, origin: origin, tillID: settings.tillID,
                                                                 paymentTimeout: settings.paymentTimeout, timing: timing, at: now,
                                                                 terminal: terminal)
        return try launch(machine, effects)
    }

    /// Asks the terminal to cancel what is in progress (5001). Polling goes on: the answer that counts
    /// is the payment's own, and an approval that beats the cancel is still an approval.
    @discardableResult
    public func cancelCurrent() throws(EngineRefusal) -> PaymentAttempt {
        guard let id = unfinishedSorted.first(where: { machines[$0.outTradeNo]?.canCancel == true })?.outTradeNo,
              var machine = machines[id] else { throw refused(.nothingToCancel, asked: "cancel") }
        let effects = machine.cancel(at: clock.moment)
        machines[id] = machine
        perform(effects, for: id)
        return attemptsByID[id]!
    }

    /// Whether a cancel can be sent for the attempt now (it is being sent or polled).
    public func canCancel(_ outTradeNo: String) -> Bool { machines[outTradeNo]?.canCancel == true }

    /// Journals a note on an unfinished attempt, its state unchanged: e.g. the till stopped waiting.
    public func note(_ text: String, on outTradeNo: String) {
        guard var machine = machines[outTradeNo] else { return }
        let effects = machine.note(text, at: clock.moment)
        machines[outTradeNo] = machine
        perform(effects, for: outTradeNo)
    }

    // MARK: Internals shared with the effect performer

    /// This terminal's attempts that are not final, oldest first: the ones it resumes and that block it.
    var unfinishedSorted: [PaymentAttempt] {
        unfinished.compactMap { attemptsByID[$0] }.filter { $0.terminal == terminal }.sorted { $0.createdAt < $1.createdAt }
    }

    /// Attempts not final that belong to other terminals sharing this journal, oldest first: shown,
    /// never resumed or settled here.
    public var unfinishedElsewhere: [PaymentAttempt] {
        unfinished.compactMap { attemptsByID[$0] }.filter { $0.terminal != terminal }.sorted { $0.createdAt < $1.createdAt }
    }

    /// Refuses to act on an attempt bound to another terminal.
    func requireHere(_ attempt: PaymentAttempt) throws(EngineRefusal) {
        if let other = attempt.terminal, other != terminal {
            throw .otherTerminal(outTradeNo: attempt.outTradeNo, terminal: other)
        }
    }

    func refuseIfBusy() throws(EngineRefusal) {
        if let blocking = unfinishedSorted.first {
            throw .busy(outTradeNo: blocking.outTradeNo, state: blocking.state)
        }
        if let directOperation { throw .terminalBusy(directOperation) }
    }

    /// Keeps a refusal for every subscriber, and returns it for the caller.
    func refused(_ refusal: EngineRefusal, asked: String) -> EngineRefusal {
        record(.refused(refusal), asked: asked)
        return refusal
    }

    func record(_ outcome: EngineResult.Outcome, asked: String) {
        results.append(EngineResult(id: nextResult, at: clock.now, asked: asked, outcome: outcome))
        nextResult += 1
        if results.count > Self.resultLimit { results.removeFirst(results.count - Self.resultLimit) }
        publish()
    }

    /// A note for the log from outside the engine (a notification received), published at once.
    public func logNote(_ text: String) {
        note(text)
        publish()
    }

    /// Stops the engine: timers and request tasks are cancelled, nothing new is sent, late answers
    /// change nothing, and whoever waits for an outcome gets the attempt as it stands. The journal
    /// already holds every state the engine reached (each is written before it is acted on), so an
    /// attempt left unfinished resumes from there on the next start.
    public func shutdown() {
        guard !stopped else { return }
        stopped = true
        for task in tasks.values { task.cancel() }
        tasks = [:]
        for (id, waiting) in waiters {
            guard let attempt = attemptsByID[id] else { continue }
            for continuation in waiting { continuation.resume(returning: attempt) }
        }
        waiters = [:]
        publish()
        for continuation in subscribers.values { continuation.finish() }
        subscribers = [:]
        // The next start reads the index instead of these lines (a failure costs only that time).
        if journal.reading.map.linesSinceWritten >= Self.indexAtStop { try? journal.writeIndex() }
    }

    /// Lines written since the index after which stopping writes it again.
    static let indexAtStop = 400

    private func unsubscribe(_ key: Int) {
        subscribers[key] = nil
    }
}
