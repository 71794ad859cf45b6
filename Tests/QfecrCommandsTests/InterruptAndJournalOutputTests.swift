import Foundation
import XCTest
import ECREngine
import ECRProtocol
@testable import QfecrCommands

/// Issue 7 items 10, 11 and 14 as the command line shows them.
final class InterruptDecisionTests: XCTestCase {
    func testTheFirstCtrlCCancelsAndKeepsWaiting() {
        XCTAssertEqual(InterruptDecision.decide(signal: SIGINT, earlierInterrupts: 0, canCancel: true), .cancelAndKeepWaiting)
    }

    func testASecondCtrlCStopsWaiting() {
        XCTAssertEqual(InterruptDecision.decide(signal: SIGINT, earlierInterrupts: 1, canCancel: true), .stopWaiting)
    }

    func testTermAndHangupStopWaitingAtOnce() {
        for number in [SIGTERM, SIGHUP] {
            XCTAssertEqual(InterruptDecision.decide(signal: number, earlierInterrupts: 0, canCancel: true), .stopWaiting, "\(number)")
        }
    }

    func testCtrlCStopsWaitingWhenThereIsNothingToCancel() {
        XCTAssertEqual(InterruptDecision.decide(signal: SIGINT, earlierInterrupts: 0, canCancel: false), .stopWaiting)
    }

    func testSignalsAreNamedForTheCashier() {
        XCTAssertEqual(InterruptDecision.name(of: SIGINT), "Ctrl-C")
        XCTAssertEqual(InterruptDecision.name(of: SIGTERM), "SIGTERM")
        XCTAssertEqual(InterruptDecision.name(of: SIGHUP), "SIGHUP")
    }
}

final class JournalNotesOutputTests: XCTestCase {
    private func approved() -> PaymentAttempt {
        var attempt = PaymentAttempt(outTradeNo: "T01-20261121063200-0001", kind: .payment, amount: Amount(cents: 1250),
                                     channel: .wechat, createdAt: Date(), tillID: "T01", paymentTimeout: 60)
        attempt.state = .approved
        attempt.reason = .legacy(text: "approved")
        return attempt
    }

    func testAResultThatCouldNotBeRecordedIsShownAndExitsThree() throws {
        let captured = CapturedOutput()
        var notes = JournalNotes()
        notes.problems = ["journal: could not record T01-20261121063200-0001 as approved: No space left on device"]
        notes.writeFailures = notes.problems
        notes.unrecorded = "T01-20261121063200-0001"
        let code = TransactionOutput.print(approved(), json: true, io: captured.io(), journal: notes)
        XCTAssertEqual(code, .unresolved, "3: the till's record disagrees with what happened")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(captured.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["state"] as? String, "approved", "the terminal's word is reported")
        XCTAssertEqual(object["recorded"] as? Bool, false)
        XCTAssertEqual(object["journal_problems"] as? [String], notes.problems)
        XCTAssertTrue(captured.stderr.contains("No space left on device"), captured.stderr)
        XCTAssertTrue(captured.stderr.contains("NOT RECORDED"), captured.stderr)
    }

    func testProblemsWithoutALostResultKeepTheExitCode() throws {
        let captured = CapturedOutput()
        var notes = JournalNotes()
        notes.problems = ["journal line 7: incomplete last line (12 bytes); skipped"]
        let code = TransactionOutput.print(approved(), json: true, io: captured.io(), journal: notes)
        XCTAssertEqual(code, .ok)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(captured.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["journal_problems"] as? [String], notes.problems)
        XCTAssertNil(object["recorded"])
    }

    func testAResultWithACleanJournalHasNoJournalFields() throws {
        let captured = CapturedOutput()
        _ = TransactionOutput.print(approved(), json: true, io: captured.io())
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(captured.stdout.utf8)) as? [String: Any])
        XCTAssertNil(object["journal_problems"])
        XCTAssertNil(object["recorded"])
    }

    /// Issue 7 item 11: a refusal is on stdout too, not only on stderr.
    func testARefusalIsOnStdoutInPlainMode() {
        let captured = CapturedOutput()
        let refusal = EngineRefusal.busy(outTradeNo: "T01-20261121063200-0001", state: .unresolved)
        let code = TransactionOutput.printRefusal(refusal.description, code: TransactionOutput.exitCode(for: refusal), json: false,
                                                  io: captured.io())
        XCTAssertEqual(code, .unresolved)
        XCTAssertTrue(captured.stdout.contains("not started: T01-20261121063200-0001 is unresolved"), captured.stdout)
    }

    func testTheStateIsNotRepeatedWhenTheMessageStartsWithIt() {
        var attempt = approved()
        attempt.state = .unresolved
        attempt.reason = .legacy(text: "UNRESOLVED: no final answer by the deadline.")
        XCTAssertEqual(TerminalSession.stateAndMessage(attempt), "UNRESOLVED: no final answer by the deadline.")
        attempt.state = .declined
        attempt.reason = .legacy(text: "the customer's bank said no")
        XCTAssertEqual(TerminalSession.stateAndMessage(attempt), "declined — the customer's bank said no")
        XCTAssertTrue(TerminalSession.howToSettle(attempt).contains("`qfecr query --out-trade-no \(attempt.outTradeNo)`"))
        XCTAssertTrue(TerminalSession.howToSettle(attempt).contains("`qfecr cancel`"))
    }
}
