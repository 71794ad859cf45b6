import XCTest
import ECRProtocol
@testable import ECREngine

/// DESIGN.md step 5: a sale resumed and found approved is the result of the same sale typed again.
final class RetriedSaleRuleTests: XCTestCase {
    private func sale(_ cents: Int64, _ channel: Channel, _ state: AttemptState, kind: AttemptKind = .payment,
                      at seconds: TimeInterval = 0, id: String = "T01-20261121063000-0001") -> PaymentAttempt {
        PaymentAttempt(outTradeNo: id, kind: kind, amount: Amount(cents: cents), channel: channel,
                       createdAt: Date(timeIntervalSince1970: 1_795_242_720 + seconds), tillID: "T01", paymentTimeout: 60, state: state)
    }

    func testAResumedApprovedSaleOfTheSameAmountAndChannelIsTheResult() {
        let paid = sale(755, .alipay, .approved)
        XCTAssertEqual(RetriedSaleRule.verdict(resumed: [paid], amount: Amount(cents: 755), channel: .alipay, chargeAgain: false),
                       .alreadyPaid(paid))
    }

    func testChargeAgainIsTheOnlyWayToChargeTheSameSaleTwice() {
        let paid = sale(755, .alipay, .approved)
        XCTAssertEqual(RetriedSaleRule.verdict(resumed: [paid], amount: Amount(cents: 755), channel: .alipay, chargeAgain: true),
                       .chargeAgain(paid))
    }

    func testAnotherAmountOrChannelGoesAheadAfterTellingTheCashier() {
        let paid = sale(755, .alipay, .approved)
        for (cents, channel) in [(Int64(756), Channel.alipay), (755, .wechat)] {
            XCTAssertEqual(RetriedSaleRule.verdict(resumed: [paid], amount: Amount(cents: cents), channel: channel, chargeAgain: false),
                           .newSaleAfterOthers([paid]), "\(cents) \(channel)")
        }
    }

    func testOnlyApprovedPaymentsCount() {
        let notPaid = [sale(755, .alipay, .declined), sale(755, .alipay, .cancelled), sale(755, .alipay, .rejected),
                       sale(755, .alipay, .approved, kind: .refund)]
        XCTAssertEqual(RetriedSaleRule.verdict(resumed: notPaid, amount: Amount(cents: 755), channel: .alipay, chargeAgain: false),
                       .newSale)
        XCTAssertEqual(RetriedSaleRule.verdict(resumed: [], amount: Amount(cents: 755), channel: .alipay, chargeAgain: false), .newSale)
    }

    func testTheNewestMatchingSaleIsTheOneReported() {
        let older = sale(755, .alipay, .approved, at: 0, id: "T01-20261121063000-0001")
        let newer = sale(755, .alipay, .approved, at: 60, id: "T01-20261121063100-0002")
        XCTAssertEqual(RetriedSaleRule.verdict(resumed: [newer, older], amount: Amount(cents: 755), channel: .alipay, chargeAgain: false),
                       .alreadyPaid(newer))
    }
}
