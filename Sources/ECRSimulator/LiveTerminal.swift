import ECRProtocol
import Foundation

/// Hands a notification to whoever posts it (the server's HTTP client); must not block.
public protocol NotificationCourier: Sendable {
    func deliver(_ notification: MerchantNotification)
}

/// The one terminal every listener shares: the pure `VirtualTerminal` behind a lock, read against a
/// clock, saved after every change, with callers of a sync trade blocked until the customer is done.
/// Calls block their thread; listeners call from their connection threads.
public final class LiveTerminal: @unchecked Sendable {
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var terminal: VirtualTerminal
    private var savedState: TerminalState
    private let cloud: VirtualCloud?
    private let clock: SimulatorClock
    private let stateFile: StateFile?
    private let receipts: ReceiptFolder?
    private let log: SimulatorLog
    private let courier: NotificationCourier?
    private var stopped = false
    /// Events taken under the lock, handed to the log's watcher after it is released.
    private var unsentEvents: [TerminalEvent] = []

    /// How often a waiting caller looks up even when nothing is due (a dropped client, a stop).
    static let recheckInterval: TimeInterval = 0.2

    /// Reads `stateFile` when it exists, so a restarted simulator continues where it stopped.
    /// `firstSequence`: syssn numbers follow it (see `MerchantLedger.continueSequence`).
    public init(settings: TerminalSettings, cloud: CloudSettings? = nil, clock: SimulatorClock = TerminalClock(),
                firstSequence: Int? = nil, stateFile: StateFile? = nil, receipts: ReceiptFolder? = nil,
                courier: NotificationCourier? = nil, log: SimulatorLog = .silent) throws(StateFileError) {
        var state = try stateFile?.load() ?? TerminalState()
        if let firstSequence { state.ledger.continueSequence(after: firstSequence) }
        terminal = VirtualTerminal(settings: settings, state: state)
        self.settings = settings
        savedState = state
        self.cloud = cloud.map(VirtualCloud.init(settings:))
        self.clock = clock
        self.stateFile = stateFile
        self.receipts = receipts
        self.courier = courier
        self.log = log
    }

    /// Fixed at start, so reading them needs no lock.
    public let settings: TerminalSettings

    /// A copy of the current state (tests, summaries).
    public var state: TerminalState {
        condition.lock()
        defer { condition.unlock() }
        return terminal.state
    }

    /// A request taken by the terminal: answered already, or waiting for the customer.
    public struct Reception: Sendable {
        enum Stage: Sendable {
            case answered(VirtualAnswer)
            case waiting(ticket: Int, request: ECRRequest)
        }

        let stage: Stage

        /// The answer, when there was no customer to wait for.
        public var immediateAnswer: VirtualAnswer? {
            if case .answered(let answer) = stage { return answer }
            return nil
        }
    }

    /// Answers a LAN request (HTTP, TCP or serial). A sync trade blocks until the customer is done;
    /// nil means no answer will come (the simulator stopped, or `abandoned` said the caller left).
    public func respond(to request: TerminalRequest, abandoned: @Sendable () -> Bool = { false }) -> VirtualAnswer? {
        answer(to: receive(request), abandoned: abandoned)
    }

    /// Takes a request without waiting for the customer, so a line that carries several requests
    /// has them taken in the order they arrived; `answer(to:)` then waits for the customer if needed.
    public func receive(_ request: TerminalRequest) -> Reception {
        condition.lock()
        var lines: [(SimulatorLog.Kind, String)] = []
        let reply = terminal.receive(request, at: clock.now())
        settle(&lines)
        condition.unlock()
        emit(lines)
        switch reply {
        case .answer(let answer):
            finish(answer)
            return Reception(stage: .answered(answer))
        case .waiting(let ticket, _, let ecrRequest):
            return Reception(stage: .waiting(ticket: ticket, request: ecrRequest))
        }
    }

    /// The answer to a taken request, waiting for the customer when the trade is sync.
    public func answer(to reception: Reception, abandoned: @Sendable () -> Bool = { false }) -> VirtualAnswer? {
        guard case .waiting(let ticket, let ecrRequest) = reception.stage else { return reception.immediateAnswer }
        condition.lock()
        var lines: [(SimulatorLog.Kind, String)] = []
        while true {
            guard let reply = terminal.collect(ticket: ticket, request: ecrRequest, at: clock.now()) else {
                condition.unlock()
                emit(lines)
                return nil
            }
            settle(&lines)
            let until: Date?
            switch reply {
            case .answer(let answer):
                condition.unlock()
                emit(lines)
                finish(answer)
                return answer
            case .waiting(_, let due, _):
                until = due
            }
            if stopped || abandoned() {
                condition.unlock()
                emit(lines + [(.traffic, "\(TerminalLog.describe(ecrRequest)) → no answer: \(stopped ? "simulator stopping" : "the till went away")")])
                return nil
            }
            let wait = min(Self.recheckInterval, max(0, (until ?? .distantFuture).timeIntervalSince(clock.now())))
            if wait > 0 { _ = condition.wait(until: Date().addingTimeInterval(wait)) }
        }
    }

    private func finish(_ answer: VirtualAnswer) {
        log.write(.traffic, answer.logLine)
        if let printout = answer.printout { publish(printout) }
    }

    /// Answers an ECR Cloud request; nil when the simulator has no cloud.
    public func respond(toCloud request: CloudRequest) -> CloudAnswer? {
        guard let cloud else { return nil }
        condition.lock()
        var lines: [(SimulatorLog.Kind, String)] = []
        let answer = cloud.handle(request, terminal: &terminal, at: clock.now())
        settle(&lines)
        condition.unlock()
        emit(lines)
        log.write(.traffic, answer.logLine)
        if let printout = answer.printout { publish(printout) }
        return answer
    }

    /// Lets the customer finish what is due. Returns when to call again (nil: nothing is due).
    @discardableResult
    public func tick() -> Date? {
        condition.lock()
        var lines: [(SimulatorLog.Kind, String)] = []
        terminal.advance(to: clock.now())
        settle(&lines)
        let due = terminal.nextDue
        condition.unlock()
        emit(lines)
        return due
    }

    /// Wakes every waiting caller, which then answers "no answer".
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    public var isStopped: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopped
    }

    /// Blocks until something is due or `timeout` passes: the server's timer thread sleeps here.
    public func sleepUntilDue(timeout: TimeInterval) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        var wait = timeout
        if let due = terminal.nextDue { wait = min(wait, max(0, due.timeIntervalSince(clock.now()))) }
        if wait > 0 { _ = condition.wait(until: Date().addingTimeInterval(wait)) }
    }

    // MARK: After every change (called with the lock held)

    private func settle(_ lines: inout [(SimulatorLog.Kind, String)]) {
        let events = terminal.takeEvents()
        for event in events { lines.append((.traffic, Self.describe(event))) }
        unsentEvents += events
        if let cloud, let courier {
            for notification in cloud.notifications(for: events, settings: terminal.settings) { courier.deliver(notification) }
        }
        if terminal.state != savedState {
            if let stateFile {
                do { try stateFile.save(terminal.state) } catch { lines.append((.warning, error.description)) }
            }
            savedState = terminal.state
            condition.broadcast()
        }
    }

    private func emit(_ lines: [(SimulatorLog.Kind, String)]) {
        for (kind, line) in lines { log.write(kind, line) }
        condition.lock()
        let events = unsentEvents
        unsentEvents = []
        condition.unlock()
        for event in events { log.observe(event) }
    }

    private func publish(_ printout: Printout) {
        var lines: [(SimulatorLog.Kind, String)] = [(.printout, "printed \(printout.kind.rawValue):")]
        lines += printout.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { (.printout, "  | " + $0) }
        if let receipts {
            do { lines.append((.printout, "  saved to \(try receipts.store(printout))")) } catch {
                lines.append((.warning, "cannot save \(printout.name) in \(receipts.path): \(error.localizedDescription)"))
            }
        }
        emit(lines)
    }

    static func describe(_ event: TerminalEvent) -> String {
        switch event {
        case .paymentFinished(let e):
            let what = "customer: payment \(e.amount.display) \(e.channel.wireName) out_trade_no=\(e.outTradeNo ?? "")"
            switch e.state {
            case .approved: return "\(what) approved syssn=\(e.syssn)"
            case .declined: return "\(what) declined \(e.failureCode ?? "")"
            case .notPaid: return "\(what) not paid (\(e.failureReason ?? ""))"
            case .paying: return "\(what) still paying"
            }
        case .refundFinished(let refund, let payment):
            return "merchant: refund \(refund.amount.display) of \(payment.syssn) done syssn=\(refund.syssn), refundable now \(payment.refundable.display)"
        case .refundRefused(let orderId, let refusal):
            return "merchant: refund of \(orderId) refused: \(refusal)"
        case .cancelled(let what):
            return "cancel request ended the \(what)"
        }
    }
}
