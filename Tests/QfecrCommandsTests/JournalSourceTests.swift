import XCTest
import ECREngine
import ECRProtocol
@testable import QfecrCommands

/// What reconcile holds a day's attempts against: the refunds of their sales from every day.
final class JournalSourceTests: XCTestCase {
    func testADaysRefundIsHeldAgainstEveryRefundOfItsSale() throws {
        let directory = NSTemporaryDirectory() + "qfecr-journal-source-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let day = Date(timeIntervalSince1970: 1_793_491_200) // 2026-11-01 00:00 UTC
        func attempt(_ id: String, days: Double, refundOf sale: String? = nil) -> PaymentAttempt {
            var a = PaymentAttempt(outTradeNo: id, kind: sale == nil ? .payment : .refund, amount: Amount(cents: 300),
                                   channel: .wechat, createdAt: day.addingTimeInterval(days * 86_400), tillID: "T01",
                                   paymentTimeout: 60, state: .approved)
            a.syssn = "SYS-" + id
            if let sale { a.refund = RefundOrigin(originalSyssn: sale, requestedAmount: a.amount) }
            return a
        }
        let sale = attempt("S", days: 0.5)
        let earlier = attempt("R1", days: 1.5, refundOf: "SYS-S")
        let today = attempt("R2", days: 3.5, refundOf: "SYS-S")
        let other = attempt("R3", days: 2.5, refundOf: "SYS-OTHER")
        do {
            let journal = try Journal(directory: directory)
            for a in [sale, earlier, other, today] { try journal.append(a, at: a.createdAt) }
        }
        let reader = try XCTUnwrap(try IndexedJournal.reading(directory: directory))
        let inRange = try reader.attempts(createdFrom: day.addingTimeInterval(3 * 86_400), to: day.addingTimeInterval(4 * 86_400))
        XCTAssertEqual(inRange.map(\.outTradeNo), ["R2"])
        let held = try JournalSource.withRefunds(inRange, from: reader)
        XCTAssertEqual(held.map(\.outTradeNo), ["R2", "R1"])
        XCTAssertEqual(Reconciliation.refundedInJournal(sale: "SYS-S", attempts: held), Amount(cents: 600))
    }
}
