import XCTest
import ECRProtocol
@testable import ECREngine

/// A late answer to an earlier request (a shared serial line) names another transaction: it must
/// never settle this one. The outcome is asked for by inquiry instead.
final class ForeignAnswerTests: XCTestCase {
    func testAnApprovalAboutAnotherSaleDoesNotApproveThisOne() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.status("0000", outTradeNo: "T01-OLD-SALE", syssn: "OLD")))
        h.transport.script(.inquiry, .answer(Terminal.status("1205")))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .declined, "the inquiry about this sale decides, not the stray approval")
        XCTAssertNotEqual(attempt.syssn, "OLD")
        XCTAssertEqual(h.transport.count(.payment), 1, "never resent")
        XCTAssertEqual(h.transport.count(.inquiry), 1)
    }

    func testADeclineAboutAnotherSaleDoesNotDeclineThisOne() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.status("1205", outTradeNo: "T01-OLD-SALE")))
        h.transport.script(.inquiry, .answer(Terminal.approved))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(h.transport.count(.payment), 1)
    }

    func testAnAnswerThatNamesNoSaleIsThisRequests() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.status("0000", syssn: "S2")))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.syssn, "S2")
        XCTAssertEqual(h.transport.count(.inquiry), 0)
    }

    func testARefundAnswerAboutAnotherSaleDoesNotSettleThisRefund() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .answer(Terminal.status("0000", syssn: "R-OTHER", more: [("orig_syssn", "ANOTHER-SALE")])))
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)), always: .answer(Terminal.sale(txamt: 1000, refundable: 0, cancel: 3)))
        let attempt = try await h.refund("SALE0001")
        XCTAssertEqual(attempt.state, .approved, "settled by the sale's own inquiry, not the stray answer")
        XCTAssertNotEqual(attempt.syssn, "R-OTHER")
        XCTAssertEqual(h.transport.count(.refund), 1, "never resent")
    }

    // MARK: Every field the record carries must agree with the attempt

    private func notes(_ h: Harness) async -> [String] {
        await h.engine.snapshot.log.filter { $0.kind == .note }.map(\.line)
    }

    func testAnApprovalForAnotherAmountWithAnotherSyssnDoesNotApproveThisSale() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.status("0000", syssn: "OTHER", more: [("txamt", "1")])))
        h.transport.script(.inquiry, .answer(Terminal.status("0000", syssn: "MINE", more: [("txamt", "1000")])))
        let attempt = try await h.pay(1000)
        XCTAssertEqual(attempt.state, .approved, "approved by the inquiry about this sale")
        XCTAssertEqual(attempt.syssn, "MINE")
        XCTAssertEqual(h.transport.count(.payment), 1, "never resent")
        let logged = await notes(h)
        XCTAssertTrue(logged.contains { $0.contains("amount 0.01, not 10.00") }, "\(logged)")
    }

    func testAnInquiryRecordThatDoesNotMatchKeepsTheSaleUnknownAndPolled() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry,
                           .answer(Terminal.status("0000", syssn: "OTHER", more: [("txamt", "1")])),
                           .answer(Terminal.status("0000", syssn: "R1", more: [("tradetp", "refund"), ("orig_syssn", "SALE9")])),
                           .answer(Terminal.status("1205", outTradeNo: "T01-SOMEONE-ELSE")),
                           .answer(Terminal.status("0000", syssn: "MINE", more: [("txamt", "500"), ("origssn", "")])))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.syssn, "MINE")
        XCTAssertEqual(h.transport.count(.inquiry), 4, "each record that did not match was followed by another inquiry")
        let logged = await notes(h)
        XCTAssertTrue(logged.contains { $0.contains("amount 0.01, not 5.00") }, "\(logged)")
        XCTAssertTrue(logged.contains { $0.contains("a refund record, not a payment") }, "\(logged)")
        XCTAssertTrue(logged.contains { $0.contains("out_trade_no T01-SOMEONE-ELSE") }, "\(logged)")
    }

    func testADeclineOfAnotherAmountDoesNotDeclineThisSale() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.status("1205", syssn: "OTHER", more: [("txamt", "1")])))
        h.transport.script(.inquiry, .answer(Terminal.approved))
        let attempt = try await h.pay(500)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(h.transport.count(.payment), 1)
    }

    func testAMatchingTradeAnswerWithoutAnAmountStillApproves() async throws {
        let h = try Harness()
        let options = PaymentOptions(outTradeNo: "T01-OWN-0001")
        h.transport.script(.payment, .answer(Terminal.status("0000", outTradeNo: "T01-OWN-0001", syssn: "S9")))
        let attempt = try await h.pay(500, options: options)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(attempt.syssn, "S9")
        XCTAssertEqual(h.transport.count(.inquiry), 0)
    }

    func testARefundIsNotApprovedByAPaymentRecordOfAnotherSale() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .answer(Terminal.status("0000", outTradeNo: "T01-ANOTHER-SALE", syssn: "ANOTHERSALE",
                                                            more: [("tradetp", "payment"), ("txamt", "1000")])))
        h.transport.script(.inquiry, always: .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        let started = try await h.engine.beginRefund(syssn: "SALE0001")
        await h.advance(by: .seconds(1))
        let logged = await notes(h)
        XCTAssertTrue(logged.contains { $0.contains("a payment record, not a refund") }, "\(logged)")
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertNotEqual(attempt.state, .approved, "a payment record never settles a refund")
        XCTAssertNotEqual(attempt.syssn, "ANOTHERSALE")
        XCTAssertEqual(h.transport.count(.refund), 1, "never resent")
    }

    func testARefundAnswerForAnotherAmountDoesNotSettleThisRefund() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .answer(Terminal.status("0000", syssn: "R-OTHER", more: [("orig_syssn", "SALE0001"), ("txamt", "200")])))
        h.transport.script(.inquiry, always: .answer(Terminal.sale(txamt: 1000, refundable: 700, cancel: 5)))
        let attempt = try await h.refund("SALE0001", cents: 300)
        XCTAssertEqual(attempt.state, .approved, "settled by the sale's refundable amount dropping by 3.00")
        XCTAssertNotEqual(attempt.syssn, "R-OTHER")
    }

    func testARefundsSaleInquiryThatIsARefundRecordIsNotTheSale() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .fail(Terminal.timeout))
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 300, refundable: 0, cancel: 3, tradetp: "refund")),
                           always: .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        let started = try await h.engine.beginRefund(syssn: "SALE0001", amount: Amount(cents: 300))
        await h.advance(by: .seconds(1))
        let logged = await notes(h)
        XCTAssertTrue(logged.contains { $0.contains("a refund record, not sale SALE0001") }, "\(logged)")
        let attempt = await h.runToOutcome(started.outTradeNo)
        XCTAssertEqual(attempt.state, .unresolved, "nothing showed the sale refunded")
    }

    // MARK: A notification settles only the attempt it names

    func testAPaymentNotificationForAnotherAmountDoesNotSettleTheSale() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, always: .answer(Terminal.processing))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 1000), channel: .alipay)
        await h.advance(by: .seconds(3))
        let record = TransactionRecord(fields: JSONObject([("respcd", .string("0000")), ("out_trade_no", .string(started.outTradeNo)),
                                                           ("notify_type", .string("payment")), ("txamt", .string("1"))]))
        await h.engine.notificationReceived(outTradeNo: started.outTradeNo, record: record)
        let attempt = await h.engine.attempt(started.outTradeNo)
        XCTAssertFalse(attempt?.state.isFinal ?? true)
        let logged = await notes(h)
        XCTAssertTrue(logged.contains { $0.contains("amount 0.01, not 10.00") }, "\(logged)")
    }

    func testARefundNotificationNamingOnlyTheSaleDoesNotSettleTheRefund() async throws {
        let h = try Harness()
        h.transport.script(.inquiry, .answer(Terminal.sale(txamt: 1000, refundable: 1000)),
                           always: .answer(Terminal.sale(txamt: 1000, refundable: 1000)))
        h.transport.script(.refund, .fail(Terminal.timeout))
        let started = try await h.engine.beginRefund(syssn: "SALE0001", amount: Amount(cents: 300))
        await h.advance(by: .seconds(3))
        func notification(_ fields: [(String, String)]) -> TransactionRecord {
            TransactionRecord(fields: JSONObject(([("notify_type", "refund"), ("status", "1"), ("respcd", "0000")] + fields)
                .map { ($0.0, JSONValue.string($0.1)) }))
        }
        // The same sale, no amount, another refund's out_trade_no: another refund of that sale.
        await h.engine.notificationReceived(outTradeNo: "PORTAL-REFUND-2",
                                            record: notification([("out_trade_no", "PORTAL-REFUND-2"), ("orig_syssn", "SALE0001")]))
        var attempt = await h.engine.attempt(started.outTradeNo)
        XCTAssertFalse(attempt?.state.isFinal ?? true, "the sale alone does not name this refund")
        // Its own out_trade_no, but another amount.
        await h.engine.notificationReceived(outTradeNo: started.outTradeNo,
                                            record: notification([("out_trade_no", started.outTradeNo), ("orig_syssn", "SALE0001"), ("txamt", "500")]))
        attempt = await h.engine.attempt(started.outTradeNo)
        XCTAssertFalse(attempt?.state.isFinal ?? true, "a 5.00 refund is not this 3.00 refund")
        // Its own out_trade_no and amount.
        await h.engine.notificationReceived(outTradeNo: started.outTradeNo,
                                            record: notification([("out_trade_no", started.outTradeNo), ("orig_syssn", "SALE0001"),
                                                                  ("syssn", "REFUND0300"), ("txamt", "300")]))
        attempt = await h.engine.attempt(started.outTradeNo)
        XCTAssertEqual(attempt?.state, .approved)
        XCTAssertEqual(attempt?.syssn, "REFUND0300")
        XCTAssertEqual(h.transport.count(.refund), 1)
        let logged = await notes(h)
        XCTAssertTrue(logged.contains { $0.contains("names neither this refund") }, "\(logged)")
    }
}
