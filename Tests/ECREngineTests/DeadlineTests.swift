import XCTest
import Foundation
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// One deadline per attempt: start + max(payment_timeout, wait_card_timeout) + grace, set when the
/// sale starts, shown in `attempt.deadline`, and moved only by a cancel (at least grace after it).
final class DeadlineTests: XCTestCase {
    /// Every deadline the engine published for the attempt while it ran.
    private func collectDeadlines(_ h: Harness) async -> Task<[Date], Never> {
        let stream = await h.engine.snapshots()
        return Task {
            var seen: [Date] = []
            for await snapshot in stream {
                if let deadline = snapshot.current?.deadline, seen.last != deadline { seen.append(deadline) }
                if snapshot.current?.state.isActive == false { break }
            }
            return seen
        }
    }

    /// `--payment-timeout 5` with the trade answered "unknown" only after 20 s: polling ends at
    /// 5 + grace from the start, not 20 s + grace, and the deadline never moves while it runs.
    func testASlowTradeCallDoesNotMoveTheDeadline() async throws {
        let h = try Harness()
        let start = h.clock.instant
        let startWall = h.clock.now
        h.transport.script(.payment, .after(.seconds(20), .fail(Terminal.timeout)))
        h.transport.script(.inquiry, always: .answer(Terminal.processing))
        let watch = await collectDeadlines(h)
        var options = PaymentOptions()
        options.paymentTimeout = 5
        let started = try await h.engine.beginPayment(amount: Amount(cents: 700), channel: .alipay, options: options)
        XCTAssertEqual(started.deadline, startWall.addingTimeInterval(35), "payment_timeout + grace from the start")
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .unresolved)
        XCTAssertEqual(attempt.deadline, startWall.addingTimeInterval(35))
        let took = start.duration(to: h.clock.instant)
        XCTAssertLessThanOrEqual(took, .seconds(35), "a 5 s sale with 30 s grace is settled within 35 s, not \(took)")
        XCTAssertGreaterThanOrEqual(took, .seconds(34))
        let seen = await watch.value
        XCTAssertEqual(seen, [startWall.addingTimeInterval(35)], "the deadline shown never jumps")
    }

    /// A trade answer that arrives after the deadline still gets one inquiry before "unresolved".
    func testATradeAnswerAfterTheDeadlineIsAskedAboutOnce() async throws {
        let settings = EngineSettings(tillID: "T01", pollInterval: .seconds(2), grace: .seconds(5), paymentTimeout: 60,
                                      timeZone: TimeZone(identifier: "UTC")!)
        let h = try Harness(settings: settings)
        h.transport.script(.payment, .after(.seconds(80), .answer(Terminal.accepted)))
        h.transport.script(.inquiry, .answer(Terminal.approved))
        let attempt = try await h.pay(800)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(h.transport.count(.inquiry), 1)
    }

    /// A cancel moves the deadline to at least `grace` after it, and the attempt says so.
    func testACancelExtendsTheDeadlineAndShowsIt() async throws {
        let h = try Harness()
        let startWall = h.clock.now
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, always: .answer(Terminal.enteringPassword))
        h.transport.script(.cancelRequest, always: .answer(Terminal.accepted))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 900), channel: .alipay)
        XCTAssertEqual(started.deadline, startWall.addingTimeInterval(90))
        await h.advance(by: .seconds(80))
        let cancelling = try await h.engine.cancelCurrent()
        XCTAssertEqual(cancelling.deadline, startWall.addingTimeInterval(110), "grace from the cancel")
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .unresolved)
        XCTAssertEqual(attempt.deadline, startWall.addingTimeInterval(110))
    }
}
