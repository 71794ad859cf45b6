import ECRProtocol
import XCTest
@testable import ECRSimulator

final class ScenarioTests: XCTestCase {
    func testSequenceRulesRepeatAndComments() throws {
        let text = """
        # demo script
        approve
        decline 1201      # insufficient balance
        slow x2

        12.34 -> never-pay
        *.99  -> garbled
        repeat
        """
        let scenario = try Scenario.parse(text, file: "demo.txt")
        XCTAssertEqual(scenario.sequence, [.approve, .decline(code: "1201"), .slowApproval, .slowApproval])
        XCTAssertTrue(scenario.repeats)
        let hundred = Amount(cents: 10000)
        XCTAssertEqual(scenario.outcome(for: hundred, position: 0), .approve)
        XCTAssertEqual(scenario.outcome(for: hundred, position: 1), .decline(code: "1201"))
        XCTAssertEqual(scenario.outcome(for: hundred, position: 3), .slowApproval)
        XCTAssertEqual(scenario.outcome(for: hundred, position: 4), .approve, "repeats")
        XCTAssertEqual(scenario.outcome(for: Amount(cents: 1234), position: 0), .neverPays, "exact rule first")
        XCTAssertEqual(scenario.outcome(for: Amount(cents: 599), position: 0), .garbledAnswer, "cents rule")
    }

    func testWithoutRepeatTheCentsTableTakesOver() throws {
        let scenario = try Scenario.parse("drop\n", file: "s")
        XCTAssertEqual(scenario.outcome(for: Amount(cents: 100), position: 0), .dropConnection)
        XCTAssertEqual(scenario.outcome(for: Amount(cents: 151), position: 1), .decline(code: "1205"))
        XCTAssertEqual(scenario.outcome(for: Amount(cents: 100), position: 1), .approve)
    }

    func testEveryOutcomeNameParses() throws {
        let scenario = try Scenario.parse("approve\ndecline\ncancel\nnever-pay\ndrop\nslow\ngarbled\nack\ncut\nforeign\nlate\n")
        XCTAssertEqual(scenario.sequence, [.approve, .decline(code: "1205"), .customerCancels, .neverPays, .dropConnection,
                                           .slowApproval, .garbledAnswer, .acknowledgeOnly, .answerCutShort, .answerForAnotherSale,
                                           .answerAfterTheDeadline])
        XCTAssertEqual(scenario.sequence.map(\.scenarioName), ["approve", "decline", "cancel", "never-pay", "drop", "slow", "garbled", "ack",
                                                                "cut", "foreign", "late"])
        for (cents, outcome) in [(58, Outcome.answerCutShort), (59, .answerForAnotherSale), (61, .answerAfterTheDeadline)] {
            XCTAssertEqual(Outcome.forAmount(Amount(cents: Int64(1_000 + cents))), outcome)
        }
    }

    func testErrorsNameFileAndLine() {
        let cases: [(String, Int, String)] = [
            ("approve\naprove\n", 2, "unknown outcome 'aprove'"),
            ("decline 12\n", 1, "not a status code"),
            ("decline 0000\n", 1, "does not mean declined"),
            ("decline 1143\n", 1, "does not mean declined"),
            ("\n\n12.345 -> drop\n", 3, "more than 2 decimals"),
            ("*.5 -> drop\n", 1, "not a cents pattern"),
            ("1.00 ->\n", 1, "names no outcome"),
            ("-> drop\n", 1, "needs an amount"),
            ("slow x0\n", 1, "not a repeat count"),
            ("ack now\n", 1, "takes no argument"),
            ("1.00 -> drop\n1.00 -> slow\n", 2, "already has a rule on line 1"),
        ]
        for (text, line, fragment) in cases {
            XCTAssertThrowsError(try Scenario.parse(text, file: "bad.txt"), text) { error in
                guard let e = error as? ScenarioError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.line, line, text)
                XCTAssertTrue(e.description.hasPrefix("bad.txt:\(line): "), e.description)
                XCTAssertTrue(e.description.contains(fragment), e.description)
            }
        }
        XCTAssertThrowsError(try Scenario.parse("repeat\n", file: "r.txt")) { error in
            XCTAssertTrue((error as? ScenarioError)?.description.contains("needs at least one") ?? false)
        }
    }

    func testLoadReportsMissingFile() {
        XCTAssertThrowsError(try Scenario.load(path: "/nonexistent/scenario.txt")) { error in
            XCTAssertTrue((error as? ScenarioError)?.description.hasPrefix("/nonexistent/scenario.txt: ") ?? false)
        }
    }

    func testTerminalFollowsTheScenarioAcrossTrades() throws {
        let scenario = try Scenario.parse("decline 1201\ncancel\n")
        var terminal = makeTerminal(scenario: scenario)
        XCTAssertEqual(terminal.answer(pay(100, .wechat, "S1")).response.data?.status?.code, "1201")
        XCTAssertEqual(terminal.answer(pay(100, .wechat, "S2")).response.outer, .cancelledOnTerminal)
        XCTAssertEqual(terminal.answer(pay(100, .wechat, "S3")).response.data?.status, .success)
        // A trade refused before it starts (duplicate) does not use up a scripted outcome.
        XCTAssertEqual(terminal.state.tradesStarted, 3)
        _ = terminal.answer(pay(100, .wechat, "S3"))
        XCTAssertEqual(terminal.state.tradesStarted, 3)
    }
}
