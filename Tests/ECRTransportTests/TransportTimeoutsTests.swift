import ECRProtocol
import XCTest
@testable import ECRTransport

final class TransportTimeoutsTests: XCTestCase {
    func testOnlyAPaymentWaitsForTheCustomerOnTopOfTheRequestTimeout() {
        let timeouts = TransportTimeouts(connect: 5, request: 15, payment: 120)
        XCTAssertEqual(timeouts.answerSeconds(for: TransportFixtures.payment), 135)
        XCTAssertEqual(timeouts.answerSeconds(for: TransportFixtures.refund), 15)
        XCTAssertEqual(timeouts.answerSeconds(for: TransportFixtures.inquiry), 15)
        let own = ECRRequest.payment(PaymentRequest(amount: Amount(cents: 1), channel: .payme, outTradeNo: "A1", paymentTimeout: 60))
        XCTAssertEqual(timeouts.answerSeconds(for: own), 75, "the request's own payment_timeout wins")
        let card = ECRRequest.payment(PaymentRequest(amount: Amount(cents: 1), channel: .cardPayment, outTradeNo: "A2",
                                                     paymentTimeout: 60, waitCardTimeout: 90))
        XCTAssertEqual(timeouts.answerSeconds(for: card), 105, "a card may be waited for longer than the payment")
    }
}
