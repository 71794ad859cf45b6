import Commissioning
import ECRProtocol
import Foundation
import XCTest
@testable import ConsoleUI

/// The technician's keys (`o` settings, `d` live doctor, `w` profiles) as a pure reducer, and their
/// screens as text (Screens/*.txt, reviewed by eye).
final class CommissioningTests: XCTestCase {
    typealias F = CommissioningFixtures

    var runningSale: AttemptSummary {
        var sale = Fixtures.sale3
        sale.state = .awaiting
        sale.syssn = nil
        return sale
    }

    var unresolvedSale: AttemptSummary {
        var sale = Fixtures.sale3
        sale.state = .unresolved
        sale.syssn = nil
        return sale
    }

    // MARK: Settings

    func testOOpensTheSettingsWhichScrollWithinTheirLengthAndEscCloses() {
        let till = F.till()
        var (view, intents) = Fixtures.press([.character("o")], till: till)
        XCTAssertEqual(view.dialog, .commissioning(.settings(scroll: 0)))
        XCTAssertEqual(intents, [])
        (view, _) = Fixtures.press([.down, .down], from: view, till: till)
        XCTAssertEqual(view.dialog, .commissioning(.settings(scroll: 2)))
        (view, _) = Fixtures.press([.pageDown, .pageDown, .pageDown, .pageDown], from: view, till: till)
        let lines = CommissioningPages.longest { CommissioningPages.settings(F.sheet, width: 76, language: $0, glyphs: .unicode) }
        XCTAssertEqual(view.dialog, .commissioning(.settings(scroll: lines - 22, atEnd: true)), "the last page, no further")
        (view, _) = Fixtures.press([.home], from: view, till: till)
        XCTAssertEqual(view.dialog, .commissioning(.settings(scroll: 0)))
        (view, _) = Fixtures.press([.escape], from: view, till: till)
        XCTAssertNil(view.dialog)
        XCTAssertNil(Fixtures.press([.character("o"), .character("o")], till: till).0.dialog, "o closes them too")
    }

    /// Read to its end, the settings view stays at its end when the window changes size (its lines
    /// wrap anew); scrolled part way, it keeps its place but never past the new end.
    func testTheSettingsStayAtTheirEndThroughAResize() {
        let till = F.till()
        func end(_ width: Int, _ height: Int) -> Int {
            let lines = CommissioningPages.longest { CommissioningPages.settings(F.sheet, width: width - 4, language: $0, glyphs: .unicode) }
            return lines - (height - 2)
        }
        func resized(_ view: ViewState, _ width: Int, _ height: Int) -> ViewState {
            ConsoleReducer.reduce(view, .resized(width: width, height: height), till: till).0
        }
        func scroll(_ view: ViewState) -> Int? {
            if case .commissioning(.settings(let scroll, _))? = view.dialog { return scroll }
            return nil
        }
        XCTAssertGreaterThan(end(80, 24), end(100, 30), "narrower and shorter: more to scroll")
        let atEnd = Fixtures.press([.character("o"), .end], from: ViewState(width: 100, height: 30), till: till).0
        XCTAssertEqual(scroll(atEnd), end(100, 30))
        XCTAssertEqual(scroll(resized(atEnd, 80, 24)), end(80, 24), "still at the end")
        XCTAssertEqual(scroll(resized(resized(atEnd, 80, 24), 100, 30)), end(100, 30), "and back")
        let screen = ScreenRenderer.render(Fixtures.model(till, view: resized(atEnd, 80, 24), width: 80, height: 24)).dump()
        XCTAssertTrue(screen[23].contains("/\(end(80, 24) + 22)"), "the foot shows the last line: \(screen[23])")

        let small = Fixtures.press([.character("o"), .end], from: ViewState(width: 80, height: 24), till: till).0
        let up = Fixtures.press([.up], from: small, till: till).0
        XCTAssertEqual(scroll(resized(up, 100, 30)), end(100, 30), "part way, but never past the new end")
        let top = Fixtures.press([.down], from: Fixtures.press([.character("o")], from: ViewState(width: 80, height: 24), till: till).0, till: till).0
        XCTAssertEqual(scroll(resized(top, 100, 30)), 1, "its place kept")
        XCTAssertEqual(scroll(resized(resized(top, 100, 30), 80, 24)), 1, "not sent to the end")
        let fits = Fixtures.press([.character("o"), .end], from: ViewState(width: 120, height: 40), till: till).0
        XCTAssertEqual(scroll(resized(fits, 80, 24)), end(80, 24), "End where all of it fits is the end too")
    }

    func testATillWithoutAConfigurationSaysSo() {
        for key in ["o", "d", "w"] {
            let (view, intents) = Fixtures.press([.character(Character(key))], till: Fixtures.till())
            XCTAssertNil(view.dialog)
            XCTAssertEqual(intents, [])
            XCTAssertEqual(view.notice?.text, Strings.noSettings, key)
        }
    }

    func testTheSettingsShowEveryKeyTheKeysMaskedAndWhereEachCameFrom() {
        let text = CommissioningPages.settings(F.sheet, width: 116, language: .english, glyphs: .unicode)
            .map { $0.pieces.map(\.text).joined() }
        for key in ["transport", "host", "pos_key", "notify_key", "journal_dir", "currency"] {
            XCTAssertTrue(text.contains { $0.hasPrefix(key + " ") }, key)
        }
        let posKey = text.first { $0.hasPrefix("pos_key ") } ?? ""
        XCTAssertTrue(posKey.contains("…aacd") && posKey.contains("QFECR_KEY"), posKey)
        XCTAssertTrue(text.first { $0.hasPrefix("host ") }?.contains("\(F.configPath):9") == true)
        XCTAssertTrue(text.first { $0.hasPrefix("payment_timeout ") }?.contains("--payment-timeout") == true)
        XCTAssertTrue(text.first { $0.hasPrefix("till_id ") }?.contains("from /etc/machine-id") == true)
        XCTAssertTrue(text.first { $0.hasPrefix("poll_interval ") }?.contains("default") == true)
        XCTAssertTrue(text.contains { $0.contains("journal.jsonl · 47.1 KiB") }, "the journal and its size")
        let all = text.joined()
        XCTAssertFalse(all.contains("f46b1f08bec1f39104792cc79ec9"), "never the key")
        XCTAssertFalse(all.contains("notify-key-for-the-screen"), "never the notification key")
    }

    // MARK: The live doctor

    func testDStartsTheDoctorAndEscAbandonsIt() {
        var till = F.till(doctor: F.running)
        var (view, intents) = Fixtures.press([.character("d")], till: F.till())
        XCTAssertEqual(view.dialog, .commissioning(.doctor(scroll: 0, follows: true)))
        XCTAssertEqual(intents, [.commissioning(.runDoctor)])
        (view, intents) = Fixtures.press([.character("d")], from: view, till: till)
        XCTAssertEqual(intents, [], "not again while it runs")
        (view, intents) = Fixtures.press([.escape], from: view, till: till)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(intents, [.commissioning(.stopDoctor)], "the remaining checks are abandoned")

        till = F.till(doctor: F.finished)
        (view, intents) = Fixtures.press([.character("d")], from: ViewState(), till: F.till())
        (view, intents) = Fixtures.press([.character("d")], from: view, till: till)
        XCTAssertEqual(intents, [.commissioning(.runDoctor)], "d runs it again once it is done")
        (view, intents) = Fixtures.press([.escape], from: view, till: till)
        XCTAssertEqual(intents, [], "nothing to abandon")
    }

    func testTheDoctorWaitsWhileASaleOrARequestRunsSayingWhy() {
        var (view, intents) = Fixtures.press([.character("d")], till: F.till(current: runningSale))
        XCTAssertNil(view.dialog)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.doctorWaitsForSale(runningSale.outTradeNo))
        XCTAssertEqual(view.notice?.role, .error)
        var querying = F.till()
        querying.link = .busy
        (view, intents) = Fixtures.press([.character("d")], till: querying)
        XCTAssertEqual(view.notice?.text, Strings.doctorWaitsForTerminal)
        var finishing = F.running
        finishing.abandoned = true
        (view, intents) = Fixtures.press([.character("d")], till: F.till(doctor: finishing))
        XCTAssertEqual(view.notice?.text, Strings.doctorStillFinishing)
        XCTAssertEqual(intents, [])
    }

    func testANewSaleWaitsForTheDoctorsLastCheckAndKeepsTheAmount() {
        var finishing = F.running
        finishing.abandoned = true
        let till = F.till(doctor: finishing)
        let (view, intents) = Fixtures.press(Fixtures.type("12.50") + [.enter], till: till)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.saleWaitsForDoctor)
        XCTAssertEqual(view.amountText, "12.50")
        XCTAssertEqual(Fixtures.press(Fixtures.type("12.50") + [.enter], till: F.till(doctor: F.finished)).1,
                       [.pay(amount: Amount(cents: 1250), channel: .payme)])
    }

    func testTheDoctorFollowsTheNewestCheckUntilScrolled() {
        var till = F.till(doctor: F.finished)
        var (view, _) = Fixtures.press([.character("d")], till: F.till())
        let lines = CommissioningPages.longest { CommissioningPages.doctor(F.finished, width: 76, language: $0, glyphs: .unicode) }
        XCTAssertGreaterThan(lines, 22, "the finished run is longer than a page at 80×24")
        (view, _) = Fixtures.press([.up], from: view, till: till)
        XCTAssertEqual(view.dialog, .commissioning(.doctor(scroll: lines - 23, follows: false)))
        (view, _) = Fixtures.press([.home], from: view, till: till)
        XCTAssertEqual(view.dialog, .commissioning(.doctor(scroll: 0, follows: false)))
        (view, _) = Fixtures.press([.end], from: view, till: till)
        XCTAssertEqual(view.dialog, .commissioning(.doctor(scroll: lines - 22, follows: true)))
        till = F.till(doctor: F.running)
        XCTAssertEqual(Fixtures.press([.character("x")], from: view, till: till).1, [.quit], "x quits from here too")
    }

    // MARK: Profiles

    func testWListsTheProfilesAndEnterSwitches() {
        let till = F.till()
        var (view, intents) = Fixtures.press([.character("w")], till: till)
        XCTAssertEqual(view.dialog, .commissioning(.profiles(selected: 0)), "on the one in use")
        (view, intents) = Fixtures.press([.down, .down, .down, .up], from: view, till: till)
        XCTAssertEqual(view.dialog, .commissioning(.profiles(selected: 1)))
        (view, intents) = Fixtures.press([.enter], from: view, till: till)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(intents, [.commissioning(.switchProfile("counter2"))])
        XCTAssertEqual(view.notice?.text, Strings.switching(LocalizedText("counter2", "counter2")))
    }

    func testAProfileThatCannotBeUsedOrIsInUseIsNotSwitchedTo() {
        let till = F.till()
        var (view, intents) = Fixtures.press([.character("w"), .enter], till: till)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.alreadyOn(LocalizedText("counter1", "counter1")))
        (view, intents) = Fixtures.press([.character("w"), .down, .down, .enter], till: till)
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.profileUnusable(Strings.profileNoTerminal.english))
        XCTAssertNotNil(view.dialog, "the list stays open to pick another")
    }

    func testSwitchingWaitsForWhatIsOpenAtThisTerminalSayingWhat() {
        var (view, intents) = Fixtures.press([.character("w"), .down, .enter], till: F.till(current: runningSale))
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.switchWaitsForSale(runningSale.outTradeNo))
        (view, intents) = Fixtures.press([.character("w"), .down, .enter], till: F.till(unresolved: [unresolvedSale]))
        XCTAssertEqual(intents, [])
        XCTAssertEqual(view.notice?.text, Strings.switchWaitsForUnresolved(unresolvedSale.outTradeNo))
        (view, intents) = Fixtures.press([.character("w"), .down, .enter], till: F.till(doctor: F.running))
        XCTAssertEqual(view.notice?.text, Strings.switchWaitsForDoctor)
    }

    func testOneProfileIsSaidSo() {
        var till = F.till(profiles: [F.profiles[0]])
        var (view, _) = Fixtures.press([.character("w")], till: till)
        XCTAssertNil(view.dialog)
        XCTAssertEqual(view.notice?.text, Strings.oneProfile(LocalizedText("counter1", "counter1"), F.configPath))
        till.commissioning.profile?.source = .builtIn
        (view, _) = Fixtures.press([.character("w")], till: till)
        XCTAssertEqual(view.notice?.text, Strings.oneProfileDemo)
    }

    func testHelpHasOneLineForTheTechniciansKeys() {
        let row = KeyTable.helpRows.first { $0.keys == "o / d / w" }
        XCTAssertEqual(row?.help.english, "o settings · d doctor · w profile")
        XCTAssertEqual(row?.help.traditionalChinese, "o 設定 · d 診斷 · w 設定組")
        XCTAssertFalse(KeyTable.keyBar.contains { [.settings, .doctor, .profiles].contains($0.action) }, "not in the cashier's key bar")
    }

    // MARK: Screens

    func each(_ name: String, _ till: TillState, view: ViewState, file: StaticString = #filePath, line: UInt = #line) {
        for (width, height) in ScreenTests.sizes {
            for language in Language.allCases {
                assertScreen(Fixtures.model(till, view: view, language: language, width: width, height: height),
                             "\(name)-\(width)x\(height)-\(language.rawValue)", file: file, line: line)
            }
        }
    }

    func testScreens() {
        var view = ViewState()
        view.dialog = .commissioning(.settings(scroll: 0))
        each("settings", F.till(), view: view)
        view.dialog = .commissioning(.doctor(scroll: 0, follows: true))
        each("doctor-running", F.till(doctor: F.running), view: view)
        each("doctor-finished", F.till(doctor: F.finished), view: view)
        view.dialog = .commissioning(.profiles(selected: 1))
        each("profiles", F.till(), view: view)
        assertScreen(Fixtures.model(F.till(unresolved: [unresolvedSale]), view: view), "profiles-blocked-80x24-en")
        assertScreen(Fixtures.model(F.till(unresolved: [unresolvedSale]), view: view, language: .traditionalChinese),
                     "profiles-blocked-80x24-zh-Hant")
        view.dialog = .commissioning(.settings(scroll: 0))
        assertScreen(Fixtures.model(F.till(), view: view, glyphs: .ascii), "settings-80x24-ascii")
        view.dialog = .commissioning(.doctor(scroll: 0, follows: false))
        assertScreen(Fixtures.model(F.till(doctor: F.finished), view: view, glyphs: .ascii), "doctor-finished-80x24-ascii")
    }

    func testALongValueWrapsInItsColumnWhole() {
        for language in Language.allCases {
            let lines = CommissioningPages.settings(F.pinnedSheet, width: 76, language: language, glyphs: .unicode)
                .map { $0.pieces.map(\.text).joined() }
            guard let first = lines.firstIndex(where: { $0.hasPrefix("pin ") }) else { return XCTFail("no pin line") }
            let following = lines[(first + 1)...].prefix { $0.hasPrefix(String(repeating: " ", count: CommissioningPages.keyWidth)) }
            let value = ([lines[first]] + following).map { line in
                line.dropFirst(CommissioningPages.keyWidth).split(separator: " ").first.map(String.init) ?? ""
            }.joined()
            XCTAssertEqual(value, F.longPin, "every character, in order, none cut")
            XCTAssertGreaterThan(following.count, 0, "it took continuation lines")
        }
        var view = ViewState()
        view.dialog = .commissioning(.settings(scroll: 0))
        var till = F.till()
        till.commissioning.profile = F.pinnedSheet
        for language in Language.allCases {
            assertScreen(Fixtures.model(till, view: view, language: language), "settings-long-pin-80x24-\(language.rawValue)")
        }
    }

    func testTheStatusLineNamesTheProfile() {
        let top = ScreenRenderer.render(Fixtures.model(F.till())).dump()[0]
        XCTAssertTrue(top.hasPrefix("┌ counter1 · Till T01 · HTTP 127.0.0.1:9001 ● ready · key …aacd"), top)
    }
}
