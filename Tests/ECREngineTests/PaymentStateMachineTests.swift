import TestSupport
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// The machine on its own: effects in the right order, stale timers and late answers harmless.
///
/// Impossible transitions (an answer to a request never sent, a timer never scheduled, cancel after
/// the outcome, resolve-again of an attempt that is not unresolved) stop the program with
/// `preconditionFailure`, naming the attempt, state and event. XCTest cannot catch a trap in the
/// same process, so these tests show instead that the public API refuses such calls first
/// (`canCancel`, `canResolveAgain`, and the engine's refusals in PaymentPolicyTests).
final class PaymentStateMachineTests: XCTestCase {
    typealias Machine = PaymentStateMachine
    let timing = Machine.Timing(pollInterval: .seconds(2), grace: .seconds(30), timeZone: TimeZone(identifier: "UTC")!)
    let clock = TestClock()

    private func moment(after seconds: Int) -> Moment {
        let base = clock.moment
        return Moment(wall: base.wall.addingTimeInterval(Double(seconds)), instant: base.instant.advanced(by: .seconds(seconds)))
    }

    private func start() -> (Machine, [Machine.Effect]) {
        Machine.startPayment(PaymentRequest(amount: Amount(cents: 500), channel: .alipay, outTradeNo: "T01-20261121063200-0001",
                                            paymentTimeout: 60),
                             tillID: "T01", paymentTimeout: 60, timing: timing, at: moment(after: 0))
    }

    private func sent(_ effects: [Machine.Effect]) -> [Machine.Outgoing] {
        effects.compactMap { if case .send(let o) = $0 { return o } else { return nil } }
    }

    private func journaled(_ effects: [Machine.Effect]) -> [AttemptState] {
        effects.compactMap { if case .journal(let a) = $0 { return a.state } else { return nil } }
    }

    private func timers(_ effects: [Machine.Effect]) -> [(Int, EngineInstant)] {
        effects.compactMap { if case .schedulePoll(let t, let at) = $0 { return (t, at) } else { return nil } }
    }

    /// Every effect list puts its journal records before anything that acts.
    private func assertJournalFirst(_ effects: [Machine.Effect], file: StaticString = #filePath, line: UInt = #line) {
        if let firstAct = effects.firstIndex(where: { if case .journal = $0 { return false } else { return true } }) {
            XCTAssertFalse(effects[firstAct...].contains { if case .journal = $0 { return true } else { return false } },
                           "a journal effect after an action: \(effects)", file: file, line: line)
        }
    }

    func testAPaymentIsJournaledTwiceBeforeItIsSent() {
        let (machine, effects) = start()
        XCTAssertEqual(journaled(effects), [.created, .sending])
        guard case .send(let trade)? = effects.last else { return XCTFail("the trade goes last: \(effects)") }
        XCTAssertEqual(trade.purpose, .trade)
        XCTAssertTrue(trade.purpose.movesMoney)
        XCTAssertEqual(effects.count, 3)
        XCTAssertEqual(machine.attempt.state, .sending)
        XCTAssertEqual(machine.attempt.deadline, clock.now.addingTimeInterval(90))
    }

    /// The terminal may wait `wait_card_timeout` for a card (the transport waits that long for the
    /// trade's answer too): polling must not declare the sale "never created" before that wait is over.
    func testTheDeadlineCoversALongerWaitForTheCard() {
        let request = PaymentRequest(amount: Amount(cents: 500), channel: .cardPayment, outTradeNo: "T01-20261121063200-0001",
                                     paymentTimeout: 60, waitCardTimeout: 300)
        let (machine, _) = Machine.startPayment(request, tillID: "T01", paymentTimeout: 60, timing: timing, at: moment(after: 0))
        XCTAssertEqual(machine.attempt.deadline, clock.now.addingTimeInterval(330))
    }

    func testARefundChecksTheSaleBeforeAnythingElse() {
        let (machine, effects) = Machine.startRefund(outTradeNo: "T01-20261121063200-0002",
                                                     origin: RefundOrigin(originalSyssn: "SALE0001", requestedAmount: nil),
                                                     tillID: "T01", paymentTimeout: 60, timing: timing, at: moment(after: 0))
        XCTAssertEqual(journaled(effects), [.created])
        XCTAssertEqual(sent(effects).map(\.purpose), [.refundCheck])
        XCTAssertEqual(sent(effects).first?.request, .inquiry(.orderId("SALE0001")))
        XCTAssertFalse(sent(effects).first!.purpose.movesMoney)
        XCTAssertEqual(machine.attempt.amount, .zero)
        XCTAssertTrue(machine.canCancel)
    }

    func testEveryStepJournalsBeforeActing() {
        var (machine, effects) = start()
        assertJournalFirst(effects)
        let trade = sent(effects)[0]
        effects = machine.answered(trade.id, with: .failure(.unknown("reset")), at: moment(after: 1))
        assertJournalFirst(effects)
        XCTAssertEqual(journaled(effects), [.unknown])
        let poll = sent(effects)[0]
        XCTAssertEqual(poll.purpose, .poll)
        effects = machine.cancel(at: moment(after: 2))
        assertJournalFirst(effects)
        XCTAssertEqual(journaled(effects), [.cancelling])
        XCTAssertEqual(sent(effects).map(\.request), [.cancelRequest])
        effects = machine.answered(poll.id, with: .success(Terminal.processing), at: moment(after: 2))
        assertJournalFirst(effects)
        XCTAssertEqual(timers(effects).count, 1)
    }

    func testStaleTimersAreIgnored() {
        var (machine, effects) = start()
        effects = machine.answered(sent(effects)[0].id, with: .success(Terminal.accepted), at: moment(after: 1))
        let first = timers(effects)[0]
        XCTAssertEqual(first.1, moment(after: 3).instant)
        effects = machine.pollDue(token: first.0, at: moment(after: 3))
        let poll = sent(effects)[0]
        // the same timer firing twice does nothing while its inquiry is out
        XCTAssertEqual(machine.pollDue(token: first.0, at: moment(after: 3)), [])
        effects = machine.answered(poll.id, with: .success(Terminal.processing), at: moment(after: 4))
        let second = timers(effects)[0]
        XCTAssertNotEqual(second.0, first.0)
        XCTAssertEqual(second.1, moment(after: 5).instant, "the next poll is one interval after the last one went out")
        XCTAssertEqual(machine.pollDue(token: first.0, at: moment(after: 5)), [], "an old timer is ignored")
        XCTAssertEqual(sent(machine.pollDue(token: second.0, at: moment(after: 5))).count, 1)
    }

    func testAnAnswerAfterTheOutcomeChangesNothing() {
        var (machine, effects) = start()
        effects = machine.answered(sent(effects)[0].id, with: .failure(.unknown("reset")), at: moment(after: 1))
        let poll = sent(effects)[0]
        let record = TransactionRecord(fields: JSONObject([("respcd", .string("0000")), ("syssn", .string("S1"))]))
        effects = machine.externalResult(record, source: .notification, at: moment(after: 2))
        XCTAssertEqual(journaled(effects), [.approved])
        XCTAssertEqual(machine.answered(poll.id, with: .success(Terminal.status("1205")), at: moment(after: 3)), [])
        XCTAssertEqual(machine.attempt.state, .approved)
        XCTAssertFalse(machine.canCancel)
        XCTAssertFalse(machine.canResolveAgain)
    }

    /// Issue 7 item 12: one deadline, set at the start. A trade call that outlives it no longer buys
    /// a fresh `grace`; it is still asked about by inquiry before the attempt is called unresolved.
    func testASlowTradeCallIsStillAskedAboutButKeepsTheDeadline() {
        var (machine, effects) = start()
        // the trade call itself took longer than payment_timeout + grace
        effects = machine.answered(sent(effects)[0].id, with: .failure(.unknown("timeout")), at: moment(after: 200))
        XCTAssertEqual(machine.attempt.deadline, clock.now.addingTimeInterval(90), "the deadline set at the start")
        XCTAssertEqual(sent(effects).map(\.purpose), [.poll], "asked about at once, never resent")
        effects = machine.answered(sent(effects)[0].id, with: .success(Terminal.processing), at: moment(after: 201))
        XCTAssertEqual(journaled(effects), [.awaiting, .unresolved], "the terminal has it; past the deadline: unresolved")

        var (approved, first) = start()
        first = approved.answered(sent(first)[0].id, with: .failure(.unknown("timeout")), at: moment(after: 200))
        first = approved.answered(sent(first)[0].id, with: .success(Terminal.approved), at: moment(after: 201))
        XCTAssertEqual(journaled(first), [.approved], "an answer found after the deadline still counts")
    }

    func testAnUnresolvedAttemptCanOnlyBeResolvedAgainOrSettled() {
        var (machine, effects) = start()
        effects = machine.answered(sent(effects)[0].id, with: .failure(.unknown("reset")), at: moment(after: 1))
        var seconds = 1
        while !machine.canResolveAgain {
            if let out = sent(effects).first {
                effects = machine.answered(out.id, with: .failure(.unknown("reset")), at: moment(after: seconds))
            } else if let timer = timers(effects).first {
                seconds = max(seconds, Int(moment(after: 0).instant.duration(to: timer.1).components.seconds))
                effects = machine.pollDue(token: timer.0, at: moment(after: seconds))
            } else {
                return XCTFail("stuck: \(effects)")
            }
        }
        XCTAssertEqual(machine.attempt.state, .unresolved)
        XCTAssertFalse(machine.canCancel)
        XCTAssertFalse(machine.isFinal)
        effects = machine.resolveAgain(at: moment(after: 500))
        XCTAssertEqual(journaled(effects), [.unknown])
        XCTAssertEqual(sent(effects).map(\.purpose), [.poll])
    }

    func testResumingAFinalAttemptIsNotPartOfTheAPI() {
        // `resume` is for unfinished attempts; the engine only resumes `unfinished` ones.
        var attempt = start().0.attempt
        attempt.state = .unknown
        let (machine, effects) = Machine.resume(attempt, timing: timing, at: moment(after: 10))
        XCTAssertEqual(sent(effects).map(\.purpose), [.poll])
        XCTAssertEqual(machine.attempt.history.last?.note, "resumed after a restart")
    }

    // The machine keeps "the cashier asked to cancel" and "the terminal showed the order" once, on the
    // attempt (and so in the journal); polling and the outcome read them from there.

    /// A cancel pressed while the trade is on its way still counts once the terminal accepts the trade:
    /// the poll shows "cancelling" and a "not paid" answer ends it as cancelled at the cashier's request.
    func testACancelDuringSendingCarriesIntoPolling() throws {
        var (machine, effects) = start()
        let trade = sent(effects)[0]
        effects = machine.cancel(at: moment(after: 1))
        let cancel = try XCTUnwrap(sent(effects).first { $0.purpose == .cancel })
        XCTAssertEqual(machine.attempt.history.last?.step, .cancelRequested)
        effects = machine.answered(trade.id, with: .success(Terminal.accepted), at: moment(after: 2))
        XCTAssertEqual(machine.attempt.state, .cancelling, "the accepted trade is polled as being cancelled")
        effects = machine.answered(cancel.id, with: .success(Terminal.accepted), at: moment(after: 3))
        XCTAssertEqual(machine.attempt.reason, .cancelSent)
        let poll = try XCTUnwrap(sent(effects).first)
        _ = machine.answered(poll.id, with: .success(Terminal.status("1261")), at: moment(after: 4))
        XCTAssertEqual(machine.attempt.state, .cancelled)
        XCTAssertEqual(machine.attempt.reason, .cancelledByCashier(code: "1261"))
        XCTAssertEqual(machine.attempt.message, "cancelled at the cashier's request (the order was not paid). Nothing was charged.")
    }

    /// Once the terminal has shown the order (journaled as `seenOnTerminal`), a resumed attempt that then
    /// hears only 1136 is unresolved at the deadline, never "never created".
    func testASightingInTheJournalKeepsA1136FromMeaningNeverCreated() throws {
        var (machine, effects) = start()
        effects = machine.answered(sent(effects)[0].id, with: .failure(.unknown("reset", kind: .reset)), at: moment(after: 1))
        XCTAssertEqual(machine.attempt.reason, .asking(.failure(.unknown("reset", kind: .reset))))
        effects = machine.answered(sent(effects)[0].id, with: .success(Terminal.processing), at: moment(after: 2))
        XCTAssertEqual(machine.attempt.seenOnTerminal, true)

        var (resumed, again) = Machine.resume(machine.attempt, timing: timing, at: moment(after: 3))
        var seconds = 3
        while !resumed.isFinal, !resumed.canResolveAgain, seconds < 400 {
            seconds += 2
            for out in sent(again) {
                again = resumed.answered(out.id, with: .success(Terminal.notFound), at: moment(after: seconds))
            }
            if sent(again).isEmpty, case .schedulePoll(let token, _)? = again.last {
                again = resumed.pollDue(token: token, at: moment(after: seconds))
            }
        }
        XCTAssertEqual(resumed.attempt.state, .unresolved)
        XCTAssertEqual(resumed.attempt.reason, .unresolved(kind: .payment))
        XCTAssertEqual(resumed.attempt.history.last?.step, .deadlinePassed)
    }
}
