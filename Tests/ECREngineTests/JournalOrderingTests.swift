import TestSupport
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// DESIGN.md step 6: every transition is in the journal before anything acts on it — checked by the
/// terminal itself, which reads the journal whenever a request reaches it.
final class JournalOrderingTests: XCTestCase {
    func testEveryRequestFindsItsTransitionAlreadyJournaled() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, .answer(Terminal.notFound), .answer(Terminal.processing), .answer(Terminal.processing),
                           .answer(Terminal.approved))
        h.transport.script(.cancelRequest, .answer(Terminal.accepted))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 700), channel: .alipay)
        await h.advance(by: .seconds(3))
        try await h.engine.cancelCurrent()
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .approved)

        let calls = h.transport.calls
        XCTAssertEqual(calls.map(\.request.operation), [.payment, .inquiry, .inquiry, .cancelRequest, .inquiry, .inquiry])
        for call in calls {
            XCTAssertEqual(call.journaled?.outTradeNo, started.outTradeNo)
        }
        // the trade: created and sending both on disk before it left
        XCTAssertEqual(calls[0].journaled?.state, .sending)
        XCTAssertEqual(calls[0].journalLines, 2)
        // the first inquiry after the timeout: unknown is on disk
        XCTAssertEqual(calls[1].journaled?.state, .unknown)
        XCTAssertEqual(calls[2].journaled?.state, .unknown)
        // after the 1145 the attempt became awaiting; then the cashier's cancel
        XCTAssertEqual(calls[3].journaled?.state, .cancelling)
        XCTAssertEqual(calls[4].journaled?.state, .cancelling)
        XCTAssertEqual(h.journal.attempts.last?.history.map(\.to), [.created, .sending, .unknown, .awaiting, .cancelling, .approved])
        XCTAssertEqual(h.journal.lineCount, 6, "one line per transition")
    }

    func testAJournalThatCannotBeWrittenStopsTheSaleBeforeItIsSent() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let journal = try Journal(directory: directory)
        let clock = TestClock()
        let transport = ScriptedTransport(clock: clock, journalDirectory: directory)
        transport.script(.payment, always: .answer(Terminal.approved))
        let engine = try PaymentEngine(transport: transport, terminal: Harness.terminal, journal: journal, clock: clock, settings: Harness.settings)

        journal.failWrites(after: 0)
        do {
            _ = try await engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
            XCTFail("no journal, no sale")
        } catch {
            guard case .journalUnavailable(let reason) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("No space left"), reason)
            XCTAssertTrue(error.description.contains("nothing was sent"), error.description)
        }
        let none = await engine.attempts
        XCTAssertTrue(none.isEmpty)

        // `created` gets written, `sending` does not: the trade must not go out
        journal.failWrites(after: 1)
        let started = try await engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        XCTAssertEqual(started.state, .rejected)
        XCTAssertEqual(started.rejection, .notSent)
        XCTAssertTrue(started.message.contains("journal"), started.message)
        XCTAssertTrue(transport.requests.isEmpty, "nothing reaches the terminal without its journal record")
        let problems = await engine.problems
        XCTAssertEqual(problems.count, 2, "\(problems)")
    }
}

/// Issue 7 item 14: a journal write that fails after the request went out is known to the engine,
/// so the command can say the result was not recorded.
final class UnrecordedResultTests: XCTestCase {
    func testAnApprovalThatCannotBeJournaledIsMarkedUnrecorded() async throws {
        let h = try Harness()
        h.transport.script(.payment, .after(.seconds(5), .answer(Terminal.approved)))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        await h.settle()
        let recordedBefore = await h.engine.isRecorded(started.outTradeNo)
        XCTAssertTrue(recordedBefore)
        // The disk fills up while the customer pays.
        h.journalFile.failWrites(after: 0)
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .approved, "the terminal's answer is what happened")
        XCTAssertEqual(h.journal.attempts.last?.state, .sending, "the journal could not follow")
        let recorded = await h.engine.isRecorded(started.outTradeNo)
        XCTAssertFalse(recorded)
        let problems = await h.engine.writeProblems
        XCTAssertEqual(problems.count, 1)
        XCTAssertTrue(problems.first?.reason.contains("No space left") ?? false, "\(problems)")
        XCTAssertTrue(problems.first?.reason.contains(started.outTradeNo) ?? false, "\(problems)")
    }
}
