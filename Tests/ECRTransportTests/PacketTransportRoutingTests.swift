import ECRProtocol
import XCTest
@testable import ECRTransport

final class PacketTransportRoutingTests: XCTestCase {
    private typealias Routing = PacketTransportRouting

    func testShapesFollowTheSeedsFieldLists() {
        XCTAssertEqual(Routing.shape(of: TransportFixtures.answer(to: TransportFixtures.payment)), .trade)
        XCTAssertEqual(Routing.shape(of: TransportFixtures.answer(to: TransportFixtures.refund)), .trade)
        XCTAssertEqual(Routing.shape(of: TransportFixtures.answer(to: TransportFixtures.inquiry)), .inquiry)
        XCTAssertEqual(Routing.shape(of: ECRResponse(outer: .cancelledOnTerminal)), .trade)
        XCTAssertEqual(Routing.shape(of: ECRResponse(outer: .accepted)), .unclear)
        XCTAssertEqual(Routing.shape(of: ECRResponse(outer: .denied)), .unclear)
    }

    func testALoneRequestGetsEveryAnswer() {
        XCTAssertEqual(Routing.recipient(for: .trade, among: [(7, .inquiry)]), 7)
        XCTAssertNil(Routing.recipient(for: .unclear, among: []))
    }

    func testAnswersGoToTheRequestTheyFit() {
        let waiting: [(id: Int, operation: ECRProtocol.Operation)] = [(1, .payment), (2, .cancelRequest), (3, .inquiry)]
        XCTAssertEqual(Routing.recipient(for: .trade, among: waiting), 1)
        XCTAssertEqual(Routing.recipient(for: .inquiry, among: waiting), 3)
        XCTAssertEqual(Routing.recipient(for: .unclear, among: waiting), 2, "the oldest quick request: trades wait for customers")
        XCTAssertEqual(Routing.recipient(for: .trade, among: [(2, .cancelRequest), (3, .inquiry)]), 2)
        XCTAssertEqual(Routing.recipient(for: .unclear, among: [(1, .refund), (4, .refund)]), 1)
    }
}
