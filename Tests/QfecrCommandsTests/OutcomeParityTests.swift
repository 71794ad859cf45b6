import Foundation
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine
@testable import ConsoleUI
@testable import QfecrCommands

/// `qfecr pay` and the console word an outcome from the same value, with the same renderer, in
/// either language: what the cashier reads at the till is what the command line and scripts read.
final class OutcomeParityTests: XCTestCase {
    static let cases: [(AttemptState, OutcomeReason)] = [
        (.declined, .declined(code: "1205")),
        (.rejected, .notSent(failure: .notSent("Connection refused by 127.0.0.1:9001.", kind: .connectionRefused), kind: .payment)),
        (.rejected, .rejectedByTerminal(code: "4003", said: nil, kind: .payment)),
        (.cancelled, .cancelledByCashier(code: "1261")),
        (.declined, .neverCreated),
        (.unresolved, .unresolved(kind: .payment)),
        (.rejected, .refundRefused(.moreThanRefundable(amount: Amount(cents: 900), refundable: Amount(cents: 500), sale: "S1"))),
    ]

    private func attempt(_ state: AttemptState, _ reason: OutcomeReason) -> PaymentAttempt {
        PaymentAttempt(outTradeNo: "T01-20261201-0001", kind: .payment, amount: Amount(cents: 1000), channel: .alipay,
                       createdAt: Date(timeIntervalSince1970: 1_796_135_000), tillID: "T01", paymentTimeout: 60,
                       state: state, reason: reason)
    }

    private func consoleScreen(_ attempt: PaymentAttempt, _ language: Language) -> [String] {
        let snapshot = EngineSnapshot(current: attempt, pending: [], problems: [], log: [], endpoint: "HTTP 127.0.0.1:9001")
        let till = TillState(snapshot: snapshot, attempts: [attempt], facts: TillFacts(tillID: "T01"))
        let model = ScreenModel(till: till, view: ViewState(width: 200, height: 40), now: attempt.createdAt, language: language,
                                timeZone: TimeZone(identifier: "UTC")!)
        return ScreenRenderer.render(model).dump()
    }

    func testPayAndTheConsoleRenderTheSameOutcomeFromTheSameValue() {
        for (state, reason) in Self.cases {
            let attempt = attempt(state, reason)
            XCTAssertEqual(attempt.report["message"], .string(OutcomeText.render(reason, language: .english)), "\(reason)")
            for language in Language.allCases {
                let words = OutcomeText.render(reason, language: language)
                let cli = TransactionOutput.line(for: attempt, language: language)
                XCTAssertTrue(cli.hasSuffix("\n  " + words), "\(language) \(reason): \(cli)")
                // The message line under the panes carries the whole sentence.
                let screen = consoleScreen(attempt, language)
                XCTAssertTrue(screen.contains { $0.contains(words) }, "\(language) \(reason): \(screen.joined(separator: "\n"))")
            }
        }
    }

    func testTheCommandLineStaysEnglishByDefault() {
        let declined = attempt(.declined, .declined(code: "1205"))
        XCTAssertTrue(TransactionOutput.line(for: declined).hasSuffix(
            "\n  declined: refused by the wallet or card issuer — ask for another payment method (1205)"))
    }
}
