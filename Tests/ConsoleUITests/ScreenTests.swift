import Foundation
import XCTest
import ECRProtocol
import ECREngine
@testable import ConsoleUI

/// The screens as text, at 80×24 and 120×40, in English and Chinese (Screens/*.txt, reviewed by eye).
final class ScreenTests: XCTestCase {
    static let sizes = [(80, 24), (120, 40)]

    func each(_ name: String, _ till: TillState, view: ViewState = ViewState(), file: StaticString = #filePath, line: UInt = #line) {
        for (width, height) in Self.sizes {
            for language in Language.allCases {
                assertScreen(Fixtures.model(till, view: view, language: language, width: width, height: height),
                             "\(name)-\(width)x\(height)-\(language.rawValue)", file: file, line: line)
            }
        }
    }

    func testIdle() {
        each("idle", Fixtures.till(history: [], current: nil, log: []))
    }

    func testTyping() {
        let till = Fixtures.till(history: [], log: [])
        let (view, _) = Fixtures.press(Fixtures.type("12.505"), till: till)
        XCTAssertEqual(view.amountText, "12.50")
        each("typing", till, view: view)
    }

    func testWaitingWithCountdown() {
        var waiting = Fixtures.sale3
        waiting.state = .awaiting
        waiting.syssn = nil
        waiting.deadline = Fixtures.now.addingTimeInterval(86.4)
        each("waiting", Fixtures.till(current: waiting))
    }

    func testApproved() {
        each("approved", Fixtures.till(current: Fixtures.sale3))
    }

    func testDeclined() {
        each("declined", Fixtures.till(current: Fixtures.sale2))
    }

    /// A new amount replaces the last result (the history keeps it), and its problem is not cut at 120.
    func testTypingOverTheLastResult() {
        let till = Fixtures.till(current: Fixtures.refund1)
        let (view, _) = Fixtures.press(Fixtures.type("0") + [.enter], till: till)
        XCTAssertEqual(view.amountProblem, Strings.zeroAmount)
        each("typing-over-result", till, view: view)
        let text = ScreenRenderer.render(Fixtures.model(till, view: view)).dump().joined(separator: "\n")
        XCTAssertFalse(text.contains("APPROVED"), text)
    }

    /// A long result wraps onto a second message line at 80 columns instead of being cut.
    func testALongMessageWrapsAtEightyColumns() {
        var declined = Fixtures.sale2
        declined.reason = .declined(code: "1205")
        let till = Fixtures.till(current: declined)
        let lines = ScreenRenderer.render(Fixtures.model(till)).dump()
        let message = OutcomeText.render(declined.reason, language: .english)
        let bottom = (lines[21] + " " + lines[22]).replacingOccurrences(of: "│", with: "")
            .split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        XCTAssertEqual(bottom, message)
    }

    /// A trade on its way is shown as waiting for the customer, in the amount pane and the cancel dialog.
    func testASendingTradeIsShownWaitingForTheCustomer() {
        var sending = Fixtures.sale3
        sending.state = .sending
        sending.syssn = nil
        let till = Fixtures.till(current: sending, log: [])
        var view = ViewState()
        view.dialog = .confirmCancel
        let pane = ScreenRenderer.render(Fixtures.model(till)).dump().joined()
        XCTAssertTrue(pane.contains("⏳ waiting") && pane.contains("Waiting for the"), pane)
        let dialog = ScreenRenderer.render(Fixtures.model(till, view: view)).dump().joined()
        XCTAssertTrue(dialog.contains("⏳ waiting for the customer"), dialog)
        for text in [pane, dialog] { XCTAssertFalse(text.contains("sending") || text.contains("→ "), text) }
    }

    func testTheFocusedPaneIsMarked() {
        let till = Fixtures.till()
        let (view, _) = Fixtures.press([.tab], till: till)
        let lines = ScreenRenderer.render(Fixtures.model(till, view: view)).dump()
        XCTAssertTrue(lines[1].contains("▸ Channel"), lines[1])
        XCTAssertTrue(lines[23].contains("Tab Pane") && lines[23].contains("F10 Quit"), lines[23])
    }

    func testCancelled() {
        each("cancelled", Fixtures.till(current: Fixtures.sale4))
    }

    func testUnresolvedBanner() {
        var open = Fixtures.sale3
        open.state = .unresolved
        open.syssn = nil
        open.reason = .unresolved(kind: .payment)
        each("unresolved", Fixtures.till(current: open, unresolved: [open]))
    }

    func testHistoryWithRefundsSelected() {
        let till = Fixtures.till()
        let (view, _) = Fixtures.press([.tab, .tab, .down, .down], till: till)
        XCTAssertEqual(view.focus, .history)
        each("history", till, view: view)
    }

    func testRefundDialog() {
        let till = Fixtures.till()
        let (view, _) = Fixtures.press([.tab, .tab, .down, .down, .down, .down, .function(3), .backspace], till: till)
        guard case .refund(let draft)? = view.dialog else { return XCTFail("no refund dialog: \(view)") }
        XCTAssertEqual(draft.amountText, "10.5")
        each("refund", till, view: view)
    }

    func testHelp() {
        var till = Fixtures.till()
        till.helpNotes = [LocalizedText("Simulator: .51 declined, .52 customer cancels, .53 never pays, .54 answer lost.",
                                        "模擬器：.51 拒絕、.52 顧客取消、.53 不付款、.54 回覆遺失。")]
        let (view, _) = Fixtures.press([.function(1)], till: till)
        each("help", till, view: view)
        let dump = ScreenRenderer.render(Fixtures.model(till, view: view)).dump().joined(separator: "\n")
        for row in KeyTable.helpRows { XCTAssertTrue(dump.contains(row.keys), "help at 80×24 names \(row.keys)") }
        XCTAssertTrue(dump.contains("Simulator: .51 declined"), "the notes fit at 80×24 too")
    }

    func testTooSmallKeepsTheState() {
        let till = Fixtures.till()
        var (view, _) = Fixtures.press(Fixtures.type("7.5"), till: till)
        for language in Language.allCases {
            assertScreen(Fixtures.model(till, view: view, language: language, width: 50, height: 15), "too-small-50x15-\(language.rawValue)")
        }
        (view, _) = ConsoleReducer.reduce(view, .resized(width: 50, height: 15), till: till)
        (view, _) = ConsoleReducer.reduce(view, .key(.character("9")), till: till)
        (view, _) = ConsoleReducer.reduce(view, .resized(width: 80, height: 24), till: till)
        XCTAssertEqual(view.amountText, "7.5", "keys are ignored while too small, and the amount survives the resize")
    }

    func testAsciiFallback() {
        assertScreen(Fixtures.model(Fixtures.till(current: Fixtures.sale3), glyphs: .ascii), "approved-80x24-ascii")
    }

    func testWideCharactersAreClippedWholeAtPaneEdges() {
        var long = Fixtures.sale2
        long.reason = .legacy(text: "終端回覆：錢包拒絕了這筆交易，請顧客改用其他付款方式或聯絡發卡機構查詢詳情")
        var log = Fixtures.log
        log.append(LogLine(at: Fixtures.now, direction: "·", text: "通知：收到終端的付款通知，交易號 20261201000100000004，金額 48.00"))
        let model = Fixtures.model(Fixtures.till(current: long, log: log), language: .traditionalChinese)
        assertScreen(model, "clipping-80x24-zh-Hant")
        let grid = ScreenRenderer.render(model)
        // The pane separators stand where they belong on every row of the top panes.
        for y in 1...11 {
            XCTAssertEqual(grid[20, y].character, "│", "row \(y)")
            XCTAssertEqual(grid[43, y].character, "│", "row \(y)")
            XCTAssertEqual(grid[79, y].character, "│", "row \(y)")
        }
    }

    /// Dialogs and the demo's customer pane, at 80×24 in both languages.
    func testDialogsAndTheCustomerPane() {
        var running = Fixtures.sale3
        running.state = .awaiting
        running.syssn = nil
        running.deadline = Fixtures.now.addingTimeInterval(20)
        var demo = Fixtures.till(current: running)
        demo.customer = [LocalizedText("paid 12.50 (WeChat Pay)", "已付款 12.50（微信支付）"),
                         LocalizedText("declined 8.51 (Alipay): refused by the wallet or card issuer (1205)",
                                       "付款失敗 8.51（支付寶）：錢包或發卡機構拒絕（1205）")]
        var open = Fixtures.sale3
        open.state = .unresolved
        let unresolved = Fixtures.till(current: open, unresolved: [open])
        var elsewhere = Fixtures.till()
        elsewhere.elsewhere = [open]
        var a920 = Fixtures.till(history: [], log: [])
        a920.channels = Channel.allCases.map { ChannelChoice(channel: $0, disabledReason: $0.acceptedByPaxA920 ? nil : Strings.paxA920) }
        let cases: [(String, TillState, [Key])] = [
            ("customer", demo, []),
            ("elsewhere", elsewhere, []),
            ("a920-channels", a920, [.function(2), .down, .down, .down, .down]),
            ("cancel-dialog", demo, [.escape]),
            ("quit-dialog", demo, [.function(10)]),
            ("quit-typed-dialog", Fixtures.till(), Fixtures.type("12x")),
            ("settle-dialog", unresolved, [.function(7), .character("y")] + Fixtures.type("portal: paid")),
        ]
        for (name, till, keys) in cases {
            let (view, intents) = Fixtures.press(keys, till: till)
            XCTAssertEqual(intents, [], name)
            for language in Language.allCases {
                assertScreen(Fixtures.model(till, view: view, language: language), "\(name)-80x24-\(language.rawValue)")
            }
        }
    }

    /// A long history scrolls so the selected row is always on screen, and PgDn moves by ten.
    func testHistoryScrollsToKeepTheSelectionVisible() {
        let rows = (0..<30).map { i in
            AttemptSummary(outTradeNo: "T01-ROW-\(100 + i)", kind: .payment, amount: Amount(cents: Int64(100 * (i + 1))),
                           channel: .wechat, state: .approved, createdAt: Fixtures.at(Double(i)), syssn: "S\(i)")
        }
        let till = Fixtures.till(history: rows)
        let (view, _) = Fixtures.press([.tab, .tab] + Array(repeating: .down, count: 12) + [.pageDown], till: till)
        XCTAssertEqual(view.historyIndex, 22)
        let dump = ScreenRenderer.render(Fixtures.model(till, view: view)).dump()
        let selected = dump.filter { $0.contains("▸") && $0.contains("T01-ROW-122") }
        XCTAssertEqual(selected.count, 1, dump.joined(separator: "\n"))
        XCTAssertFalse(dump.contains { $0.contains("T01-ROW-100") }, "the newest rows scrolled away")
    }

    /// The log key (F8 or `l`) flips the log pane between the decoded request and answer and the
    /// bytes on the wire, with packet fields on a packet link.
    func testTheLogFlipsBetweenDecodedJSONAndHex() throws {
        let sent = try PacketEncoder().encodeRequest(Array(#"{"func_type":1003}"#.utf8), ref: 1).flatMap { $0 }
        let exchange = WireLogEntry(id: 7, at: Fixtures.now, kind: .exchange, request: .inquiry(.outTradeNo("T01-0001")),
                                    failure: .init(kind: .unknown, detail: "no answer within 30 s"), finishedAt: Fixtures.now,
                                    sent: sent, received: [0x2F, 0x6E, 0x02, 0x01], packetLink: true)
        let note = WireLogEntry(id: 8, at: Fixtures.now, kind: .note, note: "/dev/ttyUSB0: link reopened")
        let snapshot = EngineSnapshot(current: nil, pending: [], problems: [], log: [exchange, note], endpoint: "USB /dev/ttyUSB0")
        let till = TillState(snapshot: snapshot, attempts: [], facts: TillFacts(tillID: "T01", maskedKey: "…aacd"))
        XCTAssertEqual(till.log.map { $0.direction }, ["→", "←", "·"])
        XCTAssertEqual(till.log[0].text, #"{"func_type":4001,"out_trade_no":"T01-0001"}"#)
        XCTAssertEqual(till.log[1].text, "no answer: no answer within 30 s")
        XCTAssertTrue(till.hexLog[0].text.hasPrefix("2F 6E"), till.hexLog[0].text)
        XCTAssertTrue(till.hexLog[0].text.hasSuffix(" · message ref 0x01, 18 bytes of data"), till.hexLog[0].text)
        let (hex, intents) = Fixtures.press([.character("l")], till: till)
        XCTAssertTrue(hex.logAsHex)
        XCTAssertTrue(intents.isEmpty)
        XCTAssertFalse(Fixtures.press([.function(8)], from: hex, till: till).0.logAsHex, "the same key flips it back")
        for language in Language.allCases {
            assertScreen(Fixtures.model(till, language: language), "log-json-80x24-\(language.rawValue)")
            assertScreen(Fixtures.model(till, view: hex, language: language), "log-hex-80x24-\(language.rawValue)")
        }
    }
}
