import ECRProtocol
import XCTest
@testable import ECRSimulator

final class MerchantLedgerTests: XCTestCase {
    private func approvedPayment(_ ledger: inout MerchantLedger, cents: Int64, channel: Channel, no: String,
                                 at date: Date = morning) -> LedgerEntry {
        let entry = try! ledger.openPayment(amount: Amount(cents: cents), channel: channel, payType: channel.payTypes[0],
                                            outTradeNo: no, at: date)
        return ledger.approve(syssn: entry.syssn, at: date)!
    }

    func testSyssnIsDayPlusSequenceAndUnique() {
        var ledger = MerchantLedger()
        let a = approvedPayment(&ledger, cents: 100, channel: .wechat, no: "A")
        let b = approvedPayment(&ledger, cents: 100, channel: .wechat, no: "B", at: morning.addingTimeInterval(86_400))
        XCTAssertEqual(a.syssn, "20251121000000000001")
        XCTAssertEqual(b.syssn, "20251122000000000002")
        XCTAssertEqual(a.payType, "800208")
        XCTAssertEqual(a.channelOrderNo, "4200" + a.syssn)
        XCTAssertNil(a.card)
    }

    func testDuplicateOutTradeNoRefused() {
        var ledger = MerchantLedger()
        _ = approvedPayment(&ledger, cents: 100, channel: .alipay, no: "SAME")
        XCTAssertThrowsError(try ledger.openPayment(amount: Amount(cents: 5), channel: .wechat, payType: "800208",
                                                    outTradeNo: "SAME", at: morning)) { error in
            XCTAssertEqual(error as? LedgerRefusal, .duplicateOutTradeNo("SAME"))
            XCTAssertEqual((error as? LedgerRefusal)?.code, "2011")
        }
        XCTAssertEqual(ledger.entries.count, 1)
    }

    func testPartialRefundsArithmeticAndCancelCodes() throws {
        var ledger = MerchantLedger()
        let sale = approvedPayment(&ledger, cents: 1000, channel: .alipay, no: "P1")
        XCTAssertEqual(sale.cancelState, .none)
        XCTAssertEqual(sale.refundable, Amount(cents: 1000))

        let r1 = try ledger.refund(orderId: sale.syssn, amount: Amount(cents: 250), at: morning)
        XCTAssertEqual(r1.kind, .refund)
        XCTAssertEqual(r1.origSyssn, sale.syssn)
        XCTAssertEqual(r1.amount, Amount(cents: 250))
        XCTAssertNotEqual(r1.syssn, sale.syssn)
        XCTAssertEqual(ledger.entry(syssn: sale.syssn)?.refundable, Amount(cents: 750))
        XCTAssertEqual(ledger.entry(syssn: sale.syssn)?.cancelState, .partiallyRefunded)

        XCTAssertThrowsError(try ledger.refund(orderId: sale.syssn, amount: Amount(cents: 751), at: morning)) {
            XCTAssertEqual($0 as? LedgerRefusal, .aboveRefundable(requested: Amount(cents: 751), refundable: Amount(cents: 750)))
        }
        // No amount: everything still refundable.
        let r2 = try ledger.refund(orderId: "P1", amount: nil, at: morning)
        XCTAssertEqual(r2.amount, Amount(cents: 750))
        XCTAssertEqual(ledger.entry(syssn: sale.syssn)?.refundable, .zero)
        XCTAssertEqual(ledger.entry(syssn: sale.syssn)?.cancelState, .refunded)
        XCTAssertEqual(ledger.refunds(of: sale.syssn).map(\.amount), [Amount(cents: 250), Amount(cents: 750)])
        XCTAssertThrowsError(try ledger.refund(orderId: sale.syssn, amount: nil, at: morning)) {
            XCTAssertEqual(($0 as? LedgerRefusal)?.code, "1125")
        }
        XCTAssertThrowsError(try ledger.refund(orderId: r1.syssn, amount: nil, at: morning)) {
            XCTAssertEqual($0 as? LedgerRefusal, .refundOfRefund(r1.syssn))
        }
    }

    func testCardRefundsOnlyInFullOnTheSameDay() throws {
        for channel in [Channel.cardPayment, .unionPayCard, .amexCard] {
            var ledger = MerchantLedger()
            let sale = approvedPayment(&ledger, cents: 5000, channel: channel, no: "C-\(channel.rawValue)")
            XCTAssertNotNil(sale.card, "\(channel)")
            XCTAssertThrowsError(try ledger.refund(orderId: sale.syssn, amount: Amount(cents: 100), at: morning)) {
                XCTAssertEqual($0 as? LedgerRefusal, .cardPartialSameDay(refundable: Amount(cents: 5000)))
            }
            // The next business day a partial refund is fine.
            let tomorrow = morning.addingTimeInterval(86_400)
            XCTAssertEqual(try ledger.refund(orderId: sale.syssn, amount: Amount(cents: 100), at: tomorrow).amount, Amount(cents: 100))
        }
        var ledger = MerchantLedger()
        let sale = approvedPayment(&ledger, cents: 5000, channel: .cardPayment, no: "FULL")
        XCTAssertEqual(try ledger.refund(orderId: sale.syssn, amount: Amount(cents: 5000), at: morning).amount, Amount(cents: 5000))
    }

    func testSameDayIsHongKongDay() throws {
        // 23:30 and 00:30 Hong Kong time are different business days, though the same UTC day.
        var ledger = MerchantLedger()
        let lateEvening = Date(timeIntervalSince1970: 1_763_739_000)   // 2025-11-21 23:30 +08:00
        let sale = approvedPayment(&ledger, cents: 5000, channel: .cardPayment, no: "LATE", at: lateEvening)
        XCTAssertTrue(sale.syssn.hasPrefix("20251121"))
        XCTAssertNoThrow(try ledger.refund(orderId: sale.syssn, amount: Amount(cents: 1), at: lateEvening.addingTimeInterval(3600)))
    }

    func testFpsAndOctopusCannotBeRefunded() {
        for channel in [Channel.fps, .octopus] {
            var ledger = MerchantLedger()
            let sale = approvedPayment(&ledger, cents: 100, channel: channel, no: "N")
            XCTAssertThrowsError(try ledger.refund(orderId: sale.syssn, amount: nil, at: morning)) {
                XCTAssertEqual($0 as? LedgerRefusal, .channelNotRefundable(channel))
                XCTAssertEqual(($0 as? LedgerRefusal)?.code, "1150")
            }
        }
    }

    func testUnpaidAndUnknownOrdersCannotBeRefunded() throws {
        var ledger = MerchantLedger()
        let open = try ledger.openPayment(amount: Amount(cents: 100), channel: .wechat, payType: "800208", outTradeNo: "O", at: morning)
        XCTAssertThrowsError(try ledger.refund(orderId: open.syssn, amount: nil, at: morning)) {
            XCTAssertEqual($0 as? LedgerRefusal, .notPaid(open.syssn))
        }
        XCTAssertThrowsError(try ledger.refund(orderId: "nope", amount: nil, at: morning)) {
            XCTAssertEqual(($0 as? LedgerRefusal)?.code, "1136")
        }
    }

    func testLateCancelNeverUndoesAnApproval() {
        var ledger = MerchantLedger()
        let sale = approvedPayment(&ledger, cents: 100, channel: .wechat, no: "X")
        XCTAssertNil(ledger.closeUnpaid(syssn: sale.syssn, reason: "too late", at: morning))
        XCTAssertEqual(ledger.entry(syssn: sale.syssn)?.state, .approved)
    }

    func testLookupBySyssnOrOutTradeNo() {
        var ledger = MerchantLedger()
        let sale = approvedPayment(&ledger, cents: 100, channel: .wechat, no: "ORDER-1")
        XCTAssertEqual(ledger.entry(orderId: sale.syssn), sale)
        XCTAssertEqual(ledger.entry(orderId: "ORDER-1"), sale)
        XCTAssertEqual(ledger.entry(outTradeNo: "ORDER-1"), sale)
        XCTAssertNil(ledger.entry(syssn: "ORDER-1"))
    }

    func testCodableRoundTrip() throws {
        var ledger = MerchantLedger()
        let sale = approvedPayment(&ledger, cents: 1234, channel: .cardPayment, no: "R")
        _ = try ledger.refund(orderId: sale.syssn, amount: nil, at: morning)
        let data = try JSONEncoder().encode(ledger)
        var restored = try JSONDecoder().decode(MerchantLedger.self, from: data)
        XCTAssertEqual(restored, ledger)
        // The sequence survives too: no syssn is handed out twice.
        let next = try restored.openPayment(amount: Amount(cents: 1), channel: .wechat, payType: "800208", outTradeNo: "S", at: morning)
        XCTAssertFalse(ledger.entries.map(\.syssn).contains(next.syssn))
    }
}

/// Issue 7: `qfecr simulate` without a state file starts its syssn numbers from the clock, so a
/// restart never hands out a syssn a till has already seen.
final class LedgerSequenceTests: XCTestCase {
    func testARestartedLedgerContinuesAfterTheClockNotFromOne() throws {
        let first = Date(timeIntervalSince1970: 1_795_242_720)
        var before = MerchantLedger()
        before.continueSequence(after: MerchantLedger.clockSequence(at: first))
        let a = try before.openPayment(amount: Amount(cents: 100), channel: .wechat, payType: "800208", outTradeNo: "A", at: first)
        var after = MerchantLedger()
        after.continueSequence(after: MerchantLedger.clockSequence(at: first.addingTimeInterval(5)))
        let b = try after.openPayment(amount: Amount(cents: 100), channel: .wechat, payType: "800208", outTradeNo: "B",
                                      at: first.addingTimeInterval(5))
        XCTAssertNotEqual(a.syssn, b.syssn)
        XCTAssertLessThan(a.syssn, b.syssn)
        XCTAssertEqual(a.syssn.count, 20, "day + 12 digits")
        var kept = MerchantLedger()
        kept.continueSequence(after: 10)
        kept.continueSequence(after: 3)
        XCTAssertTrue(try kept.openPayment(amount: Amount(cents: 1), channel: .alipay, payType: "800108", outTradeNo: "C",
                                           at: first).syssn.hasSuffix("000000000011"), "never moves back")
    }
}
