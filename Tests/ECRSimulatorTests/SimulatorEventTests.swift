import ECRProtocol
import Foundation
import Synchronization
import XCTest
@testable import ECRSimulator

/// What the customer does reaches a watcher as values (the demo's customer pane words them in the
/// console's language), after the terminal's lock is released, quiet log or not.
final class SimulatorEventTests: XCTestCase {
    /// The events a quiet terminal reports for one payment.
    func events(paying cents: Int64, _ channel: Channel, _ id: String) throws -> [TerminalEvent] {
        let seen = Mutex<[TerminalEvent]>([])
        let log = SimulatorLog(quiet: true, sink: { _ in }, events: { event in seen.withLock { $0.append(event) } })
        let terminal = try LiveTerminal(settings: TerminalSettings(posKey: testKey, customerDelay: 0), clock: ManualClock(morning),
                                        log: log)
        _ = terminal.respond(to: TerminalRequest(body: body(pay(cents, channel, id))))
        return seen.withLock { $0 }
    }

    func testAFinishedPaymentReachesTheEventWatcher() throws {
        let events = try events(paying: 1250, .wechat, "EVENT1")
        XCTAssertEqual(events.count, 1, "\(events)")
        guard case .paymentFinished(let entry)? = events.first else { return XCTFail("\(events)") }
        XCTAssertEqual(entry.amount, Amount(cents: 1250))
        XCTAssertEqual(entry.state, .approved)
        XCTAssertEqual(events[0].words, LocalizedText("payment 12.50 wx approved", "顧客以微信支付付款 12.50 成功"))
    }

    func testALatinChannelNameIsSpacedInChinese() throws {
        let words = try XCTUnwrap(events(paying: 4800, .cardPayment, "EVENT3").first?.words.traditionalChinese)
        XCTAssertTrue(words.hasPrefix("顧客以 Visa / 萬事達卡 付款 48.00"), words)
    }

    func testEveryEventIsWordedInBothLanguages() throws {
        let seen = Mutex<[TerminalEvent]>([])
        let log = SimulatorLog(sink: { _ in }, events: { event in seen.withLock { $0.append(event) } })
        let terminal = try LiveTerminal(settings: TerminalSettings(posKey: testKey, customerDelay: 0), clock: ManualClock(morning),
                                        log: log)
        _ = terminal.respond(to: TerminalRequest(body: body(pay(851, .alipay, "EVENT2"))))
        for event in seen.withLock({ $0 }) {
            XCTAssertFalse(event.words.english.isEmpty)
            XCTAssertFalse(event.words.traditionalChinese.isEmpty)
            XCTAssertNotEqual(event.words.english, event.words.traditionalChinese)
        }
        XCTAssertEqual(seen.withLock { $0.count }, 1)
    }
}
