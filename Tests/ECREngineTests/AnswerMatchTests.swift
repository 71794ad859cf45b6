import XCTest
import ECRProtocol
@testable import ECREngine

/// The rule of `AnswerMatch`, field by field: what a record must agree with, what it may leave out.
final class AnswerMatchTests: XCTestCase {
    private func record(_ fields: [(String, String)]) -> TransactionRecord {
        TransactionRecord(fields: JSONObject(fields.map { ($0.0, JSONValue.string($0.1)) }))
    }

    private let payment: PaymentAttempt = {
        PaymentAttempt(outTradeNo: "T01-A", kind: .payment, amount: Amount(cents: 1000), channel: .alipay,
                       createdAt: Date(timeIntervalSince1970: 0), tillID: "T01", paymentTimeout: 60)
    }()

    private var refund: PaymentAttempt {
        var r = PaymentAttempt(outTradeNo: "T01-R", kind: .refund, refund: RefundOrigin(originalSyssn: "SALE", requestedAmount: nil),
                               amount: Amount(cents: 300), channel: nil, createdAt: Date(timeIntervalSince1970: 0), tillID: "T01",
                               paymentTimeout: 60)
        r.refund?.originalAmount = Amount(cents: 1000)
        return r
    }

    private func matches(_ fields: [(String, String)], _ attempt: PaymentAttempt, _ arrival: AnswerMatch.Arrival = .reply) -> Bool {
        AnswerMatch.differences(record(fields), attempt: attempt, arrival: arrival).isEmpty
    }

    func testAPaymentRecordIsCheckedOnEveryFieldItCarries() {
        XCTAssertTrue(matches([("respcd", "0000")], payment), "a bare status is the reply to our own request")
        XCTAssertTrue(matches([("out_trade_no", "T01-A"), ("syssn", "S1")], payment), "no txamt: fine with a matching out_trade_no")
        XCTAssertTrue(matches([("out_trade_no", ""), ("txamt", "1000"), ("origssn", ""), ("tradetp", "payment")], payment),
                      "empty fields are absent fields")
        XCTAssertFalse(matches([("out_trade_no", "T01-B")], payment))
        XCTAssertFalse(matches([("txamt", "1")], payment))
        XCTAssertFalse(matches([("tradetp", "refund")], payment))
        XCTAssertFalse(matches([("orig_syssn", "SALE")], payment))
        XCTAssertFalse(matches([("notify_type", "refund"), ("out_trade_no", "T01-A")], payment, .external))
        var known = payment
        known.syssn = "S1"
        XCTAssertFalse(matches([("syssn", "S2")], known), "once the attempt knows its syssn, another one is another sale")
    }

    func testARefundRecordMustBeARefundOfTheSameSaleForTheSameAmount() {
        XCTAssertTrue(matches([("respcd", "0000"), ("syssn", "R1")], refund))
        XCTAssertTrue(matches([("orig_syssn", "SALE"), ("txamt", "300"), ("out_trade_no", "THE-SALES-OWN")], refund),
                      "over LAN a refund may carry the sale's out_trade_no beside orig_syssn")
        XCTAssertFalse(matches([("tradetp", "payment")], refund))
        XCTAssertFalse(matches([("orig_syssn", "OTHER")], refund))
        XCTAssertFalse(matches([("orderId", "OTHER")], refund))
        XCTAssertFalse(matches([("syssn", "SALE")], refund), "the sale itself is not its refund")
        XCTAssertFalse(matches([("orig_syssn", "SALE"), ("txamt", "500")], refund))
        XCTAssertFalse(matches([("out_trade_no", "T01-OTHER")], refund), "nothing ties it to the sale")
    }

    func testANotificationOrQueryMustNameTheRefund() {
        XCTAssertTrue(matches([("out_trade_no", "T01-R")], refund, .external))
        XCTAssertTrue(matches([("orig_syssn", "SALE"), ("txamt", "300"), ("out_trade_no", "TERMINALS-OWN")], refund, .external))
        XCTAssertFalse(matches([("orig_syssn", "SALE")], refund, .external), "the sale alone is not this refund")
        XCTAssertFalse(matches([("orig_syssn", "SALE"), ("out_trade_no", "TERMINALS-OWN")], refund, .external))
        var known = refund
        known.syssn = "R1"
        XCTAssertTrue(matches([("syssn", "R1")], known, .external))
    }

    func testARefundsSaleInquiryMustShowThatSaleAsAPaymentOfItsAmount() {
        let origin = refund.refund!
        XCTAssertTrue(AnswerMatch.saleDifferences(record([("syssn", "SALE"), ("txamt", "1000"), ("tradetp", "payment")]), origin: origin).isEmpty)
        XCTAssertFalse(AnswerMatch.saleDifferences(record([("syssn", "OTHER")]), origin: origin).isEmpty)
        XCTAssertFalse(AnswerMatch.saleDifferences(record([("tradetp", "refund")]), origin: origin).isEmpty)
        XCTAssertFalse(AnswerMatch.saleDifferences(record([("txamt", "999")]), origin: origin).isEmpty)
    }
}
