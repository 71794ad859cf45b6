import Foundation
import XCTest
import ECRProtocol
import ECREngine
@testable import ConsoleUI

/// Keys in, intents out, with no terminal: the key contract of the console.
final class ReducerTests: XCTestCase {
    let idle = Fixtures.till(history: [], log: [])

    func testTypingAndEnterPaysOnTheSelectedChannel() {
        let (view, intents) = Fixtures.press(Fixtures.type("12.50") + [.enter], till: idle)
        XCTAssertEqual(intents, [.pay(amount: Amount(cents: 1250), channel: .cardPayment)])
        XCTAssertEqual(view.amountText, "", "the field empties once the sale is asked for")
    }

    func testBackspaceAndTheAmountRulesAreExplainedInPlaceAndNeverSent() {
        var (view, intents) = Fixtures.press(Fixtures.type("1.2."), till: idle)
        XCTAssertEqual(view.amountText, "1.2")
        XCTAssertEqual(view.amountProblem, Strings.oneDot)
        (view, intents) = Fixtures.press(Fixtures.type("3"), from: view, till: idle)
        XCTAssertEqual(view.amountText, "1.23")
        XCTAssertNil(view.amountProblem)
        (view, intents) = Fixtures.press(Fixtures.type("4"), from: view, till: idle)
        XCTAssertEqual(view.amountText, "1.23")
        XCTAssertEqual(view.amountProblem, Strings.twoDecimals)
        (view, intents) = Fixtures.press([.backspace, .backspace, .backspace, .backspace, .enter], from: view, till: idle)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.amountProblem, Strings.emptyAmount)
        (view, intents) = Fixtures.press(Fixtures.type("0.00") + [.enter], from: view, till: idle)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.amountProblem, Strings.zeroAmount)
        (view, intents) = Fixtures.press(Fixtures.type("12.") + [.enter], till: idle)
        XCTAssertEqual(view.amountProblem, Strings.unfinished)
        var capped = idle
        capped.maximumAmount = Amount(cents: 10000)
        (view, intents) = Fixtures.press(Fixtures.type("100.01") + [.enter], till: capped)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.amountProblem, Strings.aboveMaximum("100.00"))
    }

    func testArrowsPickEnabledChannelsOnlyAndTheLastUsedIsPreselected() {
        var a920 = Fixtures.till(history: [Fixtures.sale2], log: [])
        a920.channels = Channel.allCases.map {
            ChannelChoice(channel: $0, disabledReason: $0.acceptedByPaxA920 ? nil : Strings.paxA920)
        }
        XCTAssertEqual(ViewState().selectedChannel(in: a920), .alipay, "the channel of the last sale")
        let (view, intents) = Fixtures.press([.function(2), .down, .down, .down, .down, .down] + Fixtures.type("5") + [.enter], till: a920)
        XCTAssertEqual(view.selectedChannel(in: a920), .fps, "Octopus and the cards are skipped: the A920 takes QR only")
        XCTAssertEqual(intents, [.pay(amount: Amount(cents: 500), channel: .fps)])
        XCTAssertEqual(Fixtures.press([.up, .up, .up, .up], till: a920).0.selectedChannel(in: a920), .wechat)
    }

    func testANewSaleIsRefusedWhileOneRunsOrIsUnresolvedSayingWhy() {
        var running = Fixtures.sale3
        running.state = .awaiting
        let busy = Fixtures.till(current: running)
        var (view, intents) = Fixtures.press(Fixtures.type("3") + [.enter], till: busy)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.stillRunning(running.outTradeNo))
        XCTAssertEqual(view.amountText, "3", "what was typed stays for when the sale ends")
        var open = Fixtures.sale3
        open.state = .unresolved
        (view, intents) = Fixtures.press(Fixtures.type("3") + [.enter], till: Fixtures.till(current: open, unresolved: [open]))
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.unresolvedFirst)
    }

    func testEscAsksBeforeCancellingAndYOrEnterConfirmsNOrEscDeclines() {
        var running = Fixtures.sale3
        running.state = .awaiting
        let till = Fixtures.till(current: running)
        var (view, intents) = Fixtures.press([.escape], till: till)
        XCTAssertEqual(view.dialog, .confirmCancel)
        XCTAssertEqual(intents, [])
        (view, intents) = Fixtures.press([.character("n")], from: view, till: till)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(Fixtures.press([.escape, .escape], till: till).1, [], "Esc in the dialog declines")
        XCTAssertEqual(Fixtures.press([.escape, .character("y")], till: till).1, [.cancel])
        XCTAssertEqual(Fixtures.press([.escape, .enter], till: till).1, [.cancel])
    }

    func testQuitAsksWhileASaleRunsAndNotOtherwise() {
        XCTAssertEqual(Fixtures.press([.function(10)], till: idle).1, [.quit])
        XCTAssertEqual(Fixtures.press([.character("x")], till: idle).1, [.quit], "a letter where F-keys are missing")
        var running = Fixtures.sale3
        running.state = .awaiting
        let till = Fixtures.till(current: running)
        let (view, intents) = Fixtures.press([.function(10)], till: till)
        XCTAssertEqual(view.dialog, .quitWhileRunning)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(Fixtures.press([.function(10), .character("y")], till: till).1, [.quit])
        XCTAssertEqual(Fixtures.press([.function(10), .character("n")], till: till).1, [])
    }

    func testLettersWhileTypingKeepTheAmount() {
        // x after digits asks before quitting; the amount survives a no.
        var (view, intents) = Fixtures.press(Fixtures.type("12x"), till: idle)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.dialog, .quitLosingAmount)
        (view, intents) = Fixtures.press([.character("n")], from: view, till: idle)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(view.amountText, "12")
        XCTAssertEqual(Fixtures.press(Fixtures.type("12") + [.function(10), .character("y")], till: idle).1, [.quit])
        // A letter that is no command says what letters are, in place, and keeps the digits.
        (view, intents) = Fixtures.press(Fixtures.type("12z"), till: idle)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.amountText, "12")
        XCTAssertEqual(view.amountProblem, Strings.lettersAreCommands)
        // With the field empty the letters keep their contract.
        XCTAssertEqual(Fixtures.press([.character("x")], till: idle).1, [.quit])
        XCTAssertEqual(Fixtures.press([.function(10)], till: idle).1, [.quit])
    }

    func testTypingANewAmountClearsTheLastNotice() {
        var view = ViewState()
        view.notice = Notice(Strings.nothingToCancel, role: .muted)
        XCTAssertNil(Fixtures.press(Fixtures.type("3"), from: view, till: idle).0.notice)
    }

    func testQueryOnARefundRowAsksByTheTerminalsOwnId() {
        let till = Fixtures.till()
        let toRefund: [Key] = [.tab, .tab, .down, .down]
        XCTAssertEqual(Fixtures.press(toRefund + [.function(4)], till: till).1, [.queryOrder(syssn: "20261201000100000003")])
        var noSyssn = Fixtures.refund1
        noSyssn.syssn = nil
        let other = Fixtures.till(history: [Fixtures.sale4, Fixtures.sale3, noSyssn, Fixtures.sale2, Fixtures.sale1])
        XCTAssertEqual(Fixtures.press(toRefund + [.function(4)], till: other).1, [.queryOrder(syssn: "20261201000100000001")],
                       "without its own syssn, the sale it refunds")
    }

    func testHistorySelectionStartsOnTheNewestAndDrivesQueryPrintAndRefund() {
        let till = Fixtures.till()
        XCTAssertEqual(ViewState().selectedRow(in: till), Fixtures.sale4)
        let (view, intents) = Fixtures.press([.tab, .tab, .down, .function(4), .function(5), .character("S")], till: till)
        XCTAssertEqual(view.focus, .history)
        XCTAssertEqual(intents, [.query(outTradeNo: Fixtures.sale3.outTradeNo), .print(syssn: "20261201000100000004"), .summary])
        let end = Fixtures.press([.tab, .tab] + Array(repeating: .down, count: 9), till: till).0
        XCTAssertEqual(end.selectedRow(in: till), Fixtures.sale1, "the selection stops at the oldest row")
    }

    func testAPartialRefundFromHistory() {
        let till = Fixtures.till()
        let toSale1: [Key] = [.tab, .tab, .down, .down, .down, .down]
        var (view, intents) = Fixtures.press(toSale1 + [.function(3)], till: till)
        guard case .refund(let draft)? = view.dialog else { return XCTFail("no refund dialog") }
        XCTAssertEqual(draft.amountText, "10.50", "the field holds the refundable amount (12.50 less a 2.00 refund)")
        (view, intents) = Fixtures.press(Fixtures.type("3") + [.enter], from: view, till: till)
        guard case .refund(let typed)? = view.dialog else { return XCTFail("dialog closed") }
        XCTAssertEqual(typed.amountText, "3", "typing into the untouched field replaces it")
        XCTAssertTrue(typed.confirming)
        XCTAssertEqual(intents, [], "Enter only asks; y sends")
        (view, intents) = Fixtures.press([.character("y")], from: view, till: till)
        XCTAssertEqual(intents, [.refund(syssn: "20261201000100000001", amount: Amount(cents: 300))])
        XCTAssertNil(view.dialog)
    }

    func testRefundRulesAreExplainedBeforeAnythingIsSent() {
        let till = Fixtures.till()
        // More than is refundable.
        var (view, intents) = Fixtures.press([.tab, .tab, .down, .down, .down, .down, .function(3)] + Fixtures.type("11") + [.enter], till: till)
        guard case .refund(let over)? = view.dialog else { return XCTFail() }
        XCTAssertEqual(over.problem, Strings.aboveRefundable("10.50"))
        XCTAssertFalse(over.confirming)
        // A card sale refunds only in full.
        (view, intents) = Fixtures.press([.tab, .tab, .down, .function(3)] + Fixtures.type("20") + [.enter], till: till)
        guard case .refund(let card)? = view.dialog else { return XCTFail() }
        XCTAssertEqual(card.problem, Strings.cardFullOnly)
        // A declined sale, a refund row and an FPS sale cannot be refunded at all.
        (view, intents) = Fixtures.press([.tab, .tab, .down, .down, .down, .function(3)], till: till)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(view.notice?.text, Strings.onlyApprovedSales)
        var fps = Fixtures.sale1
        fps.channel = .fps
        (view, intents) = Fixtures.press([.function(3)], till: Fixtures.till(history: [fps]))
        XCTAssertEqual(view.notice?.text, Strings.notRefundable(Channel.fps.name))
        XCTAssertEqual(intents, [])
    }

    func testAResumedApprovalOfTheSameAmountNeedsAnExplicitYes() {
        var resumed = Fixtures.sale1
        resumed.resumed = true
        let till = Fixtures.till(history: [resumed])
        var (view, intents) = Fixtures.press(Fixtures.type("12.5") + [.enter], till: till)
        guard case .sameAmount(let amount, _, _)? = view.dialog else { return XCTFail("no question") }
        XCTAssertEqual(amount, Amount(cents: 1250))
        XCTAssertEqual(intents, [])
        (view, intents) = Fixtures.press([.character("n")], from: view, till: till)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(Fixtures.press(Fixtures.type("12.5") + [.enter, .character("y")], till: till).1,
                       [.pay(amount: Amount(cents: 1250), channel: .wechat)])
        XCTAssertEqual(Fixtures.press(Fixtures.type("7") + [.enter], till: till).1, [.pay(amount: Amount(cents: 700), channel: .wechat)],
                       "another amount is not asked about")
        // The engine's rule: the same sale is the same amount on the same channel.
        XCTAssertEqual(Fixtures.press([.down] + Fixtures.type("12.5") + [.enter], till: till).1,
                       [.pay(amount: Amount(cents: 1250), channel: .alipay)], "another channel is another sale")
    }

    func testUnresolvedCanBeQueriedAgainOrSettledByHandWithAReason() {
        var open = Fixtures.sale3
        open.state = .unresolved
        let till = Fixtures.till(current: open, unresolved: [open])
        XCTAssertEqual(Fixtures.press([.function(4)], till: till).1, [.resolveAgain(outTradeNo: open.outTradeNo)],
                       "F4 polls the unresolved attempt again, whatever row is selected")
        var (view, intents) = Fixtures.press([.function(7), .character("n"), .enter], till: till)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.reasonNeeded)
        (view, intents) = Fixtures.press(Fixtures.type("portal shows no payment") + [.enter], from: view, till: till)
        XCTAssertEqual(intents, [.settle(outTradeNo: open.outTradeNo, paid: false, note: "portal shows no payment")])
        XCTAssertNil(Fixtures.press([.escape], till: till).0.dialog, "an unresolved attempt is not cancelled from the till")
    }

    func testHelpOpensAndClosesAndTheKeyBarComesFromTheTable() {
        var (view, _) = Fixtures.press([.function(1)], till: idle)
        XCTAssertEqual(view.dialog, .help)
        (view, _) = Fixtures.press([.escape], from: view, till: idle)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(KeyTable.keyBar.map { $0.keys[0].name }, ["F1", "F2", "F3", "F4", "F5", "F6", "Esc", "F10", "Tab"])
        for language in Language.allCases {
            let bar = KeyTable.keyBar(fitting: 78, language: language)
            XCTAssertTrue(bar.contains { $0.action == .nextPane } && bar.contains { $0.action == .quit } && bar.contains { $0.action == .help },
                          "80 columns keep Tab, F1 and F10 (\(language))")
        }
        let contract: [(Key, KeyAction)] = [(.function(1), .help), (.function(2), .channel), (.function(3), .refund),
                                            (.function(4), .query), (.function(5), .print), (.function(6), .summary),
                                            (.function(10), .quit), (.escape, .cancel), (.tab, .nextPane), (.enter, .submit),
                                            (.backspace, .deleteDigit), (.up, .moveUp), (.down, .moveDown), (.character("."), .typeDigit)]
        for (key, action) in contract { XCTAssertEqual(KeyTable.action(for: key), action, key.name) }
        XCTAssertEqual(KeyTable.dialogAnswer(for: .character("y")), .confirm)
        XCTAssertEqual(KeyTable.dialogAnswer(for: .enter), .confirm)
        XCTAssertEqual(KeyTable.dialogAnswer(for: .character("n")), .decline)
        XCTAssertEqual(KeyTable.dialogAnswer(for: .escape), .decline)
        // Every letter alternative is unique and not a digit.
        let letters = KeyTable.bindings.filter { $0.context != .dialogs }.flatMap(\.keys).compactMap { key -> Character? in
            if case .character(let c) = key, c.isLetter { return c } else { return nil }
        }
        XCTAssertEqual(letters.count, Set(letters).count)
    }

    func testLanguageComesFromTheFlagTheConfigurationOrTheLocale() throws {
        XCTAssertEqual(try ConsoleLanguage.resolve(flag: "zh-Hant", configured: .english, environment: [:]), .traditionalChinese)
        XCTAssertEqual(try ConsoleLanguage.resolve(flag: nil, configured: .english, environment: ["LANG": "zh_TW.UTF-8"]), .english)
        XCTAssertEqual(try ConsoleLanguage.resolve(flag: nil, configured: nil, environment: ["LANG": "zh_HK.UTF-8"]), .traditionalChinese)
        XCTAssertEqual(try ConsoleLanguage.resolve(flag: nil, configured: nil, environment: ["LC_ALL": "zh_TW", "LANG": "en_US"]), .traditionalChinese)
        XCTAssertEqual(try ConsoleLanguage.resolve(flag: nil, configured: nil, environment: ["LANG": "zh_CN.UTF-8"]), .english)
        XCTAssertEqual(try ConsoleLanguage.resolve(flag: nil, configured: nil, environment: [:]), .english)
        XCTAssertThrowsError(try ConsoleLanguage.resolve(flag: "fr", configured: nil, environment: [:]))
    }

    func testTheLoopWakesEachSecondForACountdownAndEachMinuteForTheClock() {
        var running = Fixtures.sale3
        running.state = .awaiting
        running.deadline = Fixtures.now.addingTimeInterval(30)
        XCTAssertEqual(Fixtures.model(Fixtures.till(current: running)).nextTimedChange(), Fixtures.now.addingTimeInterval(1))
        XCTAssertEqual(Fixtures.model(idle).nextTimedChange(), Fixtures.now.addingTimeInterval(55), "14:32:05 → 14:33:00")
    }
}
