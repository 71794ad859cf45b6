import Foundation
import XCTest
import ECRProtocol
import ECREngine
import ECRConfiguration
import ECRTransport
@testable import ConsoleUI

/// The reconcile view (`k`): opening and refusing, days, rows, adopting with a yes/no, and its screens.
final class ReconcileViewTests: XCTestCase {
    static func attempt(_ summary: AttemptSummary, state: AttemptState? = nil) -> PaymentAttempt {
        var attempt = PaymentAttempt(outTradeNo: summary.outTradeNo, kind: summary.kind,
                                     refund: summary.refundOf.map { RefundOrigin(originalSyssn: $0, requestedAmount: nil) },
                                     amount: summary.amount, channel: summary.channel, createdAt: summary.createdAt, tillID: "T01",
                                     paymentTimeout: 60, state: state ?? summary.state)
        attempt.syssn = summary.syssn
        return attempt
    }

    static func record(_ respcd: String, _ fields: [(String, JSONValue)] = []) -> ECRResponse {
        ECRResponse(outer: .accepted, data: TransactionRecord(fields: JSONObject([("respcd", .string(respcd))] + fields)))
    }

    static func paid(_ summary: AttemptSummary, refundable: Int64? = nil) -> ECRResponse {
        var fields: [(String, JSONValue)] = [("out_trade_no", .string(summary.outTradeNo)), ("txamt", .number(String(summary.amount.cents))),
                                             ("syssn", .string(summary.syssn ?? "20261201000100000009")), ("tradetp", .string("payment"))]
        if let refundable { fields.append(("allow_refund_amt", .number(String(refundable)))) }
        return record("0000", fields)
    }

    static var lost: AttemptSummary {
        var lost = Fixtures.sale3
        lost.outTradeNo = "T01202612011429000006"
        lost.amount = Amount(cents: 2200)
        lost.syssn = nil
        lost.state = .unresolved
        lost.createdAt = Fixtures.at(3)
        return lost
    }

    /// The morning's attempts held against what the terminal said: all agree.
    static func agreeing() -> [ReconcileFinding] {
        [Reconciliation.compare(attempt(Fixtures.sale1), answer: paid(Fixtures.sale1, refundable: 1050), journalRefunded: Amount(cents: 200),
                                overCloud: false),
         Reconciliation.compare(attempt(Fixtures.sale2), answer: record("1205"), journalRefunded: nil, overCloud: false),
         Reconciliation.compare(attempt(Fixtures.refund1), answer: record("0000", [("syssn", .string("20261201000100000003")),
                                                                                 ("txamt", .number("200")), ("tradetp", .string("refund"))]),
                                journalRefunded: nil, overCloud: false),
         Reconciliation.compare(attempt(Fixtures.sale3), answer: paid(Fixtures.sale3, refundable: 4800), journalRefunded: Amount(cents: 0),
                                overCloud: false),
         Reconciliation.compare(attempt(Fixtures.sale4), answer: record("1261"), journalRefunded: nil, overCloud: false)]
    }

    /// The terminal lost sale3 (a restart without its ledger) and has a payment the journal missed.
    static func mismatching() -> [ReconcileFinding] {
        var findings = agreeing()
        findings[3] = Reconciliation.compare(attempt(Fixtures.sale3), answer: record("1136"), journalRefunded: Amount(cents: 0), overCloud: false)
        findings.append(Reconciliation.compare(attempt(lost), answer: paid(lost), journalRefunded: nil, overCloud: false))
        var elsewhere = attempt(Fixtures.sale2)
        elsewhere.outTradeNo = "T01202612011430000007"
        let other = ReconcileFinding.OtherTerminal(outTradeNo: elsewhere.outTradeNo, bound: TerminalIdentity(transport: .tcp, address: "127.0.0.2", port: 9002),
                                                   here: TerminalIdentity(transport: .http, address: "127.0.0.1", port: 9001))
        findings.append(ReconcileFinding(attempt: elsewhere, terminalState: "not asked", verdict: .skipped, reason: .otherTerminal(other)))
        return findings
    }

    static func till(_ findings: [ReconcileFinding], phase: ReconcileStatus.Phase = .finished, position: Int? = nil,
                     total: Int? = nil) -> TillState {
        var till = Fixtures.till()
        till.reconcile = ReconcileStatus(day: "2026-12-01", dayOffset: 0, terminal: "HTTP 127.0.0.1:9001",
                                         total: total ?? findings.count, position: position ?? findings.count, findings: findings, phase: phase)
        return till
    }

    func testKOpensTodayAndStartsAskingButNotWhileASaleRuns() {
        let (view, intents) = Fixtures.press(Fixtures.type("3") + [.character("k")], till: Fixtures.till())
        XCTAssertEqual(view.dialog, .reconcile(ReconcileView()))
        XCTAssertEqual(intents, [.reconcile(dayOffset: 0)])
        XCTAssertEqual(view.amountText, "3", "the amount waits underneath")

        var running = Fixtures.sale3
        running.state = .awaiting
        let (refused, none) = Fixtures.press([.character("k")], till: Fixtures.till(current: running))
        XCTAssertNil(refused.dialog)
        XCTAssertTrue(none.isEmpty, "nothing is asked while a sale holds the terminal")
        XCTAssertEqual(refused.notice, Notice(Strings.reconcileWaitsForSale(running.outTradeNo), role: .error))
        XCTAssertTrue(refused.notice?.text.english.contains("one request at a time") ?? false, "it says why")
    }

    func testArrowsMoveTheDayAndEscStops() {
        let till = Self.till(Self.agreeing())
        let open = Fixtures.press([.character("k")], till: till).0
        var (view, intents) = Fixtures.press([.left, .left], from: open, till: till)
        XCTAssertEqual(intents, [.reconcile(dayOffset: -1), .reconcile(dayOffset: -2)])
        (view, intents) = Fixtures.press([.right], from: view, till: till)
        XCTAssertEqual(intents, [.reconcile(dayOffset: -1)])
        (view, intents) = Fixtures.press([.right, .right], from: view, till: till)
        XCTAssertEqual(intents, [.reconcile(dayOffset: 0)], "no day after today")
        XCTAssertEqual(view.dialog, .reconcile(ReconcileView(hint: Strings.reconcileNoLaterDay)))
        (view, intents) = Fixtures.press([.character("k")], from: view, till: till)
        XCTAssertEqual(intents, [.reconcile(dayOffset: 0)], "k asks again")
        (view, intents) = Fixtures.press([.escape], from: view, till: till)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(intents, [.stopReconcile])
        XCTAssertEqual(Fixtures.press([.function(10)], from: open, till: till).1, [.quit])
    }

    func testOnlyAPaymentTheJournalMissedIsAdoptedAndOnlyOnAYes() {
        let till = Self.till(Self.mismatching())
        let open = Fixtures.press([.character("k")], till: till).0
        var (view, intents) = Fixtures.press([.character("a")], from: open, till: till)
        XCTAssertEqual(view.dialog, .reconcile(ReconcileView(hint: Strings.reconcileNothingToAdopt)), "an agreeing row is not adopted")
        XCTAssertTrue(intents.isEmpty)
        (view, intents) = Fixtures.press([.down, .down, .down, .enter], from: open, till: till)
        XCTAssertEqual(view.dialog, .reconcile(ReconcileView(index: 3, hint: Strings.reconcileNothingToAdopt)),
                       "unknown to the terminal: nothing to adopt")
        (view, intents) = Fixtures.press([.down, .down, .character("a")], from: view, till: till)
        XCTAssertEqual(view.dialog, .reconcile(ReconcileView(index: 5, adopting: Self.lost.outTradeNo)))
        XCTAssertTrue(intents.isEmpty, "asked first")
        XCTAssertEqual(Fixtures.press([.character("n")], from: view, till: till).0.dialog, .reconcile(ReconcileView(index: 5)))
        (view, intents) = Fixtures.press([.character("y")], from: view, till: till)
        XCTAssertEqual(intents, [.adopt(outTradeNo: Self.lost.outTradeNo)])
        XCTAssertEqual(view.dialog, .reconcile(ReconcileView(index: 5)))

        let running = Self.till(Self.mismatching(), phase: .running, position: 6, total: 6)
        XCTAssertEqual(Fixtures.press([.down, .down, .down, .down, .down, .character("a")], from: open, till: running).0.dialog,
                       .reconcile(ReconcileView(index: 5, hint: Strings.reconcileAdoptWaits)), "not while it still asks")
        var adopted = Self.till(Self.mismatching())
        adopted.reconcile?.adopted = [Self.lost.outTradeNo]
        XCTAssertNil(Fixtures.press([.down, .down, .down, .down, .down, .character("a")], from: open, till: adopted).0.dialogAdopting,
                     "adopted once only")
    }

    func testTheSummarySaysAllAgreeMismatchesOrUnreachable() {
        func summary(_ till: TillState) -> String {
            let view = Fixtures.press([.character("k")], till: till).0
            return ScreenRenderer.render(Fixtures.model(till, view: view)).dump()[1]
        }
        XCTAssertTrue(summary(Self.till(Self.agreeing())).contains("✔ All agree: 5 attempts"))
        XCTAssertTrue(summary(Self.till(Self.mismatching())).contains("✘ 2 mismatches"))
        XCTAssertTrue(summary(Self.till(Self.mismatching())).contains("1 skipped"))
        var unreachable = Self.agreeing()
        for index in unreachable.indices { unreachable[index].verdict = .unreachable }
        XCTAssertTrue(summary(Self.till(unreachable)).contains("‼ Terminal unreachable: 5 not answered"))
        XCTAssertTrue(summary(Self.till(Array(Self.agreeing().prefix(2)), phase: .running, position: 3, total: 5))
            .contains("Asking the terminal: 3 of 5"))
        XCTAssertTrue(summary(Self.till([])).contains("No attempts on this day"))
    }

    func testScreens() {
        let running = Self.till(Array(Self.mismatching().prefix(3)), phase: .running, position: 4, total: 7)
        let agree = Self.till(Self.agreeing())
        let mismatches = Self.till(Self.mismatching())
        let open = Fixtures.press([.character("k")], till: agree).0
        let adopting = Fixtures.press([.down, .down, .down, .down, .down, .character("a")], from: open, till: mismatches).0
        let onMismatch = Fixtures.press([.down, .down, .down], from: open, till: mismatches).0
        // The last row's explanation is longer than the rows kept for it: it takes the table's empty rows and reads whole.
        let onElsewhere = Fixtures.press(Array(repeating: .down, count: 6), from: open, till: mismatches).0
        for (width, height) in ScreenTests.sizes {
            for language in Language.allCases {
                let suffix = "\(width)x\(height)-\(language.rawValue)"
                assertScreen(Fixtures.model(running, view: open, language: language, width: width, height: height), "reconcile-running-\(suffix)")
                assertScreen(Fixtures.model(agree, view: open, language: language, width: width, height: height), "reconcile-agree-\(suffix)")
                assertScreen(Fixtures.model(mismatches, view: onMismatch, language: language, width: width, height: height),
                             "reconcile-mismatch-\(suffix)")
                assertScreen(Fixtures.model(mismatches, view: adopting, language: language, width: width, height: height),
                             "reconcile-adopt-\(suffix)")
                assertScreen(Fixtures.model(mismatches, view: onElsewhere, language: language, width: width, height: height),
                             "reconcile-elsewhere-\(suffix)")
            }
        }
    }
}

extension ReconcileViewTests {
    /// Every reason a finding can have reads in Chinese on a Chinese screen: no English sentence,
    /// only ids, amounts, codes and endpoints stay as they are.
    func testEveryReasonHasItsChinese() {
        let failure = TransportFailure.notSent("Connection to 127.0.0.1:9001 refused.", kind: .connectionRefused)
        let said = Self.agreeing()[1].answer!
        let other = ReconcileFinding.OtherTerminal(outTradeNo: "T01-7", bound: TerminalIdentity(transport: .tcp, address: "127.0.0.2", port: 9002),
                                                   here: TerminalIdentity(transport: .http, address: "127.0.0.1", port: 9001), command: "qfecr reconcile")
        let amount = Amount(cents: 1250)
        let reasons: [ReconcileFinding.Reason] = [
            .otherTerminal(other), .unidentifiable, .noAnswer(failure), .notAskedUnreachable(failure),
            .inquiryRefused(LocalizedText("POS-KEY mismatch", "POS-KEY 不符")), .amountDiffers(terminal: amount, journal: amount),
            .otherRecord([.outTradeNo(theirs: "T01-8", ours: "T01-7")]), .paidNotInJournal(refund: true, syssn: nil, journal: .unresolved),
            .refundedDiffers(terminal: amount, journal: amount), .pendingOnTerminal, .approvedButUnknown, .unknownToTerminal(journal: .unknown),
            .notPaidOnTerminal(said), .unsettledInJournal(journal: .unresolved, terminal: said), .saleNotPaid(sale: "S1"),
            .otherSale(sale: "S1", [.otherSale(theirs: "S2", ours: "S1")]), .saleRefundableUnknown(sale: "S1"),
            .saleRefundedDiffers(sale: "S1", terminal: amount, journal: amount), .checkedThroughSale(sale: "S1", refunded: amount),
        ]
        for reason in reasons {
            let text = Strings.reconcileReason(reason)
            XCTAssertEqual(text.english, reason.english, "the console's English is the command line's")
            // Words of three letters or more are English (ids, TCP/HTTP and POS-KEY aside).
            let words = text.traditionalChinese.replacingOccurrences(of: "(TCP|HTTP|POS-KEY|syssn|out_trade_no)", with: "", options: .regularExpression)
            XCTAssertNil(words.range(of: "[a-z]{3,}", options: .regularExpression), text.traditionalChinese)
        }
    }
}

private extension ViewState {
    var dialogAdopting: String? {
        if case .reconcile(let open)? = dialog { return open.adopting }
        return nil
    }
}
