import ECRConfiguration
import Foundation
import XCTest
import ECRProtocol
import ECREngine
import ECRSimulator
@testable import ConsoleUI

/// The source the loop reads: a real till host on the in-process simulator (loopback HTTP).
final class EngineTillSourceTests: XCTestCase {
    var till: LiveTill!
    var host: TillHost { till.host }
    var source: EngineTillSource { till.source }

    override func setUp() async throws {
        till = try await LiveTill()
    }

    override func tearDown() {
        till.stop()
    }

    func until(_ what: String, _ condition: (TillState) -> Bool) -> TillState { till.until(what, condition) }

    func testIntentsReachTheEngineAndItsSnapshotsReachTheScreen() throws {
        XCTAssertEqual(source.currentTill().tillID, "T09")
        XCTAssertEqual(source.currentTill().maskedKey, "…aacd", "only the key's last 4 characters")

        source.perform(.pay(amount: Amount(cents: 1250), channel: .wechat))
        var till = until("the sale approved") { $0.history.first?.state == .approved }
        let sale = try XCTUnwrap(till.history.first)
        XCTAssertEqual(sale.amount, Amount(cents: 1250))
        XCTAssertEqual(sale.refundable, Amount(cents: 1250))
        XCTAssertFalse(till.log.isEmpty, "the log pane gets the requests and answers")

        source.perform(.refund(syssn: try XCTUnwrap(sale.syssn), amount: Amount(cents: 200)))
        till = until("the refund approved") { $0.history.first?.kind == .refund && $0.history.first?.state == .approved }
        XCTAssertEqual(till.history.first?.refundOf, sale.syssn)
        XCTAssertEqual(till.history.first(where: { $0.outTradeNo == sale.outTradeNo })?.refundable, Amount(cents: 1050))

        // A refusal comes back as a notice for the message line.
        source.perform(.cancel)
        var notices: [Notice] = []
        _ = until("a notice") { _ in
            notices += source.takeNotices()
            return !notices.isEmpty
        }
        XCTAssertEqual(notices.map(\.role), [.error])
        XCTAssertTrue(notices[0].text.english.contains("nothing is in progress to cancel"), notices[0].text.english)
        XCTAssertEqual(source.takeNotices(), [], "each notice is taken once")
    }

    /// A result asked for by someone else (another caller of the engine) reaches the console too.
    /// F4 on a refund row asks by the refund's syssn, and the notice says what was asked and what the
    /// terminal said, never our record's state against the terminal's refusal.
    func testAQueryOfARefundSaysWhatTheTerminalSaid() throws {
        source.perform(.pay(amount: Amount(cents: 1250), channel: .wechat))
        var till = until("the sale approved") { $0.history.first?.state == .approved }
        source.perform(.refund(syssn: try XCTUnwrap(till.history.first?.syssn), amount: Amount(cents: 200)))
        till = until("the refund approved") { $0.history.first?.kind == .refund && $0.history.first?.state == .approved }
        let refund = try XCTUnwrap(till.history.first)
        func notice(after intent: Intent) -> String {
            source.perform(intent)
            var notices: [Notice] = []
            _ = until("a notice") { _ in notices += source.takeNotices(); return !notices.isEmpty }
            return notices.first?.text.english ?? ""
        }
        let bySyssn = notice(after: .queryOrder(syssn: try XCTUnwrap(refund.syssn)))
        XCTAssertTrue(bySyssn.hasPrefix("query syssn \(refund.syssn!): "), bySyssn)
    }

    func testResultsOfOtherCallersReachTheConsole() async throws {
        let engine = try XCTUnwrap(host.engine)
        _ = try await engine.printSummary()
        var notices: [Notice] = []
        _ = until("the summary's result") { _ in
            notices += source.takeNotices()
            return !notices.isEmpty
        }
        XCTAssertTrue(notices[0].text.english.hasPrefix("summary: "), notices[0].text.english)
    }
}
