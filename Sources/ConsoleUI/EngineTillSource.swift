import Foundation
import ECRProtocol
import ECREngine
import Synchronization

/// Feeds the console from a running till (`TillHost`): follows the engine's snapshot stream, keeps the
/// newest till for the loop, turns the results of queries, prints and refusals the snapshot carries into
/// notices, and carries intents to the engine on tasks of their own (the loop never waits).
public final class EngineTillSource: TillSource, Sendable {
    private let engine: PaymentEngine
    private let facts: TillFacts
    private let state: Mutex<State>
    /// The reconcile view's runs (`k`).
    private let reconciler: ConsoleReconciler

    private struct State {
        var till: TillState
        var notices: [Notice] = []
        var wake: ConsoleWake?
        var customer: [LocalizedText]?
        var helpNotes: [LocalizedText]
        var follower: Task<Void, Never>?
        /// The newest engine result already told.
        var toldResult: Int
        var lastRevision = -1
    }

    private init(engine: PaymentEngine, facts: TillFacts, state: State) {
        self.engine = engine
        self.facts = facts
        self.state = Mutex(state)
        reconciler = ConsoleReconciler(engine: engine)
    }

    /// A source on `engine` (a `TillHost`'s; `TillFacts(host:)` gives the facts), showing what it knows now.
    public static func start(engine: PaymentEngine, facts: TillFacts, showsCustomer: Bool = false,
                             helpNotes: [LocalizedText] = []) async -> EngineTillSource {
        let first = await engine.snapshot
        let till = TillState(snapshot: first, attempts: await engine.attempts, facts: facts)
        // Results from before the console opened are not news.
        let source = EngineTillSource(engine: engine, facts: facts,
                                      state: State(till: till, customer: showsCustomer ? [] : nil, helpNotes: helpNotes,
                                                   toldResult: first.results.last?.id ?? 0))
        let follower = Task { [engine] in
            for await snapshot in await engine.snapshots() {
                let attempts = await engine.attempts
                source.apply(snapshot, attempts: attempts)
            }
        }
        source.state.withLock { $0.follower = follower }
        return source
    }

    /// A new snapshot: the till redrawn only when it differs, and each new result told once.
    private func apply(_ snapshot: EngineSnapshot, attempts: [PaymentAttempt]) {
        let news: [EngineResult] = state.withLock { state in
            let fresh = snapshot.results.filter { $0.id > state.toldResult }
            state.toldResult = max(state.toldResult, snapshot.results.last?.id ?? 0)
            return fresh
        }
        for result in news { tell(Self.describe(result), role: Self.role(of: result)) }
        let changed: Bool = state.withLock { state in
            defer { state.lastRevision = snapshot.revision }
            return snapshot.revision != state.lastRevision
        }
        if changed { update { $0 = TillState(snapshot: snapshot, attempts: attempts, facts: facts) } }
    }

    static func describe(_ result: EngineResult) -> LocalizedText {
        switch result.outcome {
        case .refused(let refusal): return refusal.text
        case .answered(let answer):
            switch answer.request {
            case .inquiry(.outTradeNo(let id)): return Strings.queried(LocalizedText(id, id), answer)
            case .inquiry(.orderId(let syssn)): return Strings.queried(Strings.bySyssn(syssn), answer)
            case .printReceipt(let id): return Strings.printed(id, answer)
            case .printSummary: return Strings.summaryPrinted(answer)
            default:
                return LocalizedText("\(result.asked): \(OutcomeText.render(answer, language: .english))",
                                     "\(result.asked)：\(OutcomeText.render(answer, language: .traditionalChinese))")
            }
        }
    }

    static func role(of result: EngineResult) -> Role {
        if case .answered(let answer) = result.outcome, answer.succeeded { return .normal }
        return .error
    }

    deinit { stop() }

    public func stop() {
        state.withLock { $0.follower }?.cancel()
        reconciler.stop()
    }

    private func update(_ change: (inout TillState) -> Void) {
        let wake = state.withLock { state in
            change(&state.till)
            return state.wake
        }
        wake?.wake()
    }

    public func currentTill() -> TillState {
        state.withLock { state in
            var result = state.till
            result.customer = state.customer
            result.helpNotes = state.helpNotes
            result.reconcile = reconciler.status
            return result
        }
    }

    public func takeNotices() -> [Notice] {
        state.withLock { state in
            defer { state.notices = [] }
            return state.notices
        }
    }

    public func attach(_ wake: ConsoleWake) {
        state.withLock { $0.wake = wake }
        reconciler.attach(wake)
    }

    /// A line for the customer pane (what the demo's virtual customer does).
    public func customerDid(_ line: LocalizedText) {
        let wake = state.withLock { state in
            state.customer = Array(((state.customer ?? []) + [line]).suffix(50))
            return state.wake
        }
        wake?.wake()
    }

    private func tell(_ text: LocalizedText, role: Role) {
        let wake = state.withLock { state in
            state.notices.append(Notice(text, role: role))
            return state.wake
        }
        wake?.wake()
    }

    public func perform(_ intent: Intent) {
        switch intent {
        case .reconcile(let offset): return reconciler.start(dayOffset: offset)
        case .stopReconcile: return reconciler.stop()
        case .adopt(let outTradeNo): return reconciler.adopt(outTradeNo)
        default: break
        }
        let engine = self.engine
        let facts = self.facts
        Task {
            do throws(EngineRefusal) {
                switch intent {
                case .pay(let amount, let channel):
                    _ = try await engine.beginPayment(amount: amount, channel: channel)
                case .cancel:
                    _ = try await engine.cancelCurrent()
                case .refund(let syssn, let amount):
                    _ = try await engine.beginRefund(syssn: syssn, amount: amount)
                // Answers and refusals of these reach every subscriber through the snapshot.
                case .query(let outTradeNo):
                    _ = try await engine.query(.outTradeNo(outTradeNo))
                case .queryOrder(let syssn):
                    _ = try await engine.query(.orderId(syssn))
                case .print(let syssn):
                    _ = try await engine.printReceipt(orderId: syssn)
                case .summary:
                    _ = try await engine.printSummary()
                case .resolveAgain(let outTradeNo):
                    do throws(EngineRefusal) { _ = try await engine.beginResolveAgain(outTradeNo) } catch { tell(error.text, role: .error) }
                case .settle(let outTradeNo, let paid, let note):
                    do throws(EngineRefusal) { _ = try await engine.settleByHand(outTradeNo, paid: paid, note: note) } catch { tell(error.text, role: .error) }
                case .export(let export):
                    do throws(LogExportFile.Failure) {
                        tell(Strings.exported(try LogExportFile.write(export, into: facts.exportDirectory)), role: .normal)
                    } catch { tell(error.text, role: .error) }
                case .olderHistory:
                    await engine.readOlderHistory()
                case .quit, .commissioning, .reconcile, .stopReconcile, .adopt:
                    break
                }
            } catch {
                // Told by `apply` from the snapshot's results.
            }
        }
    }
}
