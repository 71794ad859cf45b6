import ECRConfiguration
import Foundation
import XCTest
import ECRProtocol
import ECREngine
import ECRSimulator
import ECRTransport
@testable import ConsoleUI

/// The reconcile view's runs on a real till and the in-process simulator: off the loop's thread,
/// progress and findings through the source, adopting a payment the journal missed, refused while a
/// sale holds the terminal.
final class ConsoleReconcilerTests: XCTestCase {
    var till: LiveTill?
    var source: EngineTillSource { till!.source }
    var host: TillHost { till!.host }
    var directory: String { till!.directory }
    let missed = "T09-20261201000000-0099"

    /// The till on a fresh simulator; `missedPayment`: its journal starts with a sale it lost track
    /// of (unresolved) that the customer did pay.
    func startTill(missedPayment: Bool) async throws {
        let missed = self.missed
        till = try await LiveTill { port, posKey, directory in
            guard missedPayment else { return }
            let lost = PaymentAttempt(outTradeNo: missed, kind: .payment, amount: Amount(cents: 700), channel: .wechat, createdAt: Date(),
                                      tillID: "T09", paymentTimeout: 60, state: .unresolved)
            try Journal(directory: directory).append(lost, at: Date())
            let terminal = LANHTTPTransport(host: "127.0.0.1", port: port, posKey: posKey)
            let paid = try await terminal.perform(.payment(PaymentRequest(amount: Amount(cents: 700), channel: .wechat, outTradeNo: missed)))
            XCTAssertEqual(paid.data?.status?.code, "0000")
        }
    }

    override func tearDown() {
        till?.stop()
    }

    func until(_ what: String, _ condition: (TillState) -> Bool) -> TillState { till!.until(what, condition) }

    func testTheDayIsReconciledAndTheMissedPaymentAdoptedAsTheCommandWould() async throws {
        try await startTill(missedPayment: true)
        source.perform(.reconcile(dayOffset: 0))
        var status = try XCTUnwrap(until("reconciled") { $0.reconcile?.phase == .finished }.reconcile)
        XCTAssertEqual(status.total, 1)
        XCTAssertEqual(status.position, 1, "n of N reached N")
        XCTAssertEqual(status.terminal, host.engine!.endpoint)
        let finding = try XCTUnwrap(status.findings.first)
        XCTAssertEqual(finding.outTradeNo, missed)
        XCTAssertEqual(finding.verdict, .mismatch)
        XCTAssertEqual(finding.problems, [.paidNotInJournal])
        XCTAssertTrue(status.canAdopt(finding))
        XCTAssertEqual(status.mismatches, 1)

        source.perform(.adopt(outTradeNo: missed))
        status = try XCTUnwrap(until("adopted") { $0.reconcile?.adopted.contains(missed) == true }.reconcile)
        XCTAssertEqual(status.message, Notice(Strings.adopted(missed), role: .approved))
        XCTAssertEqual(status.mismatches, 0)
        let journaled = try XCTUnwrap(try JournalReader.read(directory: directory).attempts.last { $0.outTradeNo == missed })
        XCTAssertEqual(journaled.state, .approved)
        XCTAssertEqual(journaled.reason, .adoptedFromReconcile)
        XCTAssertTrue(journaled.history.last?.note.hasPrefix("adopted from reconcile") ?? false)
        _ = until("the history shows it approved") { till in till.history.contains { $0.outTradeNo == missed && $0.state == .approved } }

        // No longer unresolved: the till takes a sale again, and the day agrees.
        source.perform(.pay(amount: Amount(cents: 1250), channel: .wechat))
        _ = until("the sale approved") { $0.history.first?.amount == Amount(cents: 1250) && $0.history.first?.state == .approved }
        source.perform(.reconcile(dayOffset: 0))
        status = try XCTUnwrap(until("reconciled again") { $0.reconcile?.phase == .finished && $0.reconcile?.findings.count == 2 }.reconcile)
        XCTAssertEqual(status.findings.map(\.verdict), [.agree, .agree], "all agree once adopted")
        XCTAssertTrue(status.adopted.isEmpty, "a new run starts afresh")

        source.perform(.reconcile(dayOffset: -1))
        status = try XCTUnwrap(until("yesterday") { $0.reconcile?.dayOffset == -1 && $0.reconcile?.phase == .finished }.reconcile)
        XCTAssertEqual(status.total, 0, "nothing yesterday")
        XCTAssertNotEqual(status.day, ConsoleReconciler(engine: host.engine!).day(0).name)
    }

    func testAnOlderDayIsReadFromTheJournalNotOnlyFromWhatTheScreenLoaded() async throws {
        let old = "T09-20261126000000-0001"
        let fiveDaysAgo = Date().addingTimeInterval(-5 * 86_400)
        till = try await LiveTill { _, _, directory in
            let journal = try Journal(directory: directory)
            let sale = PaymentAttempt(outTradeNo: old, kind: .payment, amount: Amount(cents: 900), channel: .wechat, createdAt: fiveDaysAgo,
                                      tillID: "T09", paymentTimeout: 60, state: .declined)
            try journal.append(sale, at: fiveDaysAgo)
            // More closed sales since than the till loads at start.
            for n in 0..<220 { // the engine loads today and at least 200
                let at = Date().addingTimeInterval(Double(n - 400))
                let later = PaymentAttempt(outTradeNo: String(format: "T09-20261201000000-%04d", n + 100), kind: .payment, amount: Amount(cents: 100),
                                           channel: .wechat, createdAt: at, tillID: "T09", paymentTimeout: 60, state: .declined)
                try journal.append(later, at: at)
            }
        }
        XCTAssertFalse(source.currentTill().history.contains { $0.outTradeNo == old }, "the old day is not loaded at start")
        source.perform(.reconcile(dayOffset: -5))
        let status = try XCTUnwrap(until("five days ago reconciled") { $0.reconcile?.dayOffset == -5 && $0.reconcile?.phase == .finished }.reconcile)
        XCTAssertEqual(status.total, 1, "the day's sale read from the journal")
        XCTAssertEqual(status.findings.map(\.outTradeNo), [old])
    }

    func testAQuestionRefusedWhileASaleRunsSaysSo() async throws {
        try await startTill(missedPayment: false)
        // .53: the customer never pays; the sale holds the terminal.
        source.perform(.pay(amount: Amount(cents: 353), channel: .wechat))
        _ = until("the sale running") { $0.running != nil }
        source.perform(.reconcile(dayOffset: 0))
        let status = try XCTUnwrap(until("refused") { $0.reconcile.map { !$0.isRunning } ?? false }.reconcile)
        XCTAssertEqual(status.phase, .refused(Strings.reconcileRefusedBusy))
        source.perform(.cancel)
        source.perform(.stopReconcile)
    }
}
