import Foundation
import ECRProtocol
import ECREngine

/// Feeds the console from a running `PaymentEngine`: follows its snapshot stream, keeps the newest
/// till for the loop, and carries intents to the engine on tasks of their own (the loop never waits).
/// Like EngineAdapter.swift, it is what changes when the engine host arrives.
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

    private init(engine: PaymentEngine, facts: TillFacts, till: TillState) {
        self.engine = engine
        self.facts = facts
        self.till = till
    }

    /// A source on `engine`, showing what the engine knows now.
    public static func start(engine: PaymentEngine, facts: TillFacts, showsCustomer: Bool = false,
                             helpNotes: [LocalizedText] = []) async -> EngineTillSource {
        let till = TillState(snapshot: await engine.snapshot, attempts: await engine.attempts, facts: facts)
        let source = EngineTillSource(engine: engine, facts: facts, till: till)
        source.customer = showsCustomer ? [] : nil
        source.helpNotes = helpNotes
        source.follower = Task { [engine] in
            for await snapshot in await engine.snapshots() {
                let attempts = await engine.attempts
                source.update { $0 = TillState(snapshot: snapshot, attempts: attempts, facts: facts) }
            }
        }
        return source
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
        Task {
            do throws(EngineRefusal) {
                switch intent {
                case .pay(let amount, let channel):
                    _ = try await engine.beginPayment(amount: amount, channel: channel)
                case .cancel:
                    _ = try await engine.cancelCurrent()
                case .refund(let syssn, let amount):
                    _ = try await engine.beginRefund(syssn: syssn, amount: amount)
                case .query(let outTradeNo):
                    let answer = try await engine.query(.outTradeNo(outTradeNo))
                    tell(Strings.queried(outTradeNo, answer), role: answer.succeeded ? .normal : .error)
                case .resolveAgain(let outTradeNo):
                    _ = try await engine.beginResolveAgain(outTradeNo)
                case .print(let syssn):
                    let answer = try await engine.printReceipt(orderId: syssn)
                    tell(Strings.printed(syssn, answer), role: answer.succeeded ? .normal : .error)
                case .summary:
                    let answer = try await engine.printSummary()
                    tell(Strings.summaryPrinted(answer), role: answer.succeeded ? .normal : .error)
                case .settle(let outTradeNo, let paid, let note):
                    _ = try await engine.settleByHand(outTradeNo, paid: paid, note: note)
                case .quit:
                    break
                }
            } catch {
                tell(error.text, role: .error)
            }
        }
    }
}
