import ECRConfiguration
import TestSupport
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// Reconciling through a running engine (the console): questions that change nothing, and adopting
/// a payment the journal missed as `qfecr reconcile --adopt` does.
final class EngineReconcileTests: XCTestCase {
    let id = "T01-20261121063000-0007"

    /// A journal left with the payment unresolved, and an engine on it.
    private func harness(_ state: AttemptState = .unresolved, terminal: TerminalIdentity? = nil) throws -> Harness {
        let directory = Harness.temporaryDirectory()
        let clock = TestClock()
        var attempt = PaymentAttempt(outTradeNo: id, kind: .payment, amount: Amount(cents: 4200), channel: .wechat,
                                     createdAt: clock.now.addingTimeInterval(-120), tillID: "T01", paymentTimeout: 60, state: state)
        attempt.terminal = terminal
        try Journal(directory: directory).append(attempt, at: clock.now)
        let h = try Harness(directory: directory, clock: clock)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        return h
    }

    private func paid(cents: Int = 4200) -> ECRResponse {
        Terminal.status("0000", outTradeNo: id, syssn: "20261121000100020007", more: [("txamt", String(cents))])
    }

    func testAQuestionIsLoggedButSettlesNothingAndTellsNobody() async throws {
        let h = try harness()
        h.transport.script(.inquiry, .answer(paid()))
        let before = await h.engine.snapshot
        let answer = try await h.engine.reconcileInquiry(.outTradeNo(id))
        XCTAssertEqual(try answer.get().data?.status?.code, "0000")
        let after = await h.engine.snapshot
        let state = await h.engine.attempt(id)?.state
        XCTAssertEqual(state, .unresolved, "the answer settles nothing: adopting does, on a yes")
        XCTAssertEqual(after.results, before.results, "no notice for other subscribers")
        XCTAssertEqual(after.log.filter { $0.operation == .inquiry }.count, 1, "the question is in the wire log")
        XCTAssertFalse(after.busy, "the terminal is shown free again")
    }

    func testAQuestionIsRefusedWhileASaleRuns() async throws {
        let h = try Harness()
        h.transport.script(.payment, .after(.seconds(600), .answer(Terminal.accepted)))
        _ = try await h.engine.beginPayment(amount: Amount(cents: 100), channel: .wechat)
        await h.settle()
        do {
            _ = try await h.engine.reconcileInquiry(.outTradeNo(id))
            XCTFail("asked while a sale runs")
        } catch {
            guard case .busy = error else { return XCTFail("\(error)") }
        }
        let results = await h.engine.snapshot.results
        XCTAssertTrue(results.isEmpty, "refused quietly: the reconcile view says why")
        let failure = await EngineReconcileInquiry(engine: h.engine).ask(.outTradeNo(id))
        guard case .failure(let refused) = failure else { return XCTFail("answered") }
        XCTAssertEqual(refused.certainty, .notSent)
        XCTAssertEqual(refused.kind, .busy)
    }

    func testAdoptingJournalsTheSameStepAsTheCommand() async throws {
        let h = try harness()
        let journaled = await h.engine.attempt(id)
        let before = try XCTUnwrap(journaled)
        let record = try XCTUnwrap(paid().data)
        let adopted = try await h.engine.adoptFromReconcile(id, record: record)
        XCTAssertEqual(adopted.state, .approved)
        XCTAssertEqual(adopted.reason, .adoptedFromReconcile)
        XCTAssertEqual(adopted.syssn, "20261121000100020007")
        let written = try XCTUnwrap(h.journal.attempts.last { $0.outTradeNo == id })
        XCTAssertEqual(written, adopted)
        XCTAssertTrue(written.history.last?.note.hasPrefix("adopted from reconcile") ?? false, "\(written.history)")
        XCTAssertEqual(adopted, try Reconciliation.adopted(before, record: record, at: adopted.history.last!.at),
                       "the very attempt the command would journal")
        let pending = await h.engine.snapshot.pending
        XCTAssertTrue(pending.isEmpty, "nothing unresolved any more")
        do {
            _ = try await h.engine.adoptFromReconcile(id, record: record)
            XCTFail("adopted twice")
        } catch {
            XCTAssertTrue(error.message.contains("only an unfinished or never-created"), error.message)
        }
    }

    func testARecordThatDoesNotProveThePaymentOrAnotherTerminalsAttemptIsNotAdopted() async throws {
        let h = try harness()
        let other = try XCTUnwrap(paid(cents: 1).data), record = try XCTUnwrap(paid().data)
        do {
            _ = try await h.engine.adoptFromReconcile(id, record: other)
            XCTFail("adopted for another amount")
        } catch {
            XCTAssertTrue(error.message.contains("not adopted"), error.message)
            XCTAssertEqual(error, .amountDiffers(terminal: Amount(cents: 1), journal: Amount(cents: 4200)))
        }
        let kept = await h.engine.attempt(id)?.state
        XCTAssertEqual(kept, .unresolved)
        let elsewhere = try harness(terminal: TerminalIdentity(transport: .tcp, address: "127.0.0.2", port: 9002))
        do {
            _ = try await elsewhere.engine.adoptFromReconcile(id, record: record)
            XCTFail("adopted another terminal's attempt")
        } catch {
            XCTAssertTrue(error.message.contains("127.0.0.2"), error.message)
            guard case .refused(.otherTerminal(id, _)) = error else { return XCTFail("\(error)") }
        }
    }
}
