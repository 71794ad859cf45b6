import Foundation
import ECRProtocol
import ECREngine

/// Feeds the console from a running till (`TillHost`): follows the engine's snapshot stream, keeps the
/// newest till for the loop, turns the results of queries, prints and refusals the snapshot carries into
/// notices, and carries intents to the engine on tasks of their own (the loop never waits).
public final class EngineTillSource: TillSource, @unchecked Sendable {
    private let engine: PaymentEngine
    private let facts: TillFacts
    private let lock = NSLock()
    // Guarded by `lock`.
    private var till: TillState
    private var notices: [Notice] = []
    private var wake: ConsoleWake?
    private var customer: [LocalizedText]?
    private var helpNotes: [LocalizedText] = []
    private var follower: Task<Void, Never>?
    /// The newest engine result already told.
    private var toldResult = 0
    private var lastRevision = -1

    private init(engine: PaymentEngine, facts: TillFacts, till: TillState) {
        self.engine = engine
        self.facts = facts
        self.till = till
    }

    /// A source on `engine` (a `TillHost`'s; `TillFacts(host:)` gives the facts), showing what it knows now.
    public static func start(engine: PaymentEngine, facts: TillFacts, showsCustomer: Bool = false,
                             helpNotes: [LocalizedText] = []) async -> EngineTillSource {
        let first = await engine.snapshot
        let till = TillState(snapshot: first, attempts: await engine.attempts, facts: facts)
        let source = EngineTillSource(engine: engine, facts: facts, till: till)
        source.customer = showsCustomer ? [] : nil
        source.helpNotes = helpNotes
        // Results from before the console opened are not news.
        source.toldResult = first.results.last?.id ?? 0
        source.follower = Task { [engine] in
            for await snapshot in await engine.snapshots() {
                let attempts = await engine.attempts
                source.apply(snapshot, attempts: attempts)
            }
        }
        return source
    }

    /// A new snapshot: the till redrawn only when it differs, and each new result told once.
    private func apply(_ snapshot: EngineSnapshot, attempts: [PaymentAttempt]) {
        let news: [EngineResult] = lock.withLock {
            let fresh = snapshot.results.filter { $0.id > toldResult }
            toldResult = max(toldResult, snapshot.results.last?.id ?? 0)
            return fresh
        }
        for result in news { tell(Self.describe(result), role: Self.role(of: result)) }
        let changed: Bool = lock.withLock {
            defer { lastRevision = snapshot.revision }
            return snapshot.revision != lastRevision
        }
        if changed { update { $0 = TillState(snapshot: snapshot, attempts: attempts, facts: facts) } }
    }

    static func describe(_ result: EngineResult) -> LocalizedText {
        switch result.outcome {
        case .refused(let refusal): return refusal.text
        case .answered(let answer):
            switch answer.request {
            case .inquiry(.outTradeNo(let id)), .inquiry(.orderId(let id)): return Strings.queried(id, answer)
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

    deinit { follower?.cancel() }

    public func stop() { follower?.cancel() }

    private func update(_ change: (inout TillState) -> Void) {
        lock.lock()
        change(&till)
        let wake = self.wake
        lock.unlock()
        wake?.wake()
    }

    public func currentTill() -> TillState {
        lock.lock()
        defer { lock.unlock() }
        var result = till
        result.customer = customer
        result.helpNotes = helpNotes
        return result
    }

    public func takeNotices() -> [Notice] {
        lock.lock()
        defer { lock.unlock() }
        let taken = notices
        notices = []
        return taken
    }

    public func attach(_ wake: ConsoleWake) {
        lock.lock()
        self.wake = wake
        lock.unlock()
    }

    /// A line for the customer pane (what the demo's virtual customer does).
    public func customerDid(_ line: LocalizedText) {
        lock.lock()
        customer = Array(((customer ?? []) + [line]).suffix(50))
        let wake = self.wake
        lock.unlock()
        wake?.wake()
    }

    private func tell(_ text: LocalizedText, role: Role) {
        lock.lock()
        notices.append(Notice(text, role: role))
        let wake = self.wake
        lock.unlock()
        wake?.wake()
    }

    public func perform(_ intent: Intent) {
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
                case .quit:
                    break
                }
            } catch {
                // Told by `apply` from the snapshot's results.
            }
        }
    }
}
