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
        XCTAssertEqual(events[0].words, LocalizedText("paid 12.50 (WeChat Pay)", "已付款 12.50（微信支付）"))
    }

    func testALatinChannelNameIsSetOffInChinese() throws {
        let words = try XCTUnwrap(events(paying: 4800, .cardPayment, "EVENT3").first?.words.traditionalChinese)
        XCTAssertEqual(words, "已付款 48.00（Visa / 萬事達卡）")
    }

    /// Every event the customer pane can show, for every channel: the channel by name and the outcome
    /// in words in both languages, never a wire code (`card_payment`, `wx`) nor an English reason in
    /// the Chinese line.
    func testTheCustomerPaneNeverShowsWireCodes() {
        func entry(_ channel: Channel, _ state: LedgerEntry.State, code: String? = nil, reason: String? = nil, kind: LedgerEntry.Kind = .payment,
                   refunded: Int64 = 0) -> LedgerEntry {
            LedgerEntry(kind: kind, syssn: "20261201000000000001", outTradeNo: "T01-1", amount: Amount(cents: 851), channel: channel,
                        payType: "800008", channelOrderNo: "4200001", clientSerial: "000001", createdAt: morning, completedAt: morning,
                        state: state, failureCode: code, failureReason: reason, card: nil, origSyssn: nil, refunded: Amount(cents: refunded))
        }
        var events: [TerminalEvent] = [.cancelled(what: "payment 20261201000000000001"), .cancelled(what: "refund of 20261201000000000001")]
        for channel in Channel.allCases {
            events += [
                .paymentFinished(entry(channel, .approved)),
                .paymentFinished(entry(channel, .declined, code: "1205", reason: "declined by the issuer: refused by the wallet")),
                .paymentFinished(entry(channel, .notPaid, code: LedgerEntry.notPaidCode, reason: LedgerEntry.cancelledByCustomer)),
                .paymentFinished(entry(channel, .notPaid, code: LedgerEntry.notPaidCode, reason: LedgerEntry.cancelledByRequest)),
                .paymentFinished(entry(channel, .paying)),
                .refundFinished(refund: entry(channel, .approved, kind: .refund), payment: entry(channel, .approved, refunded: 200)),
                .refundRefused(orderId: "20261201000000000001", refusal: .channelNotRefundable(channel)),
            ]
        }
        events += [LedgerRefusal.duplicateOutTradeNo("T01-1"), .unknownOrder("X"), .refundOfRefund("X"), .notPaid("X"), .alreadyRefunded("X"),
                   .cardPartialSameDay(refundable: Amount(cents: 851)), .aboveRefundable(requested: Amount(cents: 900), refundable: Amount(cents: 851)),
                   .zeroAmount].map { .refundRefused(orderId: "20261201000000000001", refusal: $0) }
        let wireNames = Set(Channel.allCases.map(\.wireName))
        for event in events {
            let words = event.words
            XCTAssertNotEqual(words.english, words.traditionalChinese, "\(event)")
            for text in [words.english, words.traditionalChinese] {
                let tokens = text.split { !($0.isLetter || $0 == "_") }.map(String.init)
                for token in tokens where wireNames.contains(token) {
                    XCTFail("wire code '\(token)' in \(text)")
                }
                XCTAssertFalse(text.contains("20261201000000000001"), "no ids: \(text)")
            }
            // The Chinese line has no English words of its own (a Latin channel name aside).
            var chinese = words.traditionalChinese
            for channel in Channel.allCases { chinese = chinese.replacingOccurrences(of: channel.name.traditionalChinese, with: "") }
            XCTAssertNil(chinese.range(of: "[a-z]{3,}", options: .regularExpression), "English in \(words.traditionalChinese)")
        }
        if case .paymentFinished(let declined) = events[3] {
            XCTAssertEqual(TerminalEvent.paymentFinished(declined).words,
                           LocalizedText("declined 8.51 (Visa / Mastercard): refused by the wallet or card issuer — ask for another payment method (1205)",
                                         "付款失敗 8.51（Visa / 萬事達卡）：錢包或發卡機構拒絕 — 請改用其他付款方式（1205）"))
        }
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
