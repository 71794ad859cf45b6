import Foundation
import XCTest
import ECRConfiguration
import ECRProtocol
import ECREngine
import ECRTransport
@testable import ConsoleUI

/// Why a payment was not adopted reads in the screen's language: the English is the command line's
/// sentence, the Chinese has no English sentence in it.
final class AdoptionRefusalWordsTests: XCTestCase {
    static let amountDiffers = AdoptionRefusal.amountDiffers(terminal: Amount(cents: 2100), journal: Amount(cents: 2200))

    func testEveryRefusalHasItsChinese() {
        let other = TerminalIdentity(transport: .tcp, address: "127.0.0.2", port: 9002)
        let refusals: [AdoptionRefusal] = [
            .refund(outTradeNo: "T01-R1"), .finalInJournal(outTradeNo: "T01-7", state: .declined, respcd: "1205"),
            .finalInJournal(outTradeNo: "T01-7", state: .approved, respcd: nil),
            .notPaidOnTerminal(outTradeNo: "T01-7", status: "1145"), .notPaidOnTerminal(outTradeNo: "T01-7", status: nil),
            .otherOutTradeNo(outTradeNo: "T01-7", named: "T01-8"), .otherOutTradeNo(outTradeNo: "T01-7", named: nil),
            Self.amountDiffers, .amountDiffers(terminal: nil, journal: Amount(cents: 2200)),
            .otherRecord(outTradeNo: "T01-7", [.syssn(theirs: "2026120100001", ours: "2026120100002")]),
            .notInJournal(outTradeNo: "T01-7"), .refused(.otherTerminal(outTradeNo: "T01-7", terminal: other)),
            .stillActive(outTradeNo: "T01-7", state: .awaiting),
            .journalUnwritable(outTradeNo: "T01-7", detail: "write(journal-2026-12.csv): No space left on device"),
        ]
        let failure = TransportFailure.notSent("Connection to 127.0.0.1:9001 refused.", kind: .connectionRefused)
        var texts = refusals.map(Strings.adoptionRefusal)
        XCTAssertEqual(texts.map(\.english), refusals.map(\.message), "the console's English is the command line's")
        texts += [Strings.adoptionUnasked("T01-7", failure), Strings.adoptionNoRecord("T01-7", ECRResponse(outer: .denied))]
        for text in texts.map(Strings.notAdopted) {
            XCTAssertTrue(text.english.hasPrefix("Not adopted: "), text.english)
            // Words of three letters or more are English (ids, TCP, syssn and out_trade_no aside).
            let words = text.traditionalChinese.replacingOccurrences(of: "(TCP|syssn|out_trade_no)", with: "", options: .regularExpression)
            XCTAssertNil(words.range(of: "[a-z]{3,}", options: .regularExpression), text.traditionalChinese)
        }
    }

    /// The reconcile view after the terminal's record no longer proved the payment.
    func testScreens() {
        var till = ReconcileViewTests.till(ReconcileViewTests.mismatching())
        till.reconcile?.message = Notice(Strings.notAdopted(Strings.adoptionRefusal(Self.amountDiffers)), role: .error)
        let open = Fixtures.press([.character("k")], till: till).0
        for language in Language.allCases {
            assertScreen(Fixtures.model(till, view: open, language: language, width: 80, height: 24), "reconcile-not-adopted-80x24-\(language.rawValue)")
        }
    }
}
