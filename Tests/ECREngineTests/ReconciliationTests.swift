import XCTest
import ECRProtocol
@testable import ECREngine

/// `qfecr reconcile`: the journal's attempt held against the terminal's inquiry answer.
final class ReconciliationTests: XCTestCase {
    let created = Date(timeIntervalSince1970: 1_795_000_000)

    func payment(_ id: String = "T01-0001", cents: Int64 = 1000, state: AttemptState, respcd: String? = nil, syssn: String? = nil) -> PaymentAttempt {
        var attempt = PaymentAttempt(outTradeNo: id, kind: .payment, amount: Amount(cents: cents), channel: .wechat,
                                     createdAt: created, tillID: "T01", paymentTimeout: 60, state: state)
        attempt.respcd = respcd
        attempt.syssn = syssn
        return attempt
    }

    func refund(syssn: String?, of sale: String, cents: Int64, state: AttemptState) -> PaymentAttempt {
        var attempt = PaymentAttempt(outTradeNo: "T01-R1", kind: .refund, refund: RefundOrigin(originalSyssn: sale, requestedAmount: nil),
                                     amount: Amount(cents: cents), channel: .wechat, createdAt: created, tillID: "T01",
                                     paymentTimeout: 60, state: state)
        attempt.syssn = syssn
        return attempt
    }

    func answer(_ respcd: String, _ fields: [(String, JSONValue)] = []) -> ECRResponse {
        ECRResponse(outer: .accepted, data: TransactionRecord(fields: JSONObject([("respcd", .string(respcd))] + fields)))
    }

    func paid(_ id: String = "T01-0001", cents: Int = 1000, refundable: Int? = nil, syssn: String = "2026112100001") -> ECRResponse {
        var fields: [(String, JSONValue)] = [("out_trade_no", .string(id)), ("txamt", .number(String(cents))), ("syssn", .string(syssn)),
                                             ("tradetp", .string("payment"))]
        if let refundable { fields.append(("allow_refund_amt", .number(String(refundable)))) }
        return answer("0000", fields)
    }

    func compare(_ attempt: PaymentAttempt, _ response: ECRResponse, refunded: Int64? = 0) -> ReconcileFinding {
        Reconciliation.compare(attempt, answer: response, journalRefunded: refunded.map { Amount(cents: $0) }, overCloud: false)
    }

    func testApprovedAndPaidAgree() {
        let finding = compare(payment(state: .approved, syssn: "2026112100001"), paid(refundable: 1000))
        XCTAssertEqual(finding.verdict, .agree)
        XCTAssertEqual(finding.terminalState, "0000 paid")
    }

    func testPaidOnTerminalButUnresolvedInJournalIsAdoptableMismatch() {
        for attempt in [payment(state: .unresolved), payment(state: .unknown), payment(state: .declined, respcd: "1136")] {
            let finding = compare(attempt, paid())
            XCTAssertEqual(finding.verdict, .mismatch)
            XCTAssertEqual(finding.problems, [.paidNotInJournal])
            XCTAssertTrue(finding.adoptable, "\(attempt.state) \(attempt.respcd ?? "")")
        }
        // Declined with a real decline code: the terminal contradicts it, but a person must look.
        let declined = compare(payment(state: .declined, respcd: "1205"), paid())
        XCTAssertEqual(declined.problems, [.paidNotInJournal])
        XCTAssertFalse(declined.adoptable)
    }

    func testAmountThatDiffersIsFlaggedAndNotAdoptable() {
        let finding = compare(payment(state: .unresolved), paid(cents: 1))
        XCTAssertEqual(finding.verdict, .mismatch)
        XCTAssertEqual(finding.problems, [.amountDiffers])
        XCTAssertFalse(finding.adoptable)
        XCTAssertEqual(compare(payment(state: .approved), paid(cents: 999)).problems, [.amountDiffers])
    }

    func testRecordOfAnotherOrderIsFlagged() {
        let finding = compare(payment(state: .approved), paid("T01-9999"))
        XCTAssertEqual(finding.problems, [.otherRecord])
    }

    func testOrderTheTerminalDoesNotKnow() {
        XCTAssertEqual(compare(payment(state: .approved, syssn: "1"), answer("1136")).problems, [.unknownToTerminal])
        XCTAssertEqual(compare(payment(state: .unresolved), answer("1136")).problems, [.unknownToTerminal])
        XCTAssertEqual(compare(payment(state: .rejected), answer("1136")).verdict, .agree, "never sent, never created")
        XCTAssertEqual(compare(payment(state: .declined, respcd: "1136"), answer("1136")).verdict, .agree)
    }

    func testFailedOnTerminal() {
        XCTAssertEqual(compare(payment(state: .approved), answer("1205")).problems, [.notPaidOnTerminal])
        XCTAssertEqual(compare(payment(state: .declined, respcd: "1205"), answer("1205")).verdict, .agree)
        XCTAssertEqual(compare(payment(state: .unresolved), answer("1205")).problems, [.unsettledInJournal])
        XCTAssertEqual(compare(payment(state: .approved), answer("1145")).problems, [.pendingOnTerminal])
    }

    func testRefundedAmountsThatDiffer() {
        // Sale of 10.00 with 4.00 still refundable: the terminal refunded 6.00.
        let sale = payment(state: .approved, syssn: "2026112100001")
        XCTAssertEqual(compare(sale, paid(refundable: 400), refunded: 600).verdict, .agree)
        let finding = compare(sale, paid(refundable: 400), refunded: 500)
        XCTAssertEqual(finding.problems, [.refundedDiffers])
        XCTAssertTrue(finding.detail.contains("6.00") && finding.detail.contains("5.00"), finding.detail)
    }

    func testRefundWithoutSyssnIsCheckedThroughItsSale() {
        let unknownRefund = refund(syssn: nil, of: "2026112100001", cents: 300, state: .unresolved)
        XCTAssertEqual(Reconciliation.question(for: unknownRefund, overCloud: false), .orderId("2026112100001"))
        XCTAssertEqual(Reconciliation.question(for: unknownRefund, overCloud: true), .orderId("2026112100001"))
        // The terminal refunded 3.00 of the sale, the journal approved none of it.
        XCTAssertEqual(compare(unknownRefund, paid(refundable: 700), refunded: 0).problems, [.refundedDiffers])
        XCTAssertEqual(compare(unknownRefund, paid(refundable: 1000), refunded: 0).verdict, .agree)
    }

    func testRefundWithSyssnIsAskedByIt() {
        let done = refund(syssn: "2026112100002", of: "2026112100001", cents: 300, state: .approved)
        XCTAssertEqual(Reconciliation.question(for: done, overCloud: false), .orderId("2026112100002"))
        XCTAssertEqual(Reconciliation.question(for: done, overCloud: true), .orderId("2026112100001"), "the Cloud is asked about the sale")
        let record = answer("0000", [("syssn", .string("2026112100002")), ("txamt", .number("300")), ("tradetp", .string("refund")),
                                     ("origssn", .string("2026112100001"))])
        XCTAssertEqual(compare(done, record).verdict, .agree)
        XCTAssertEqual(compare(done, answer("1136")).problems, [.unknownToTerminal])
    }

    func testJournalRefundedSumsApprovedRefundsOfTheSale() {
        let attempts = [refund(syssn: "a", of: "S1", cents: 100, state: .approved), refund(syssn: "b", of: "S1", cents: 250, state: .approved),
                        refund(syssn: nil, of: "S1", cents: 999, state: .declined), refund(syssn: "c", of: "S2", cents: 5, state: .approved)]
        XCTAssertEqual(Reconciliation.refundedInJournal(sale: "S1", attempts: attempts), Amount(cents: 350))
        let huge = [refund(syssn: "a", of: "S1", cents: .max, state: .approved), refund(syssn: "b", of: "S1", cents: 1, state: .approved)]
        XCTAssertNil(Reconciliation.refundedInJournal(sale: "S1", attempts: huge), "overflow is reported, not wrapped")
    }

    func testRefusedInquiryIsUnreachable() {
        let finding = compare(payment(state: .approved), ECRResponse(outer: .denied))
        XCTAssertEqual(finding.verdict, .unreachable)
    }

    func testAdoptionRecordsTheTerminalRecordWithANote() throws {
        let attempt = payment(state: .unresolved)
        let at = created.addingTimeInterval(3600)
        let adopted = try Reconciliation.adopted(attempt, record: paid().data!, at: at)
        XCTAssertEqual(adopted.state, .approved)
        XCTAssertEqual(adopted.syssn, "2026112100001")
        XCTAssertEqual(adopted.respcd, "0000")
        XCTAssertEqual(adopted.history.last?.from, .unresolved)
        XCTAssertEqual(adopted.history.last?.to, .approved)
        XCTAssertEqual(adopted.history.last?.at, at)
        XCTAssertTrue(adopted.history.last?.note.contains("adopted from reconcile") == true)
    }

    func testAdoptionRefusedUnlessTheRecordProvesThisPayment() {
        let attempt = payment(state: .unresolved)
        func refused(_ a: PaymentAttempt, _ r: ECRResponse) -> Bool { (try? Reconciliation.adopted(a, record: r.data!, at: created)) == nil }
        XCTAssertTrue(refused(attempt, paid(cents: 999)), "amount differs")
        XCTAssertTrue(refused(attempt, paid("T01-0002")), "another out_trade_no")
        XCTAssertTrue(refused(attempt, answer("0000", [("txamt", .number("1000"))])), "no out_trade_no in the record")
        XCTAssertTrue(refused(attempt, answer("0000", [("out_trade_no", .string("T01-0001"))])), "no amount in the record")
        XCTAssertTrue(refused(attempt, answer("1145", [("out_trade_no", .string("T01-0001")), ("txamt", .number("1000"))])), "not paid")
        XCTAssertTrue(refused(payment(state: .approved), paid()), "already approved")
        XCTAssertTrue(refused(payment(state: .declined, respcd: "1205"), paid()), "declined by the customer's bank")
        XCTAssertTrue(refused(refund(syssn: nil, of: "S", cents: 1000, state: .unresolved), paid()), "a refund")
    }
    /// Each refusal says why, with what it was refused on, and in the very sentence
    /// `qfecr reconcile --adopt` prints (scripts read it).
    func testAdoptionRefusalsSayWhyInTheCommandsWords() {
        func refusal(_ a: PaymentAttempt, _ r: ECRResponse) -> AdoptionRefusal? {
            do throws(AdoptionRefusal) { _ = try Reconciliation.adopted(a, record: r.data!, at: created) } catch { return error }
            return nil
        }
        let attempt = payment(state: .unresolved)
        let cases: [(AdoptionRefusal?, AdoptionRefusal, String)] = [
            (refusal(refund(syssn: nil, of: "S", cents: 1000, state: .unresolved), paid()), .refund(outTradeNo: "T01-R1"),
             "T01-R1 is a refund: only a payment can be adopted"),
            (refusal(payment(state: .declined, respcd: "1205"), paid()), .finalInJournal(outTradeNo: "T01-0001", state: .declined, respcd: "1205"),
             "T01-0001 is declined (1205) in the journal: only an unfinished or never-created (1136) payment can be adopted"),
            (refusal(attempt, answer("1145", [("out_trade_no", .string("T01-0001"))])), .notPaidOnTerminal(outTradeNo: "T01-0001", status: "1145"),
             "the terminal does not have T01-0001 as paid (1145): nothing to adopt"),
            (refusal(attempt, answer("0000", [("txamt", .number("1000"))])), .otherOutTradeNo(outTradeNo: "T01-0001", named: nil),
             "the terminal's record names out_trade_no none, not T01-0001: not adopted"),
            (refusal(attempt, paid(cents: 999)), .amountDiffers(terminal: Amount(cents: 999), journal: Amount(cents: 1000)),
             "the terminal's record is for 9.99, the attempt for 10.00: not adopted"),
            (refusal(payment(state: .unresolved, syssn: "2026112100009"), paid()),
             .otherRecord(outTradeNo: "T01-0001", [.syssn(theirs: "2026112100001", ours: "2026112100009")]),
             "the terminal's record is not T01-0001: syssn 2026112100001, not 2026112100009"),
        ]
        for (refused, expected, message) in cases {
            XCTAssertEqual(refused, expected)
            XCTAssertEqual(refused?.message, message)
        }
    }
}
