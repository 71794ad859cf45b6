import Foundation
import XCTest
import ECRProtocol
@testable import ECREngine
@testable import ConsoleUI

/// The one adapter from the engine's published values to what the screens show.
final class EngineAdapterTests: XCTestCase {
    func attempt(_ id: String, _ kind: AttemptKind = .payment, cents: Int64, state: AttemptState, syssn: String? = nil,
                 refundOf: String? = nil, channel: Channel = .wechat, minute: Double) -> PaymentAttempt {
        var attempt = PaymentAttempt(outTradeNo: id, kind: kind, refund: refundOf.map { RefundOrigin(originalSyssn: $0, requestedAmount: nil) },
                                     amount: Amount(cents: cents), channel: channel, createdAt: Fixtures.at(minute), tillID: "T01",
                                     paymentTimeout: 60, state: state,
                                     reason: .legacy(text: state.rawValue))
        attempt.syssn = syssn
        return attempt
    }

    func testHistoryIsNewestFirstWithWhatIsStillRefundableAndRefundsNamingTheirSale() {
        let sale = attempt("A1", cents: 1250, state: .approved, syssn: "S1", minute: 30)
        let refund = attempt("A2", .refund, cents: 200, state: .approved, syssn: "S2", refundOf: "S1", minute: 20)
        let failedRefund = attempt("A3", .refund, cents: 500, state: .declined, refundOf: "S1", minute: 15)
        var running = attempt("A4", cents: 990, state: .awaiting, minute: 1)
        running.deadline = Fixtures.now.addingTimeInterval(40)
        let snapshot = EngineSnapshot(current: running, pending: [running], problems: [],
                                      log: [WireLogEntry(id: 1, at: Fixtures.now, kind: .exchange, request: .printSummary, finished: false)],
                                      endpoint: "HTTP 127.0.0.1:9001")
        let till = TillState(snapshot: snapshot, attempts: [sale, refund, failedRefund],
                             facts: TillFacts(tillID: "T01", maskedKey: "…aacd",
                                              acceptedChannels: [.wechat, .alipay, .payme, .unionQR, .fps], resumed: ["A1"]))
        XCTAssertEqual(till.history.map(\.outTradeNo), ["A4", "A3", "A2", "A1"])
        XCTAssertEqual(till.history[3].refundable, Amount(cents: 1050), "a declined refund gives nothing back")
        XCTAssertTrue(till.history[3].resumed)
        XCTAssertEqual(till.history[2].refundOf, "S1")
        XCTAssertEqual(till.running?.outTradeNo, "A4")
        XCTAssertEqual(till.running?.deadline, running.deadline)
        XCTAssertEqual(till.link, .busy)
        XCTAssertEqual(till.log, [LogLine(at: Fixtures.now, direction: "→", text: #"{"func_type":3002}"#)])
        XCTAssertEqual(till.hexLog, [LogLine(at: Fixtures.now, direction: "→", text: "print summary")], "bytes not seen: the request line")
        XCTAssertEqual(till.channels.filter(\.isEnabled).map(\.channel), [.wechat, .alipay, .payme, .unionQR, .fps])
        XCTAssertEqual(till.channels.first { $0.channel == .octopus }?.disabledReason, Strings.paxA920)
        XCTAssertEqual(till.maskedKey, "…aacd")
    }

    func testUnresolvedAttemptsAndAnUnreachableTerminal() {
        let open = attempt("A9", cents: 4800, state: .unresolved, minute: 5)
        let notSent = attempt("B1", cents: 100, state: .rejected, minute: 1)
        let snapshot = EngineSnapshot(current: notSent, pending: [open], problems: [],
                                      log: [], endpoint: "HTTP 127.0.0.1:9001",
                                      link: { var link = LinkHealth(); link.lastFailure = Fixtures.now; link.lastFailureKind = .notSent; link.failing = true; return link }())
        let till = TillState(snapshot: snapshot, attempts: [open, notSent], facts: TillFacts(tillID: "T01"))
        XCTAssertEqual(till.unresolved.map(\.outTradeNo), ["A9"])
        XCTAssertEqual(till.link, .unreachable)
        XCTAssertNil(till.running)
    }

    func testARefusedCertificateIsNotCalledUnreachable() {
        var link = LinkHealth()
        link.lastFailure = Fixtures.now
        link.lastFailureKind = .notSent
        link.lastFailureReason = .tls(.pinMismatch)
        link.failing = true
        let snapshot = EngineSnapshot(current: nil, pending: [], problems: [], log: [], endpoint: "HTTPS 127.0.0.1:9001", link: link)
        XCTAssertEqual(TillState(snapshot: snapshot, attempts: [], facts: TillFacts(tillID: "T01")).link, .tlsRefused)
        link.lastFailureReason = .connectionRefused
        let refused = EngineSnapshot(current: nil, pending: [], problems: [], log: [], endpoint: "HTTPS 127.0.0.1:9001", link: link)
        XCTAssertEqual(TillState(snapshot: refused, attempts: [], facts: TillFacts(tillID: "T01")).link, .unreachable)
    }

    func testAQueryOnTheWireShowsTheLinkBusy() {
        let query = WireLogEntry(id: 3, at: Fixtures.now, kind: .exchange, request: .inquiry(.outTradeNo("A1")), finished: false)
        let snapshot = EngineSnapshot(current: nil, pending: [], problems: [], log: [query], endpoint: "HTTP 127.0.0.1:9001",
                                      direct: .inquiry)
        XCTAssertEqual(TillState(snapshot: snapshot, attempts: [], facts: TillFacts(tillID: "T01")).link, .busy)
        XCTAssertEqual(snapshot.onTheWire, [.inquiry])
    }
}

/// The words of a query's notice: what was asked, and what the terminal said.
final class QueryNoticeTests: XCTestCase {
    func testATerminalRefusalIsNotContradictedByOurRecord() {
        let refund = PaymentAttempt(outTradeNo: "T01-REFUND-1", kind: .refund, amount: Amount(cents: 200), channel: .wechat,
                                    createdAt: Fixtures.now, tillID: "T01", paymentTimeout: 90, state: .approved,
                                    reason: .approved(kind: .refund, scheme: nil, cancelLost: false))
        let notFound = ECRResponse(outer: OuterStatus(code: "1136"), respmsg: "not found")
        let answer = TerminalAnswer(request: .inquiry(.outTradeNo(refund.outTradeNo)), response: notFound, failure: nil, attempt: refund)
        let said = Strings.queried(LocalizedText(refund.outTradeNo, refund.outTradeNo), answer).english
        XCTAssertTrue(said.hasPrefix("query T01-REFUND-1: "), said)
        XCTAssertFalse(said.contains("approved"), "the terminal did not say approved: \(said)")
    }

    func testACardQueryDoesNotRepeatItsState() {
        var sale = PaymentAttempt(outTradeNo: "T01-SALE-1", kind: .payment, amount: Amount(cents: 4800), channel: .cardPayment,
                                  createdAt: Fixtures.now, tillID: "T01", paymentTimeout: 90, state: .approved,
                                  reason: .approved(kind: .payment, scheme: "VISA", cancelLost: false))
        sale.syssn = "20261201000100000004"
        let answer = TerminalAnswer(request: .inquiry(.outTradeNo(sale.outTradeNo)), response: ECRResponse(outer: OuterStatus(code: "6000")),
                                    failure: nil, attempt: sale)
        let said = Strings.queried(LocalizedText(sale.outTradeNo, sale.outTradeNo), answer).english
        XCTAssertEqual(said.components(separatedBy: "approved").count - 1, 1, said)
    }
}
