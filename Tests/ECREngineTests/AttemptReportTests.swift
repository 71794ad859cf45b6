import ECRConfiguration
import XCTest
import ECRProtocol
@testable import ECREngine

final class AttemptReportTests: XCTestCase {
    func testScriptsSeeSixStates() {
        let expected: [AttemptState: ReportedState] = [
            .created: .unknown, .sending: .unknown, .awaiting: .unknown, .cancelling: .unknown, .unknown: .unknown,
            .approved: .approved, .declined: .declined, .cancelled: .cancelled, .rejected: .rejected, .unresolved: .unresolved,
        ]
        for state in AttemptState.allCases {
            XCTAssertEqual(state.reported, expected[state], "\(state)")
        }
        XCTAssertEqual(AttemptState.allCases.filter(\.isFinal), [.approved, .declined, .cancelled, .rejected])
        XCTAssertFalse(AttemptState.unresolved.isActive)
        XCTAssertEqual(ReportedState.allCases.map(\.exitCode), [0, 1, 1, 1, 3, 3])
    }

    func testEveryStateHasItsOwnGlyphAndWord() {
        XCTAssertEqual(Set(AttemptState.allCases.map(\.glyph)).count, AttemptState.allCases.count)
        XCTAssertEqual(Set(AttemptState.allCases.map(\.word.english)).count, AttemptState.allCases.count)
        XCTAssertEqual(Set(AttemptState.allCases.map(\.word.traditionalChinese)).count, AttemptState.allCases.count)
    }

    func testTheJSONReportCarriesWhatScriptsNeed() {
        var attempt = PaymentAttempt(outTradeNo: "T01-20261121063200-0001", kind: .payment, amount: Amount(cents: 1250),
                                     channel: .cardPayment, createdAt: Date(), tillID: "T01", paymentTimeout: 60)
        attempt.state = .cancelling
        attempt.reason = .legacy(text: "cancel sent")
        let pending = JSONValue.object(attempt.report).serialized()
        XCTAssertEqual(pending, #"{"state":"unknown","out_trade_no":"T01-20261121063200-0001","syssn":null,"amount":"12.50","channel":"card_payment","respcd":null,"message":"cancel sent","kind":"payment"}"#)
        attempt.state = .declined
        attempt.respcd = "1136"
        attempt.syssn = "S1"
        let report = attempt.report
        XCTAssertEqual(report["state"], .string("declined"))
        XCTAssertEqual(report["respcd"], .string("1136"))
        XCTAssertEqual(report["syssn"], .string("S1"))
    }
}

final class EngineSettingsTests: XCTestCase {
    func testDefaultsAreThoseOfTheDesign() throws {
        let settings = EngineSettings()
        XCTAssertEqual(settings.pollInterval, .seconds(2))
        XCTAssertEqual(settings.grace, .seconds(30))
        XCTAssertEqual(settings.paymentTimeout, 120)
        XCTAssertEqual(settings.tillID, "T01")
        XCTAssertNoThrow(try settings.validate())
    }

    func testSettingsComeFromTheProfile() {
        var profile = TerminalProfile()
        profile.tillId = "T07"
        profile.pollInterval = 1.5
        profile.grace = 45
        profile.paymentTimeout = 90
        profile.logSize = 50
        let settings = EngineSettings(profile: profile, timeZone: TimeZone(identifier: "Asia/Hong_Kong")!)
        XCTAssertEqual(settings.tillID, "T07")
        XCTAssertEqual(settings.pollInterval, .milliseconds(1500))
        XCTAssertEqual(settings.grace, .seconds(45))
        XCTAssertEqual(settings.paymentTimeout, 90)
        XCTAssertEqual(settings.logCapacity, 50, "the wire log's size is a setting")
    }

    func testBadSettingsAreRefused() {
        XCTAssertThrowsError(try EngineSettings(tillID: "till one").validate())
        XCTAssertThrowsError(try EngineSettings(pollInterval: .zero).validate())
        XCTAssertThrowsError(try EngineSettings(grace: .seconds(-1)).validate())
        XCTAssertThrowsError(try EngineSettings(paymentTimeout: 0).validate())
    }
}
