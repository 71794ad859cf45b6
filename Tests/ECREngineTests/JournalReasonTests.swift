import XCTest
import Foundation
import ECRProtocol
@testable import ECREngine

/// The journal stores why an attempt stands where it does as a value, not as a sentence; lines
/// written before that (an English `message`, step `note`s) still load, their text kept as it was.
final class JournalReasonTests: XCTestCase {
    func testAJournaledAttemptHoldsItsReasonAndNoSentence() throws {
        var attempt = PaymentAttempt(outTradeNo: "T01-1", kind: .payment, amount: Amount(cents: 1000), channel: .alipay,
                                     createdAt: Date(timeIntervalSince1970: 1_796_000_000), tillID: "T01", paymentTimeout: 60,
                                     state: .declined, reason: .declined(code: "1205"))
        attempt.history = [AttemptTransition(at: attempt.createdAt, from: .awaiting, to: .declined, step: .outcome(.declined(code: "1205")))]
        let line = String(decoding: try JournalRecord.encoder().encode(attempt), as: UTF8.self)
        XCTAssertTrue(line.contains(#""reason":{"declined":{"code":"1205"}}"#), line)
        XCTAssertFalse(line.contains("\"message\""), line)
        XCTAssertFalse(line.contains("\"note\""), line)
        XCTAssertFalse(line.contains("refused by the wallet"), line)
        let read = try JournalRecord.decoder().decode(PaymentAttempt.self, from: Data(line.utf8))
        XCTAssertEqual(read, attempt)
        XCTAssertEqual(read.message, "declined: refused by the wallet or card issuer — ask for another payment method (1205)")
        XCTAssertEqual(read.history.last?.note, read.message)
    }

    func testAnOlderLineWithOnlyMessageTextStillLoads() throws {
        let old = #"""
        {"amount":{"cents":1000},"cancel_requested":false,"created_at":"2026-11-21T02:00:00.000Z","history":[{"at":"2026-11-21T02:00:00.000Z","note":"journaled before sending","to":"created"},{"at":"2026-11-21T02:00:01.000Z","from":"created","note":"declined: the customer's bank said no (1205)","to":"declined"}],"kind":"payment","message":"declined: the customer's bank said no (1205)","out_trade_no":"T01-20261121-1","payment_timeout":60,"respcd":"1205","state":"declined","till_id":"T01"}
        """#
        let read = try JournalRecord.decoder().decode(PaymentAttempt.self, from: Data(old.utf8))
        XCTAssertEqual(read.reason, .legacy(text: "declined: the customer's bank said no (1205)"))
        XCTAssertEqual(read.message, "declined: the customer's bank said no (1205)")
        XCTAssertEqual(read.history.map(\.step), [.text("journaled before sending"), .text("declined: the customer's bank said no (1205)")])
        XCTAssertEqual(read.history.map(\.note), ["journaled before sending", "declined: the customer's bank said no (1205)"])
    }
}
