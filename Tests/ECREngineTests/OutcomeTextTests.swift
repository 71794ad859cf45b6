import XCTest
import Foundation
import ECRConfiguration
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// Every outcome value words itself in both languages: never empty, and the Traditional Chinese
/// text has no English left but codes, amounts, ids, field names and brand names.
final class OutcomeTextTests: XCTestCase {
    static let refused = TransportFailure.notSent("Connection refused by 127.0.0.1:9001.", kind: .connectionRefused)
    static let problems: [AnswerProblem] = [
        .failure(TransportFailure.unknown("No answer from 127.0.0.1:9001 within 30 s.", kind: .timeout)),
        .unexpectedCode(code: "7001"), .aboutAnother(mismatches), .inquiryRefused(code: "4003"),
        .saleInquiryRefused(code: "6000"), .noRefundableAmount,
    ]
    static let mismatches: [Mismatch] = [
        .amount(theirs: Amount(cents: 1), ours: Amount(cents: 1000)), .syssn(theirs: "S2", ours: "S1"),
        .outTradeNo(theirs: "T2", ours: "T1"), .refundRecord, .refundOfSale(sale: "S9"), .paymentRecord,
        .refundOfOtherSale(theirs: "S8", ours: "S1"), .saleItself(sale: "S1"),
        .namesNeither(outTradeNo: "T1", sale: "S1", amount: Amount(cents: 500)), .otherSale(theirs: "S3", ours: "S1"),
        .refundRecordNotSale(sale: "S1"), .saleAmount(theirs: Amount(cents: 2), ours: Amount(cents: 200)),
    ]
    static let refundRefusals: [RefundRefusal] = [
        .checkFailed(sale: "S1", failure: refused), .lookupRefused(sale: "S1", code: "4007"), .noDetails(sale: "S1"),
        .answeredOtherSale(sale: "S1", other: "S2"), .noSuchSale(sale: "S1"), .saleNotApproved(sale: "S1", code: "1205"),
        .notASale(sale: "S1", type: "refund"), .channelNotRefundable(channel: .octopus),
        .alreadyDone(sale: "S1", cancel: .refunded), .refundableUnknown(sale: "S1"), .nothingLeft(sale: "S1"),
        .moreThanRefundable(amount: Amount(cents: 900), refundable: Amount(cents: 500), sale: "S1"),
        .cardFullOnly(channel: .cardPayment, full: Amount(cents: 4800)),
        .cardSameDayOnly(channel: .cardPayment, saleDay: "2026-11-20"),
    ]
    static let reasons: [OutcomeReason] = [
        .recorded, .adoptedFromReconcile, .sent(kind: .payment), .sent(kind: .refund), .checkingSale(sale: "S1"),
        .stoppedBeforeSending(kind: .payment), .stoppedBeforeSending(kind: .refund), .resumed, .cancelledBeforeSending,
        .askingAgain, .settledByHand(paid: true, note: ""), .settledByHand(paid: false, note: "商戶後台"),
        .approved(kind: .payment, scheme: "VISA", cancelLost: true), .approved(kind: .refund, scheme: nil, cancelLost: false),
        .declined(code: "1205"), .declined(code: "1999"), .waitingForCustomer, .refundAccepted, .confirmingCancel,
        .rejectedByTerminal(code: "4003", said: nil, kind: .payment),
        .rejectedByTerminal(code: "4006", said: "ECR Cloud 1104", kind: .refund),
        .notSent(failure: refused, kind: .payment), .notSent(failure: refused, kind: .refund),
        .cancelledOnTerminal(code: "1261"), .cancelledByCashier(code: "1261"), .cancelledBeforeCreated, .notFoundYet,
        .cancelPendingCustomer, .inquiryAboutAnother, .refundConfirmed(sale: "S1", refundable: Amount(cents: 300)),
        .refundConfirmed(sale: "S1", refundable: nil), .refundCancelledOnTerminal, .saleUnchanged,
        .saleChangedUnexpectedly(.cannotCheck(refund: Amount(cents: 900), refundable: Amount(cents: 500))),
        .saleChangedUnexpectedly(.refundableWent(from: Amount(cents: 500), to: Amount(cents: 100), expected: Amount(cents: 300))),
        .cancelSent, .cancelNotTaken(code: "4005"), .cancelMayNotHaveArrived(failure: refused), .cancelledNeverCreated,
        .neverCreated, .unresolved(kind: .payment), .unresolved(kind: .refund),
    ] + problems.flatMap { [OutcomeReason.asking($0), .inquiryUnanswered($0), .saleUnanswered($0)] }
      + refundRefusals.map(OutcomeReason.refundRefused)

    static let steps: [StepNote] = [
        .journaledBeforeSending, .paymentSent(amount: Amount(cents: 1000), channel: .alipay), .checkingSale(sale: "S1"),
        .refundSent(amount: Amount(cents: 200), sale: "S1", refundable: Amount(cents: 1000)), .resumed, .cancelRequested,
        .askedAgain, .acceptedPending, .cancelledOnTerminal, .stillProcessing, .deadlinePassed, .outcome(.neverCreated),
    ] + [StepNote.Arrival.answer, .inquiry, .notification, .query].flatMap { via in
        [StepNote.approved(kind: .payment, via: via), .approved(kind: .refund, via: via)]
    } + problems.map(StepNote.outcomeUnknown)

    static let refusals: [EngineRefusal] = [
        .busy(outTradeNo: "T1", state: .unresolved), .busy(outTradeNo: "T1", state: .awaiting), .terminalBusy(.inquiry),
        .invalidRequest(.missingField("out_trade_no")), .invalidRequest(.invalidField(field: "txamt", reason: "must be positive")),
        .outTradeNoAlreadyUsed("T1"), .unknownOutTradeNo("T1"), .nothingToCancel,
        .notUnresolved(outTradeNo: "T1", state: .approved), .journalUnavailable("disk full"), .invalidSetting("grace must not be negative"),
        .otherTerminal(outTradeNo: "T1", terminal: TerminalIdentity(transport: .http, address: "127.0.0.1", port: 9001)),
    ]

    static let failureKinds: [FailureKind] = [
        .connectionRefused, .unreachable, .timeout, .reset, .garbled, .undecryptable, .noDevice, .permissionDenied, .busy,
        .invalidRequest, .refusedByLink, .linkDown, .other,
    ] + TLSFailureKind.allCases.map(FailureKind.tls)

    /// Each case of `OutcomeReason` by number: a new case does not compile until it is listed here,
    /// and the test fails until `reasons` has an example of it.
    private func index(_ reason: OutcomeReason) -> Int {
        switch reason {
        case .legacy: return 0
        case .recorded: return 1
        case .sent: return 2
        case .checkingSale: return 3
        case .stoppedBeforeSending: return 4
        case .resumed: return 5
        case .cancelledBeforeSending: return 6
        case .askingAgain: return 7
        case .settledByHand: return 8
        case .refundRefused: return 9
        case .approved: return 10
        case .declined: return 11
        case .waitingForCustomer: return 12
        case .refundAccepted: return 13
        case .confirmingCancel: return 14
        case .rejectedByTerminal: return 15
        case .notSent: return 16
        case .asking: return 17
        case .cancelledOnTerminal: return 18
        case .cancelledByCashier: return 19
        case .cancelledBeforeCreated: return 20
        case .notFoundYet: return 21
        case .cancelPendingCustomer: return 22
        case .inquiryUnanswered: return 23
        case .inquiryAboutAnother: return 24
        case .refundConfirmed: return 25
        case .refundCancelledOnTerminal: return 26
        case .saleUnchanged: return 27
        case .saleChangedUnexpectedly: return 28
        case .saleUnanswered: return 29
        case .cancelSent: return 30
        case .cancelNotTaken: return 31
        case .cancelMayNotHaveArrived: return 32
        case .cancelledNeverCreated: return 33
        case .neverCreated: return 34
        case .unresolved: return 35
        case .adoptedFromReconcile: return 36
        }
    }

    /// What may stay in Latin letters inside Chinese text.
    private static let allowed = ["POS-KEY", "allow_refund_amt", "out_trade_no", "syssn", "ECR Cloud", "VISA", "PayMe",
                                  "Visa", "Mastercard", "HTTP", "txamt", "T1", "T2", "S1", "S2", "S3", "S8", "S9"]

    private func assertChinese(_ text: String, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertFalse(text.isEmpty, what, file: file, line: line)
        var rest = text
        for token in Self.allowed { rest = rest.replacingOccurrences(of: token, with: "") }
        let latin = rest.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
        XCTAssertTrue(latin.isEmpty, "\(what): English left in \"\(text)\"", file: file, line: line)
    }

    func testEveryReasonCaseHasAnExample() {
        XCTAssertEqual(Set(Self.reasons.map(index)), Set(1...36), "every case but legacy needs an example")
    }

    func testEveryReasonRendersInBothLanguages() {
        for reason in Self.reasons {
            let english = OutcomeText.render(reason, language: .english)
            XCTAssertFalse(english.isEmpty, "\(reason)")
            XCTAssertEqual(reason.text.english, english)
            let chinese = OutcomeText.render(reason, language: .traditionalChinese)
            assertChinese(chinese, "\(reason)")
            XCTAssertNotEqual(chinese, english, "\(reason)")
        }
    }

    func testEveryStepRefusalAndFailureKindRendersInBothLanguages() {
        for step in Self.steps {
            XCTAssertFalse(OutcomeText.render(step, language: .english).isEmpty, "\(step)")
            assertChinese(OutcomeText.render(step, language: .traditionalChinese), "\(step)")
        }
        for refusal in Self.refusals {
            XCTAssertEqual(OutcomeText.render(refusal, language: .english), refusal.description)
            assertChinese(OutcomeText.render(refusal, language: .traditionalChinese), "\(refusal)")
        }
        for kind in Self.failureKinds {
            for failure in [TransportFailure.notSent("Not sent: it failed.", kind: kind), .unknown("It failed.", kind: kind)] {
                XCTAssertEqual(OutcomeText.render(failure, language: .english), failure.message)
                assertChinese(OutcomeText.render(failure, language: .traditionalChinese), "\(failure)")
            }
        }
    }

    /// The codes' own meanings come from StatusCodes, in the language asked for.
    func testCodesAreWordedWithTheirOwnMeanings() {
        XCTAssertEqual(OutcomeText.render(.declined(code: "1205"), language: .english),
                       "declined: refused by the wallet or card issuer — ask for another payment method (1205)")
        XCTAssertEqual(OutcomeText.render(.declined(code: "1205"), language: .traditionalChinese),
                       "交易失敗：錢包或發卡機構拒絕 — 請改用其他付款方式（1205）")
        XCTAssertTrue(OutcomeText.render(.rejectedByTerminal(code: "4003", said: nil, kind: .payment), language: .traditionalChinese)
            .contains(OuterStatus.denied.meaning.traditionalChinese))
        XCTAssertEqual(OutcomeText.render(.declined(code: "1999"), language: .traditionalChinese), "交易失敗（代碼 1999）",
                       "a code without a meaning of its own is named once")
        XCTAssertEqual(OutcomeText.render(.legacy(text: "from an old journal"), language: .traditionalChinese), "from an old journal")
    }

    /// The journal keeps values under stable names, and reads them back the same.
    func testReasonsAndStepsRoundTripThroughTheJournalEncoding() throws {
        let encoder = JournalRecord.encoder()
        let decoder = JournalRecord.decoder()
        for reason in Self.reasons + [.legacy(text: "old")] {
            let data = try encoder.encode(reason)
            XCTAssertEqual(try decoder.decode(OutcomeReason.self, from: data), reason)
        }
        for step in Self.steps + [.text("note")] {
            XCTAssertEqual(try decoder.decode(StepNote.self, from: try encoder.encode(step)), step)
        }
        let declined = String(decoding: try encoder.encode(OutcomeReason.declined(code: "1205")), as: UTF8.self)
        XCTAssertEqual(declined, #"{"declined":{"code":"1205"}}"#)
        let notSent = String(decoding: try encoder.encode(OutcomeReason.notSent(failure: Self.refused, kind: .payment)), as: UTF8.self)
        XCTAssertTrue(notSent.contains(#""kind":{"connectionRefused":{}}"#), notSent)
    }
}
