import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// DESIGN.md step 7: refunds follow the payment rules, checked against the original sale first and
/// resolved through the original's allow_refund_amt and cancel state when their outcome is unknown.
final class RefundPolicyTests: XCTestCase {
    func testFullRefundChecksTheSaleThenRefundsEverythingRefundable() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .answer(Terminal.status("0000", syssn: "REFUND0001", more: [("orig_syssn", "SALE0001")])))
        let attempt = try await h.refund()
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.kind, .refund)
        XCTAssertEqual(attempt.amount, Amount(cents: 1000))
        XCTAssertEqual(attempt.channel, .alipay)
        XCTAssertEqual(attempt.syssn, "REFUND0001")
        XCTAssertEqual(attempt.refund?.originalSyssn, "SALE0001")
        XCTAssertEqual(attempt.refund?.refundableBefore, Amount(cents: 1000))
        XCTAssertEqual(h.transport.requests, [.inquiry(.orderId("SALE0001")),
                                              .refund(RefundRequest(orderId: "SALE0001", refundAmount: Amount(cents: 1000)))])
        XCTAssertEqual(attempt.history.map(\.to), [.created, .sending, .approved])
        let refundCall = h.transport.calls[1]
        XCTAssertEqual(refundCall.journaled?.outTradeNo, attempt.outTradeNo)
        XCTAssertEqual(refundCall.journaled?.state, .sending, "the refund is journaled before it is sent")
    }

    func testPartialRefund() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .answer(Terminal.status("0000", syssn: "REFUND0002")))
        let attempt = try await h.refund(cents: 300)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.amount, Amount(cents: 300))
        XCTAssertEqual(h.transport.requests.last, .refund(RefundRequest(orderId: "SALE0001", refundAmount: Amount(cents: 300))))
    }

    func testUnknownRefundIsResolvedThroughTheOriginalSale() async throws {
        let h = try Harness()
        h.transport.script(.inquiry,
                           .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                           .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                           .answer(Terminal.sale(txamt: 1000, refundable: 700, cancel: 5)))
        h.transport.script(.refund, .fail(Terminal.timeout))
        let attempt = try await h.refund(cents: 300)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertTrue(attempt.message.contains("7.00"), attempt.message)
        XCTAssertEqual(h.transport.count(.refund), 1, "an unknown refund is never resent")
        XCTAssertEqual(h.transport.requests.filter { $0.operation == .inquiry },
                       Array(repeating: .inquiry(.orderId("SALE0001")), count: 3))
        XCTAssertTrue(attempt.history.map(\.to).contains(.unknown))
    }

    func testFullRefundResolvedByRefundedState() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                           .answer(Terminal.sale(txamt: 1000, refundable: 0, cancel: 3)))
        h.transport.script(.refund, .answer(Terminal.accepted))
        let attempt = try await h.refund()
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.history.map(\.to), [.created, .sending, .awaiting, .approved])
    }

    func testARefundableAmountThatDropsWithoutTheRefundMarkIsNotEnough() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                           always: .answer(Terminal.sale(txamt: 1000, refundable: 700, cancel: 0)))
        h.transport.script(.refund, .fail(Terminal.timeout))
        let attempt = try await h.refund(cents: 300)
        XCTAssertEqual(attempt.state, .unresolved)
    }

    func testUnknownRefundWithTheSaleUnchangedUntilTheDeadlineIsUnresolved() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, always: .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .fail(Terminal.timeout))
        let attempt = try await h.refund(cents: 300)
        XCTAssertEqual(attempt.state, .unresolved)
        XCTAssertTrue(attempt.message.contains("Do not refund again"), attempt.message)
        XCTAssertEqual(h.transport.count(.refund), 1)
    }

    func testRefundThatChangedTheSaleByAnotherAmountIsLeftForAPerson() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                           always: .answer(Terminal.sale(txamt: 1000, refundable: 500, cancel: 5)))
        h.transport.script(.refund, .fail(Terminal.timeout))
        let attempt = try await h.refund(cents: 300)
        XCTAssertEqual(attempt.state, .unresolved)
    }

    func testRefundCancelledOnTheTerminalIsConfirmedByTheSale() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                           .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .answer(Terminal.cancelled))
        let attempt = try await h.refund()
        XCTAssertEqual(attempt.state, .cancelled)
    }

    func testRefundsRefusedLocallyNeverReachTheTerminal() async throws {
        struct Case {
            let name: String
            let sale: ECRResponse
            let cents: Int64?
            let says: String
        }
        let cases = [
            Case(name: "fps", sale: Terminal.sale(txamt: 1000, refundable: 1000, busicd: "802001"), cents: nil, says: "cannot be refunded"),
            Case(name: "octopus", sale: Terminal.sale(txamt: 1000, refundable: 1000, busicd: "803708"), cents: nil, says: "cannot be refunded"),
            Case(name: "above refundable", sale: Terminal.sale(txamt: 1000, refundable: 400, cancel: 5), cents: 500, says: "more than the 4.00"),
            Case(name: "card partial same day", sale: Terminal.sale(txamt: 1000, refundable: 1000, busicd: "802808"), cents: 500,
                 says: "only be refunded in full"),
            Case(name: "card another day", sale: Terminal.sale(txamt: 1000, refundable: 1000, busicd: "802808", sysdtm: "2026-11-20 18:00:00"),
                 cents: nil, says: "on the day of the sale"),
            Case(name: "already refunded", sale: Terminal.sale(txamt: 1000, refundable: 0, cancel: 3), cents: nil, says: "already refunded"),
            Case(name: "no such sale", sale: Terminal.notFound, cents: nil, says: "no sale SALE0001"),
            Case(name: "failed sale", sale: Terminal.sale(txamt: 1000, refundable: 0, respcd: "1205"), cents: nil, says: "was not approved"),
            Case(name: "a refund", sale: Terminal.sale(txamt: 1000, refundable: 0, tradetp: "refund"), cents: nil, says: "not a sale"),
        ]
        for c in cases {
            let h = try Harness()
            h.transport.script(.inquiry, .answer(c.sale))
            let attempt = try await h.refund(cents: c.cents)
            XCTAssertEqual(attempt.state, .rejected, c.name)
            XCTAssertEqual(attempt.rejection, .local, c.name)
            XCTAssertTrue(attempt.message.contains(c.says), "\(c.name): \(attempt.message)")
            XCTAssertEqual(h.transport.count(.refund), 0, c.name)
        }
    }

    /// The answer to "tell me about sale SALE0001" must be about SALE0001, as a payment's inquiry
    /// answer must name its out_trade_no: another sale's record must not size or settle the refund.
    func testAnAnswerAboutAnotherSaleNeitherSizesNorSettlesTheRefund() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(syssn: "SALE0002", txamt: 5000, refundable: 5000)))
        let refused = try await h.refund()
        XCTAssertEqual(refused.state, .rejected)
        XCTAssertEqual(h.transport.count(.refund), 0, "no refund sized by another sale's record")
        XCTAssertTrue(refused.message.contains("SALE0002"), refused.message)

        let unknown = try Harness()
        unknown.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                                 always: .answer(Terminal.sale(syssn: "SALE0002", txamt: 1000, refundable: 700, cancel: 5)))
        unknown.transport.script(.refund, .fail(Terminal.timeout))
        let attempt = try await unknown.refund(cents: 300)
        XCTAssertEqual(attempt.state, .unresolved, "another sale's drop in allow_refund_amt is not this refund")
        XCTAssertEqual(unknown.transport.count(.refund), 1)
    }

    /// A refund notification is matched by the original sale's syssn (the terminal picks the refund's
    /// own out_trade_no), so another refund of the same sale — another amount, another till or the
    /// merchant portal — must not settle this one; one for this amount does.
    func testARefundNotificationForAnotherAmountDoesNotSettleThisRefund() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                           always: .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .fail(Terminal.timeout))
        let started = try await h.engine.beginRefund(syssn: "SALE0001", amount: Amount(cents: 300))
        await h.advance(by: .seconds(3))
        func notification(cents: Int) -> TransactionRecord {
            TransactionRecord(fields: JSONObject([("notify_type", .string("refund")), ("status", .string("1")),
                                                  ("respcd", .string("0000")), ("out_trade_no", .string("PORTAL-REFUND-1")),
                                                  ("orig_syssn", .string("SALE0001")), ("syssn", .string("REFUND0500")),
                                                  ("txamt", .string(String(cents)))]))
        }
        await h.engine.notificationReceived(outTradeNo: "PORTAL-REFUND-1", record: notification(cents: 500))
        let still = await h.engine.attempt(started.outTradeNo)
        XCTAssertNotEqual(still?.state, .approved, "a 5.00 refund of the sale is not this 3.00 refund")
        XCTAssertFalse(still?.state.isFinal ?? true)
        await h.engine.notificationReceived(outTradeNo: "PORTAL-REFUND-1", record: notification(cents: 300))
        let settled = await h.engine.attempt(started.outTradeNo)
        XCTAssertEqual(settled?.state, .approved)
        XCTAssertEqual(h.transport.count(.refund), 1)
    }

    func testCardRefundInFullOnTheDayOfTheSaleIsSent() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000, busicd: "802808")))
        h.transport.script(.refund, .answer(Terminal.status("0000", syssn: "REFUND0003")))
        let attempt = try await h.refund()
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.channel, .cardPayment)
    }

    func testACheckThatGetsNoAnswerRefusesSafely() async throws {
        for step: ScriptedTransport.Step in [.fail(Terminal.refused), .fail(Terminal.timeout), .answer(Terminal.outer("4003"))] {
            let h = try Harness()
            h.transport.script(.inquiry, step)
            let attempt = try await h.refund()
            XCTAssertEqual(attempt.state, .rejected)
            XCTAssertTrue(attempt.message.contains("Nothing was refunded"), attempt.message)
            XCTAssertEqual(h.transport.count(.refund), 0)
        }
    }

    func testRefundRejectedOrNotSentByTheTerminal() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .fail(Terminal.refused))
        let notSent = try await h.refund()
        XCTAssertEqual(notSent.state, .rejected)
        XCTAssertEqual(notSent.rejection, .notSent)
        XCTAssertTrue(notSent.message.contains("Nothing was refunded; safe to try again"), notSent.message)
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .answer(Terminal.status("1155")))
        let declined = try await h.refund()
        XCTAssertEqual(declined.state, .declined)
        XCTAssertEqual(declined.respcd, "1155")
    }

    func testCancelWhileCheckingTheSaleSendsNothing() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .after(.seconds(5), .answer(Terminal.sale(txamt: 1000, refundable: 1000))))
        let started = try await h.engine.beginRefund(syssn: "SALE0001")
        await h.settle()
        let cancelled = try await h.engine.cancelCurrent()
        XCTAssertEqual(cancelled.state, .cancelled)
        await h.advance(by: .seconds(10))
        XCTAssertEqual(h.transport.count(.refund), 0)
        XCTAssertEqual(h.transport.count(.cancelRequest), 0)
        let after = await h.engine.attempt(started.outTradeNo)
        XCTAssertEqual(after?.state, .cancelled)
    }

    func testARefundIsRefusedWhileASaleIsUnresolved() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, always: .fail(Terminal.timeout))
        let sale = try await h.pay(500)
        XCTAssertEqual(sale.state, .unresolved)
        do {
            _ = try await h.engine.beginRefund(syssn: "SALE0001")
            XCTFail("refused while a sale is unresolved")
        } catch {
            XCTAssertEqual(error, .busy(outTradeNo: sale.outTradeNo, state: .unresolved))
        }
    }
}
