import TestSupport
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// DESIGN.md step 6: on start every unfinished attempt in the journal resumes, whatever state the
/// till stopped in.
final class RecoveryTests: XCTestCase {
    /// Writes a journal as a till would have left it when it stopped with `attempt` in `state`.
    private func journalStopped(in state: AttemptState, kind: AttemptKind = .payment, cancelRequested: Bool = false,
                                directory: String) throws -> PaymentAttempt {
        let clock = TestClock()
        var attempt = PaymentAttempt(outTradeNo: "T01-20261121063000-0007", kind: kind, amount: Amount(cents: 4200),
                                     channel: .wechat, createdAt: clock.now.addingTimeInterval(-120), tillID: "T01",
                                     paymentTimeout: 60)
        if kind == .refund {
            attempt.refund = RefundOrigin(originalSyssn: "SALE0001", requestedAmount: Amount(cents: 4200),
                                          refundableBefore: Amount(cents: 10000), originalAmount: Amount(cents: 10000))
        }
        attempt.deadline = clock.now.addingTimeInterval(-30)
        attempt.cancelRequested = cancelRequested
        let journal = try Journal(directory: directory)
        var path: [AttemptState] = [.created]
        if state != .created { path.append(.sending) }
        if ![.created, .sending].contains(state) { path.append(state) }
        for step in path {
            attempt.history.append(AttemptTransition(at: clock.now, from: attempt.history.last?.to, to: step, note: "test"))
            attempt.state = step
            try journal.append(attempt, at: clock.now)
        }
        return attempt
    }

    func testRestartInEveryUnfinishedStateResumesPollingAndResolves() async throws {
        let states: [AttemptState] = [.sending, .awaiting, .unknown, .cancelling, .unresolved]
        for state in states {
            let directory = Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let stopped = try journalStopped(in: state, cancelRequested: state == .cancelling, directory: directory)
            let h = try Harness(directory: directory)
            h.transport.script(.inquiry, .answer(Terminal.processing), .answer(Terminal.approved))
            let before = await h.engine.attempt(stopped.outTradeNo)
            XCTAssertEqual(before?.state, state)
            let resumed = await h.engine.resumePending()
            XCTAssertEqual(resumed.map(\.outTradeNo), [stopped.outTradeNo], "\(state)")
            let attempt = await h.runToOutcome(stopped.outTradeNo)
            XCTAssertEqual(attempt.state, .approved, "\(state)")
            XCTAssertEqual(h.transport.requests.first, .inquiry(.outTradeNo(stopped.outTradeNo)), "\(state)")
            XCTAssertEqual(h.transport.count(.payment), 0, "\(state): a resumed payment is never resent")
            XCTAssertEqual(h.transport.count(.inquiry), 2, "\(state)")
            XCTAssertEqual(h.journal.attempts.last?.state, .approved, "\(state)")
        }
    }

    func testAfterARestartA1136CannotMeanNeverCreatedOnceTheTerminalHadThePayment() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let before = try Harness(directory: directory)
        before.transport.script(.payment, .answer(Terminal.accepted))
        before.transport.script(.inquiry, .answer(Terminal.enteringPassword))
        let started = try await before.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        // One poll sees the payment on the terminal (1143); then the till dies (its clock never moves again).
        await before.advance(by: .seconds(2))
        XCTAssertEqual(before.transport.count(.inquiry), 1)
        XCTAssertEqual(before.journal.attempts.last?.seenOnTerminal, true, "the sighting is journaled at once")

        let after = try Harness(directory: directory)
        after.transport.script(.inquiry, always: .answer(Terminal.notFound))
        await after.engine.resumePending()
        let attempt = await after.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .unresolved,
                       "a payment the terminal once had is never called 'never created, safe to try again'")
        XCTAssertEqual(after.transport.count(.payment), 0, "never resent")
    }

    func testARestartWhileConfirmingATerminalCancelStillConfirmsIt() async throws {
        for (answer, expected) in [(Terminal.notFound, AttemptState.cancelled), (Terminal.approved, .approved)] {
            let directory = Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let stopped = try journalStopped(in: .cancelling, cancelRequested: false, directory: directory)
            let h = try Harness(directory: directory)
            h.transport.script(.inquiry, .answer(answer))
            await h.engine.resumePending()
            let attempt = await h.runToOutcome(stopped.outTradeNo)
            XCTAssertEqual(attempt.state, expected)
            XCTAssertEqual(h.transport.count(.inquiry), 1)
        }
    }

    func testAStopBeforeSendingEndsAsNotSentWithoutAsking() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stopped = try journalStopped(in: .created, directory: directory)
        let h = try Harness(directory: directory)
        let resumed = await h.engine.resumePending()
        XCTAssertEqual(resumed.first?.state, .rejected)
        XCTAssertEqual(resumed.first?.rejection, .notSent)
        XCTAssertTrue(resumed.first?.message.contains("safe to try again") ?? false)
        XCTAssertTrue(h.transport.requests.isEmpty)
        XCTAssertEqual(h.journal.attempts.first { $0.outTradeNo == stopped.outTradeNo }?.state, .rejected)
    }

    func testAResumedRefundIsResolvedThroughTheOriginalSale() async throws {
        for state: AttemptState in [.sending, .unknown, .awaiting, .unresolved] {
            let directory = Harness.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let stopped = try journalStopped(in: state, kind: .refund, directory: directory)
            let h = try Harness(directory: directory)
            h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 10000, refundable: 10000)),
                               .answer(Terminal.sale(txamt: 10000, refundable: 5800, cancel: 5)))
            await h.engine.resumePending()
            let attempt = await h.runToOutcome(stopped.outTradeNo)
            XCTAssertEqual(attempt.state, .approved, "\(state)")
            XCTAssertEqual(h.transport.requests.first, .inquiry(.orderId("SALE0001")))
            XCTAssertEqual(h.transport.count(.refund), 0)
        }
    }

    /// A crafted line with cents no till could write would overflow the refund arithmetic on every
    /// start: it is reported with its line number and skipped like any damaged line, and the engine
    /// goes on from the attempt's last readable line.
    func testAJournalLineWithExtremeCentsIsReportedAndSkipped() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stopped = try journalStopped(in: .unknown, kind: .refund, directory: directory)
        let path = directory + "/" + Journal.fileName
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[2].contains(#""refundable_before":{"cents":10000}"#), lines[2])
        lines[2] = lines[2].replacingOccurrences(of: #""refundable_before":{"cents":10000}"#,
                                                 with: #""refundable_before":{"cents":-9223372036854775808}"#)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)

        let read = try JournalReader.read(directory: directory)
        XCTAssertEqual(read.problems.map(\.line), [3])
        XCTAssertTrue(read.problems.first?.reason.contains("refundable_before") ?? false, "\(read.problems)")
        XCTAssertEqual(read.attempts.first?.state, .sending, "the last readable line of the attempt stands")

        let h = try Harness(directory: directory)
        let problems = await h.engine.problems
        XCTAssertEqual(problems.map(\.line), [3])
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 10000, refundable: 10000)),
                           .answer(Terminal.sale(txamt: 10000, refundable: 5800, cancel: 5)))
        await h.engine.resumePending()
        let attempt = await h.runToOutcome(stopped.outTradeNo)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(h.transport.count(.refund), 0)
    }

    func testRefundArithmeticOnExtremeAmountsNeverTraps() {
        let origin = RefundOrigin(originalSyssn: "SALE0001", requestedAmount: nil, refundableBefore: Amount(cents: .min))
        let verdict = RefundInquiryVerdict(.success(Terminal.sale(txamt: 1000, refundable: 1000)), origin: origin,
                                           amount: Amount(cents: 4200))
        guard case .unexpected = verdict else { return XCTFail("\(verdict)") }
        XCTAssertNil(Amount(cents: .max).adding(Amount(cents: 1)))
        XCTAssertEqual(Amount(cents: 500).subtracting(Amount(cents: 200)), Amount(cents: 300))
    }

    func testAResumedAttemptWithNoAnswerIsUnresolvedAfterGrace() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stopped = try journalStopped(in: .unknown, directory: directory)
        let h = try Harness(directory: directory)
        h.transport.script(.inquiry, always: .fail(Terminal.timeout))
        let start = h.clock.instant
        await h.engine.resumePending()
        let attempt = await h.runToOutcome(stopped.outTradeNo)
        XCTAssertEqual(attempt.state, .unresolved)
        XCTAssertEqual(start.duration(to: h.clock.instant), .seconds(30), "an expired deadline still gets the grace")
    }

    func testAStoppedAttemptBlocksNewSalesUntilResolved() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stopped = try journalStopped(in: .unknown, directory: directory)
        let h = try Harness(directory: directory)
        do {
            _ = try await h.engine.beginPayment(amount: Amount(cents: 100), channel: .alipay)
            XCTFail("must be refused before the stopped attempt is resolved")
        } catch {
            XCTAssertEqual(error, .busy(outTradeNo: stopped.outTradeNo, state: .unknown))
        }
    }

    func testRestartInTheMiddleOfARealSale() async throws {
        let first = try Harness()
        first.transport.script(.payment, .answer(Terminal.accepted))
        first.transport.script(.inquiry, always: .answer(Terminal.processing))
        let started = try await first.engine.beginPayment(amount: Amount(cents: 2500), channel: .alipay)
        await first.advance(by: .seconds(5))
        // the till dies here; its clock never moves again
        let second = try Harness(directory: first.directory)
        second.transport.script(.inquiry, .answer(Terminal.approved))
        let waiting = await second.engine.attempt(started.outTradeNo)
        XCTAssertEqual(waiting?.state, .awaiting)
        await second.engine.resumePending()
        let attempt = await second.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(second.transport.count(.payment), 0)
        // the sequence goes on across the restart
        second.transport.script(.payment, .answer(Terminal.approved))
        let next = try await second.pay(100)
        XCTAssertTrue(next.outTradeNo.hasSuffix("-0002"), next.outTradeNo)
        XCTAssertTrue(started.outTradeNo.hasSuffix("-0001"), started.outTradeNo)
    }

    func testAQueryAnswerSettlesAStoppedAttempt() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stopped = try journalStopped(in: .unresolved, directory: directory)
        let h = try Harness(directory: directory)
        h.transport.script(.inquiry, .answer(Terminal.status("0000", outTradeNo: stopped.outTradeNo, syssn: "FOUND0001")))
        let answer = try await h.engine.query(.outTradeNo(stopped.outTradeNo))
        XCTAssertTrue(answer.succeeded)
        XCTAssertEqual(answer.attempt?.state, .approved)
        XCTAssertEqual(answer.attempt?.syssn, "FOUND0001")
        XCTAssertEqual(h.journal.attempts.last?.state, .approved)
    }

    func testAQueryOrNotificationSettlesAnAttemptNobodyResumedYet() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stopped = try journalStopped(in: .unknown, directory: directory)
        let h = try Harness(directory: directory)
        h.transport.script(.inquiry, .answer(Terminal.status("1205", outTradeNo: stopped.outTradeNo)))
        let answer = try await h.engine.query(.outTradeNo(stopped.outTradeNo))
        XCTAssertEqual(answer.attempt?.state, .declined)

        let other = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: other) }
        let second = try journalStopped(in: .awaiting, directory: other)
        let g = try Harness(directory: other)
        let record = TransactionRecord(fields: JSONObject([("status", .string("1")), ("syssn", .string("N1"))]))
        await g.engine.notificationReceived(outTradeNo: second.outTradeNo, record: record)
        let settled = await g.engine.attempt(second.outTradeNo)
        XCTAssertEqual(settled?.state, .approved)
        XCTAssertEqual(g.journal.attempts.last?.state, .approved)
        XCTAssertTrue(g.transport.requests.isEmpty)
    }

    func testAnInconclusiveQueryLeavesAStoppedAttemptAsItWas() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stopped = try journalStopped(in: .unresolved, directory: directory)
        let h = try Harness(directory: directory)
        h.transport.script(.inquiry, .answer(Terminal.notFound), .answer(Terminal.approved))
        let answer = try await h.engine.query(.outTradeNo(stopped.outTradeNo))
        XCTAssertEqual(answer.attempt?.state, .unresolved)
        // and it can still be resumed
        await h.engine.resumePending()
        let attempt = await h.runToOutcome(stopped.outTradeNo)
        XCTAssertEqual(attempt.state, .approved)
    }
}
