import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// DESIGN.md steps 2–5 for payments, one outcome per test, against a scripted terminal.
final class PaymentPolicyTests: XCTestCase {
    func testApprovedAtOnce() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.approved))
        let attempt = try await h.pay(1250, .cardPayment)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.respcd, "0000")
        XCTAssertEqual(attempt.syssn, "20261121000100020001")
        XCTAssertEqual(attempt.channelOrderNo, "4200001234")
        XCTAssertEqual(attempt.cardScheme, "VISA")
        XCTAssertEqual(attempt.amount, Amount(cents: 1250))
        XCTAssertEqual(h.transport.count(.payment), 1)
        XCTAssertEqual(h.transport.count(.inquiry), 0)
        XCTAssertEqual(attempt.history.map(\.to), [.created, .sending, .approved])
        guard case .payment(let sent) = h.transport.requests.first else { return XCTFail("no payment sent") }
        XCTAssertEqual(sent.outTradeNo, attempt.outTradeNo)
        XCTAssertEqual(sent.amount, Amount(cents: 1250))
        XCTAssertEqual(sent.paymentTimeout, 60)
    }

    func testAwaitingThenApprovedByInquiryEveryPollInterval() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.processing), .answer(Terminal.enteringPassword), .answer(Terminal.approved))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.syssn, "20261121000100020001")
        XCTAssertEqual(attempt.history.map(\.to), [.created, .sending, .awaiting, .approved])
        let calls = h.transport.calls
        XCTAssertEqual(calls.map(\.request.operation), [.payment, .inquiry, .inquiry, .inquiry])
        XCTAssertEqual(calls[1].request, .inquiry(.outTradeNo(attempt.outTradeNo)))
        let gaps = zip(calls.dropFirst(), calls.dropFirst(2)).map { $0.at.duration(to: $1.at) }
        XCTAssertEqual(calls[0].at.duration(to: calls[1].at), .seconds(2))
        XCTAssertEqual(gaps, [.seconds(2), .seconds(2)])
    }

    func testTradeAnswered1143Or1145AwaitsAndPolls() async throws {
        for code in ["1143", "1145"] {
            let h = try Harness()
            h.transport.script(.payment, .answer(Terminal.status(code)))
            h.transport.script(.inquiry, .answer(Terminal.approved))
            let attempt = try await h.pay(500)
            XCTAssertEqual(attempt.state, .approved, code)
            XCTAssertTrue(attempt.history.map(\.to).contains(.awaiting), code)
            XCTAssertEqual(h.transport.count(.inquiry), 1, code)
        }
    }

    func testDeclinedAtOnceWithTheCodesMeaning() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.status("1201")))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .declined)
        XCTAssertEqual(attempt.respcd, "1201")
        XCTAssertTrue(attempt.message.contains("insufficient balance"), attempt.message)
        XCTAssertEqual(h.transport.count(.inquiry), 0)
        XCTAssertEqual(attempt.reportedState, .declined)
    }

    func testDeclinedByInquiry() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.processing), .answer(Terminal.status("1202")))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .declined)
        XCTAssertEqual(attempt.respcd, "1202")
        XCTAssertTrue(attempt.message.contains("wrong payment code"), attempt.message)
    }

    func testCancelledOnTerminalIsConfirmedByOneInquiry() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.cancelled))
        h.transport.script(.inquiry, .answer(Terminal.notFound))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .cancelled)
        XCTAssertEqual(h.transport.count(.inquiry), 1)
        XCTAssertEqual(attempt.history.map(\.to), [.created, .sending, .cancelling, .cancelled])
    }

    func testCancelledOnTerminalButInquirySaysApprovedIsApproved() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.cancelled))
        h.transport.script(.inquiry, .answer(Terminal.approved))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.syssn, "20261121000100020001")
        XCTAssertEqual(h.transport.count(.inquiry), 1)
    }

    func testCancelledOnTerminalWithFailedInquiryKeepsAskingAndNeverGuesses() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.cancelled))
        h.transport.script(.inquiry, .fail(Terminal.timeout), always: .fail(Terminal.refused))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .unresolved, "a cancel nobody could confirm is not shown as final")
        XCTAssertGreaterThan(h.transport.count(.inquiry), 1)
    }

    func testEveryRejectionCodeMeansNothingWasCharged() async throws {
        for code in ["4003", "4004", "4005", "4006", "4007", "5001", "6002"] {
            let h = try Harness()
            h.transport.script(.payment, .answer(Terminal.outer(code)))
            let attempt = try await h.pay(500)
            XCTAssertEqual(attempt.state, .rejected, code)
            XCTAssertEqual(attempt.rejection, .terminal, code)
            XCTAssertEqual(attempt.respcd, code)
            XCTAssertTrue(attempt.message.contains(OuterStatus(code: code).meaning.english), attempt.message)
            XCTAssertTrue(attempt.message.contains("Nothing was charged"), attempt.message)
            XCTAssertEqual(h.transport.count(.inquiry), 0, code)
        }
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.outer("4003")))
        let attempt = try await h.pay(500)
        XCTAssertTrue(attempt.message.contains("POS-KEY mismatch — check the key in the merchant portal"), attempt.message)
    }

    func testNotSentIsRejectedAndSafeToTryAgain() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.refused))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .rejected)
        XCTAssertEqual(attempt.rejection, .notSent)
        XCTAssertEqual(attempt.reportedState, .rejected)
        XCTAssertTrue(attempt.message.contains("safe to try again"), attempt.message)
        XCTAssertTrue(attempt.message.contains("connection refused"), attempt.message)
        XCTAssertEqual(h.transport.count(.inquiry), 0)
        // and the till takes the next sale
        h.transport.script(.payment, .answer(Terminal.approved))
        let retry = try await h.pay(500)
        XCTAssertEqual(retry.state, .approved)
        XCTAssertNotEqual(retry.outTradeNo, attempt.outTradeNo)
    }

    func testTimeoutSendsExactlyOneTradeAndFindsTheResultByInquiry() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout), always: .answer(Terminal.approved))
        h.transport.script(.inquiry, .answer(Terminal.notFound), .answer(Terminal.processing), .answer(Terminal.approved))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(h.transport.count(.payment), 1, "an unknown outcome is never resent")
        XCTAssertEqual(h.transport.count(.inquiry), 3)
        XCTAssertEqual(attempt.history.map(\.to), [.created, .sending, .unknown, .awaiting, .approved])
        // the first inquiry goes out at once: after a timeout, ask before anything else
        XCTAssertEqual(h.transport.calls[0].at, h.transport.calls[1].at)
    }

    func testGarbledOrUndocumentedAnswersAreUnknown() async throws {
        let garbled = TransportFailure.unknown("the terminal's answer is neither JSON nor encrypted data: <html>")
        for step: ScriptedTransport.Step in [.fail(garbled), .answer(Terminal.outer("9999"))] {
            let h = try Harness()
            h.transport.script(.payment, step)
            h.transport.script(.inquiry, .answer(Terminal.approved))
            let attempt = try await h.pay(500)
            XCTAssertEqual(attempt.state, .approved)
            XCTAssertTrue(attempt.history.map(\.to).contains(.unknown))
            XCTAssertEqual(h.transport.count(.payment), 1)
        }
    }

    func testOrderNotFoundUntilTheDeadlineFailsAsNeverCreated() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, always: .answer(Terminal.notFound))
        let start = h.clock.instant
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .declined)
        XCTAssertEqual(attempt.respcd, "1136")
        XCTAssertEqual(attempt.reportedState, .declined)
        XCTAssertTrue(attempt.message.contains("never created"), attempt.message)
        XCTAssertEqual(h.transport.count(.payment), 1)
        // payment_timeout 60 + grace 30
        XCTAssertEqual(start.duration(to: h.clock.instant), .seconds(90))
        XCTAssertGreaterThanOrEqual(h.transport.count(.inquiry), 44)
    }

    func testOrderNotFoundThenApproved() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, .answer(Terminal.notFound), .answer(Terminal.notFound), .answer(Terminal.approved))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
    }

    func testOrderNotFoundFollowedBySilenceIsUnresolvedNotFailed() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, .answer(Terminal.notFound), always: .fail(Terminal.timeout))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .unresolved, "an old 1136 says nothing about what happened since")
    }

    func testOrderSeenThenNotFoundIsUnresolvedNotFailed() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.processing), always: .answer(Terminal.notFound))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .unresolved)
    }

    func testTransportErrorsAndRefusedInquiriesWhilePollingKeepPolling() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .fail(Terminal.timeout), .fail(Terminal.refused), .answer(Terminal.outer("4005")),
                           .answer(Terminal.status("0000", outTradeNo: "SOMEONE-ELSE")), .answer(Terminal.approved))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(h.transport.count(.inquiry), 5)
        XCTAssertEqual(h.transport.count(.payment), 1)
    }

    func testNoFinalAnswerByTheDeadlineIsUnresolved() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, always: .answer(Terminal.processing))
        let start = h.clock.instant
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .unresolved)
        XCTAssertFalse(attempt.state.isFinal)
        XCTAssertEqual(attempt.reportedState, .unresolved)
        XCTAssertEqual(attempt.reportedState.exitCode, 3)
        XCTAssertTrue(attempt.message.contains("Do not charge again"), attempt.message)
        XCTAssertEqual(start.duration(to: h.clock.instant), .seconds(90))
        let polls = h.transport.count(.inquiry)
        // unresolved means the engine stopped asking
        await h.advance(by: .seconds(60))
        XCTAssertEqual(h.transport.count(.inquiry), polls)
        let pending = await h.engine.snapshot.pending
        XCTAssertEqual(pending.map(\.outTradeNo), [attempt.outTradeNo])
    }

    func testResolveAgainPollsWithAFreshDeadline() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, always: .fail(Terminal.timeout))
        let unresolved = try await h.pay(500)
        XCTAssertEqual(unresolved.state, .unresolved)
        h.transport.script(.inquiry, .answer(Terminal.processing), .answer(Terminal.approved))
        let again = try await h.engine.beginResolveAgain(unresolved.outTradeNo)
        XCTAssertEqual(again.state, .unknown)
        let resolved = await h.runToOutcome(unresolved.outTradeNo)
        XCTAssertEqual(resolved.state, .approved)
        XCTAssertEqual(h.transport.count(.payment), 1)
        XCTAssertEqual(resolved.history.map(\.to).suffix(4), [.unresolved, .unknown, .awaiting, .approved])
    }

    func testResolveAgainThatStaysSilentIsUnresolvedAgainAfterGrace() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, always: .fail(Terminal.timeout))
        let unresolved = try await h.pay(500)
        let start = h.clock.instant
        _ = try await h.engine.beginResolveAgain(unresolved.outTradeNo)
        let again = await h.runToOutcome(unresolved.outTradeNo)
        XCTAssertEqual(again.state, .unresolved)
        XCTAssertEqual(start.duration(to: h.clock.instant), .seconds(30))
    }

    func testResolveAgainRefusedUnlessUnresolved() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.approved))
        let attempt = try await h.pay(500)
        do {
            _ = try await h.engine.beginResolveAgain(attempt.outTradeNo)
            XCTFail("resolving an approved payment again must be refused")
        } catch {
            XCTAssertEqual(error, .notUnresolved(outTradeNo: attempt.outTradeNo, state: .approved))
        }
        do {
            _ = try await h.engine.beginResolveAgain("NOPE")
            XCTFail("unknown id must be refused")
        } catch {
            XCTAssertEqual(error, .unknownOutTradeNo("NOPE"))
        }
    }

    func testCancelWhileWaitingSends5001AndKeepsPolling() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.processing), .answer(Terminal.processing), always: .answer(Terminal.notFound))
        h.transport.script(.cancelRequest, .answer(Terminal.accepted))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .wechat)
        await h.advance(by: .seconds(3))
        let cancelling = try await h.engine.cancelCurrent()
        XCTAssertEqual(cancelling.state, .cancelling)
        let inquiriesAtCancel = h.transport.count(.inquiry)
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(h.transport.count(.cancelRequest), 1)
        XCTAssertGreaterThan(h.transport.count(.inquiry), inquiriesAtCancel, "polling goes on after the cancel")
        XCTAssertEqual(attempt.state, .cancelled)
        XCTAssertEqual(attempt.respcd, "1136")
        XCTAssertTrue(attempt.cancelRequested)
        let cancelCall = h.transport.calls.first { $0.request == .cancelRequest }
        XCTAssertEqual(cancelCall?.journaled?.state, .cancelling, "the cancel is journaled before it is sent")
    }

    func testCancelThatLosesTheRaceIsStillAnApproval() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.processing), .answer(Terminal.approved))
        h.transport.script(.cancelRequest, .answer(Terminal.accepted))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .wechat)
        await h.advance(by: .seconds(3))
        try await h.engine.cancelCurrent()
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertTrue(attempt.message.contains("before the cancel"), attempt.message)
    }

    func testCancelDuringALongTradeCall() async throws {
        let h = try Harness()
        h.transport.script(.payment, .after(.seconds(20), .answer(Terminal.cancelled)))
        h.transport.script(.cancelRequest, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.notFound))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .cardPayment)
        await h.advance(by: .seconds(5))
        let midway = await h.engine.attempt(started.outTradeNo)
        XCTAssertEqual(midway?.state, .sending)
        try await h.engine.cancelCurrent()
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(h.transport.requests.map(\.operation), [.payment, .cancelRequest, .inquiry])
        XCTAssertEqual(attempt.state, .cancelled)
    }

    /// The cashier's cancel ends the trade with 6001 and the inquiry says not paid: that is the
    /// cashier's cancel having worked, not the customer cancelling on the terminal.
    func testATradeEndedByTheCashiersCancelSaysSo() async throws {
        let h = try Harness()
        h.transport.script(.payment, .after(.seconds(20), .answer(Terminal.cancelled)))
        h.transport.script(.cancelRequest, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.status("1261", syssn: "20261121000100020001")))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 353), channel: .cardPayment)
        await h.advance(by: .seconds(5))
        try await h.engine.cancelCurrent()
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .cancelled)
        XCTAssertEqual(attempt.reason, .cancelledByCashier(code: "1261"))
        // Without a cancel from the till, 6001 is the terminal's (the customer's) doing.
        let alone = try Harness()
        alone.transport.script(.payment, .answer(Terminal.cancelled))
        alone.transport.script(.inquiry, .answer(Terminal.status("1261")))
        let onTerminal = try await alone.pay(500)
        XCTAssertEqual(onTerminal.reason, .cancelledOnTerminal(code: "1261"))
    }

    func testCancelWithNothingInProgressIsRefused() async throws {
        let h = try Harness()
        do {
            try await h.engine.cancelCurrent()
            XCTFail("nothing to cancel")
        } catch {
            XCTAssertEqual(error, .nothingToCancel)
        }
    }

    func testANewSaleIsRefusedWhileOneIsUnknownOrUnresolved() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, always: .fail(Terminal.timeout))
        let first = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        await h.settle()
        for attempt in [{ try await h.engine.beginPayment(amount: Amount(cents: 100), channel: .alipay) },
                        { try await h.engine.beginRefund(syssn: "SALE0001") }] {
            do {
                _ = try await attempt()
                XCTFail("a second transaction must be refused while one is unknown")
            } catch let refusal as EngineRefusal {
                XCTAssertEqual(refusal, .busy(outTradeNo: first.outTradeNo, state: .unknown))
                XCTAssertTrue(refusal.description.contains(first.outTradeNo))
            }
        }
        let unresolved = await h.runToOutcome(first.outTradeNo)
        XCTAssertEqual(unresolved.state, .unresolved)
        do {
            _ = try await h.engine.beginPayment(amount: Amount(cents: 100), channel: .alipay)
            XCTFail("a new sale must be refused while one is unresolved")
        } catch {
            XCTAssertEqual(error, .busy(outTradeNo: first.outTradeNo, state: .unresolved))
            XCTAssertTrue(error.description.contains(first.outTradeNo) && error.description.contains("unresolved"), error.description)
        }
        XCTAssertEqual(h.transport.count(.payment), 1)
    }

    func testAnUnresolvedSaleSettledByHandFreesTheTill() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, always: .fail(Terminal.timeout))
        let unresolved = try await h.pay(500)
        let settled = try await h.engine.settleByHand(unresolved.outTradeNo, paid: true, note: "seen in the merchant portal")
        XCTAssertEqual(settled.state, .approved)
        XCTAssertTrue(settled.message.contains("by hand"))
        XCTAssertEqual(h.journal.attempts.last?.state, .approved)
        h.transport.script(.payment, .answer(Terminal.approved))
        let next = try await h.pay(100)
        XCTAssertEqual(next.state, .approved)
    }

    func testNotificationSettlesWithoutWaitingForThePoll() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, always: .answer(Terminal.processing))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        await h.advance(by: .seconds(3))
        let polls = h.transport.count(.inquiry)
        let record = TransactionRecord(fields: JSONObject([("status", .string("1")), ("out_trade_no", .string(started.outTradeNo)),
                                                           ("syssn", .string("NOTIFIED01")), ("notify_type", .string("payment"))]))
        await h.engine.notificationReceived(outTradeNo: started.outTradeNo, record: record)
        let attempt = await h.engine.attempt(started.outTradeNo)
        XCTAssertEqual(attempt?.state, .approved)
        XCTAssertEqual(attempt?.syssn, "NOTIFIED01")
        await h.advance(by: .seconds(10))
        XCTAssertEqual(h.transport.count(.inquiry), polls, "no more polling once settled")
    }

    func testACancelJustBeforeTheDeadlineIsStillSeenThrough() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, always: .answer(Terminal.enteringPassword))
        h.transport.script(.cancelRequest, .answer(Terminal.accepted))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        await h.advance(by: .seconds(89))          // the deadline is 60 s + 30 s grace
        let inquiriesBefore = h.transport.count(.inquiry)
        h.transport.script(.inquiry, always: .answer(Terminal.status("1261")))
        try await h.engine.cancelCurrent()
        await h.settle()
        XCTAssertEqual(h.transport.count(.inquiry), inquiriesBefore + 1, "asked at once what the cancel did")
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertNotEqual(attempt.state, .unresolved, "the cancel's outcome is seen, not cut off by the old deadline")
        XCTAssertEqual(attempt.respcd, "1261")
        XCTAssertEqual(h.transport.count(.payment), 1)
    }

    func testARefundNotificationNamingTheSaleNeverSettlesTheSale() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, always: .answer(Terminal.processing))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        await h.advance(by: .seconds(3))
        let record = TransactionRecord(fields: JSONObject([("respcd", .string("0000")), ("out_trade_no", .string(started.outTradeNo)),
                                                           ("syssn", .string("REFUND01")), ("notify_type", .string("refund")),
                                                           ("orig_syssn", .string("SOMESALE"))]))
        await h.engine.notificationReceived(outTradeNo: started.outTradeNo, record: record)
        let attempt = await h.engine.attempt(started.outTradeNo)
        XCTAssertNotEqual(attempt?.state, .approved, "a refund's notification is not the sale's approval")
        XCTAssertNil(attempt?.syssn)
    }

    func testInvalidRequestsAreRefusedBeforeAnythingIsJournaled() async throws {
        let h = try Harness()
        do {
            _ = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .payme, options: PaymentOptions(paymentTimeout: 180))
            XCTFail("PayMe allows at most 120 s")
        } catch {
            guard case .invalidRequest = error else { return XCTFail("\(error)") }
        }
        do {
            _ = try await h.engine.beginPayment(amount: Amount(cents: 0), channel: .alipay)
            XCTFail("zero refused")
        } catch {
            guard case .invalidRequest = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(h.journal.lineCount, 0)
        XCTAssertTrue(h.transport.requests.isEmpty)
    }

    func testPayMeGetsAtMost120SecondsUnlessTold() async throws {
        var settings = Harness.settings
        settings.paymentTimeout = 180
        let h = try Harness(settings: settings)
        h.transport.script(.payment, .answer(Terminal.approved))
        _ = try await h.pay(500, .payme)
        guard case .payment(let sent) = h.transport.requests.first else { return XCTFail("nothing sent") }
        XCTAssertEqual(sent.paymentTimeout, 120)
    }

    func testAGivenOutTradeNoIsUsedOnceOnly() async throws {
        let h = try Harness()
        h.transport.script(.payment, always: .answer(Terminal.approved))
        let first = try await h.pay(500, options: PaymentOptions(outTradeNo: "ORDER-77"))
        XCTAssertEqual(first.outTradeNo, "ORDER-77")
        do {
            _ = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay, options: PaymentOptions(outTradeNo: "ORDER-77"))
            XCTFail("an out_trade_no is never reused")
        } catch {
            XCTAssertEqual(error, .outTradeNoAlreadyUsed("ORDER-77"))
        }
    }

    func testPayReturnsWhenFinal() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.approved))
        let engine = h.engine
        let finished = Flag()
        let sale = Task {
            let attempt = try await engine.pay(amount: Amount(cents: 990), channel: .wechat)
            finished.set()
            return attempt
        }
        // drive time until the sale returns; never wait on it blindly, so a bug fails instead of hanging
        for _ in 0..<100_000 where !finished.isSet {
            await h.settle()
            if !h.clock.advanceToNextWake() { await Task.yield() }
        }
        guard finished.isSet else {
            sale.cancel()
            return XCTFail("pay never returned")
        }
        let outcome = try await sale.value
        XCTAssertEqual(outcome.state, .approved)
        XCTAssertEqual(h.transport.count(.inquiry), 1)
    }

    func testSnapshotsFollowTheAttempt() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.approved))
        let stream = await h.engine.snapshots()
        var iterator = stream.makeAsyncIterator()
        let first = await iterator.next()
        XCTAssertNil(first?.current)
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        _ = await h.runToOutcome(started.outTradeNo)
        var last: EngineSnapshot?
        // the buffer keeps the newest snapshot only
        last = await iterator.next()
        XCTAssertEqual(last?.current?.outTradeNo, started.outTradeNo)
        XCTAssertEqual(last?.current?.state, .approved)
        XCTAssertEqual(last?.pending.count, 0)
        XCTAssertEqual(last?.endpoint, "scripted terminal")
        XCTAssertTrue(last?.log.contains { $0.kind == .exchange && ($0.requestLine ?? "").contains("payment 5.00 alipay") } ?? false)
    }
}
