import Foundation
import ECRProtocol
import ECREngine
import ECRTransport
import Synchronization

/// Runs the console's reconciliations off the curses thread: one day at a time on a task of its own,
/// asking through the engine (`ReconcileRun`, as `qfecr reconcile` does) at the command's default
/// rate, publishing each step for the loop and waking it. Adopting asks the terminal again and
/// journals through the engine.
final class ConsoleReconciler: Sendable {
    /// `qfecr reconcile`'s default rate: five requests a second.
    static let interval = Duration.milliseconds(200)

    private struct State {
        var status: ReconcileStatus?
        var run: Task<Void, Never>?
        /// Bumped by every start and stop: a run's late steps are dropped once another took over.
        var generation = 0
        var wake: ConsoleWake?
    }

    private let engine: PaymentEngine
    private let clock: any EngineClock
    private let timeZone: TimeZone
    private let state = Mutex(State())

    init(engine: PaymentEngine, clock: any EngineClock = TillClock(), timeZone: TimeZone = .current) {
        self.engine = engine
        self.clock = clock
        self.timeZone = timeZone
    }

    var status: ReconcileStatus? { state.withLock { $0.status } }

    func attach(_ wake: ConsoleWake) { state.withLock { $0.wake = wake } }

    /// The day `offset` days from today in the till's zone, `2026-12-01`, and its start and end.
    func day(_ offset: Int) -> (name: String, start: Date, end: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: clock.now)
        let start = calendar.date(byAdding: .day, value: offset, to: today) ?? today
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start
        let parts = calendar.dateComponents([.year, .month, .day], from: start)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return ("\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day))", start, end)
    }

    /// Starts reconciling the day, stopping any run before it.
    func start(dayOffset: Int) {
        let day = day(dayOffset)
        let engine = self.engine
        let generation: Int = state.withLock { state in
            state.run?.cancel()
            state.generation += 1
            state.status = ReconcileStatus(day: day.name, dayOffset: dayOffset, terminal: engine.endpoint)
            return state.generation
        }
        wake()
        let refusals = RefusalWatch(EngineReconcileInquiry(engine: engine))
        let run = Task { [self] in
            let attempts: [PaymentAttempt], journal: [PaymentAttempt]
            do throws(JournalError) {
                (attempts, journal) = try await engine.reconcileAttempts(from: day.start, to: day.end)
            } catch {
                update(generation) { $0.phase = .refused(Strings.reconcileJournalUnreadable(error.message)) }
                return
            }
            let terminal = engine.terminal
            let reconcile = ReconcileRun(inquiry: refusals, journal: journal, overCloud: terminal.transport == .cloud,
                                         interval: Self.interval, clock: clock) { attempt in
                guard let bound = attempt.terminal, bound != terminal else { return nil }
                return ReconcileFinding.OtherTerminal(outTradeNo: attempt.outTradeNo, bound: bound, here: terminal)
            }
            update(generation) { $0.total = attempts.count }
            let findings = await reconcile.findings(for: attempts) { step in
                update(generation) { status in
                    status.position = step.position
                    status.findings = step.findings
                }
            }
            update(generation) { status in
                status.findings = findings
                if refusals.refused {
                    status.phase = .refused(Strings.reconcileRefusedBusy)
                } else {
                    status.phase = findings.count < attempts.count ? .stopped : .finished
                    if status.phase == .finished { status.position = attempts.count }
                }
            }
        }
        state.withLock { state in
            if state.generation == generation { state.run = run } else { run.cancel() }
        }
    }

    /// Stops asking; what was found stays until the next start.
    func stop() {
        state.withLock { state in
            state.run?.cancel()
            state.run = nil
            state.generation += 1
            if state.status?.phase == .running { state.status?.phase = .stopped }
        }
    }

    /// Asks the terminal about the payment once more and, if its record proves it, journals it as
    /// adopted through the engine.
    func adopt(_ outTradeNo: String) {
        let begun: Bool = state.withLock { state in
            guard state.status?.adopting == nil else { return false }
            state.status?.adopting = outTradeNo
            state.status?.message = nil
            return true
        }
        guard begun else { return }
        wake()
        let engine = self.engine
        Task { [self] in
            let outcome: Notice
            var adopted: PaymentAttempt?
            switch await EngineReconcileInquiry(engine: engine).ask(.outTradeNo(outTradeNo)) {
            case .failure(let failure):
                outcome = Notice(Strings.notAdopted(Strings.adoptionUnasked(outTradeNo, failure)), role: .error)
            case .success(let response):
                if let record = response.data {
                    do throws(AdoptionRefusal) {
                        adopted = try await engine.adoptFromReconcile(outTradeNo, record: record)
                        outcome = Notice(Strings.adopted(outTradeNo), role: .approved)
                    } catch {
                        outcome = Notice(Strings.notAdopted(Strings.adoptionRefusal(error)), role: .error)
                    }
                } else {
                    outcome = Notice(Strings.notAdopted(Strings.adoptionNoRecord(outTradeNo, response)), role: .error)
                }
            }
            state.withLock { state in
                state.status?.adopting = nil
                state.status?.message = outcome
                if adopted != nil { state.status?.adopted.insert(outTradeNo) }
            }
            wake()
        }
    }

    private func update(_ generation: Int, _ change: (inout ReconcileStatus) -> Void) {
        let current: Bool = state.withLock { state in
            guard state.generation == generation, state.status != nil else { return false }
            change(&state.status!)
            return true
        }
        if current { wake() }
    }

    private func wake() { state.withLock { $0.wake }?.wake() }
}

/// Remembers whether the engine refused a question (a sale or a request held the terminal), which
/// the run reads as not sent: the view then says why it stopped instead of "unreachable".
private final class RefusalWatch: ReconcileInquiry {
    private let inner: EngineReconcileInquiry
    private let seen = Mutex(false)

    init(_ inner: EngineReconcileInquiry) { self.inner = inner }

    var refused: Bool { seen.withLock { $0 } }

    func ask(_ key: InquiryKey) async -> Result<ECRResponse, TransportFailure> {
        let result = await inner.ask(key)
        if case .failure(let failure) = result, failure.kind == .busy, failure.certainty == .notSent { seen.withLock { $0 = true } }
        return result
    }
}
