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
}
