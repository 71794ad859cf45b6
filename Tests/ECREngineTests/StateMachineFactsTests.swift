import TestSupport
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// The machine keeps "the cashier asked to cancel" and "the terminal showed the order" once, on the
/// attempt (and so in the journal); polling and the outcome read them from there. Its outcomes are
/// values (`OutcomeReason`, `StepNote`), worded only when shown.
final class StateMachineFactsTests: XCTestCase {
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
