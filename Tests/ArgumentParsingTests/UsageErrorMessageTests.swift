import XCTest
import ArgumentParsing

/// Every refusal, with its exact wording: what is wrong, then how to fix it.
final class UsageErrorMessageTests: XCTestCase {
    private func message(_ arguments: [String]) -> String {
        CashierCommands.usageMessage(arguments)
    }

    func testUnknownOptionSuggestsTheClosestName() {
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--chanel", "x"]),
                       "unknown option '--chanel' for 'qfecr pay'; did you mean '--channel'?")
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--jsno"]),
                       "unknown option '--jsno' for 'qfecr pay'; did you mean '--json'?")
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--payment-timout=5"]),
                       "unknown option '--payment-timout' for 'qfecr pay'; did you mean '--payment-timeout'?")
    }

    func testUnknownOptionWithoutACloseName() {
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--verbose"]),
                       "unknown option '--verbose' for 'qfecr pay'; run 'qfecr pay --help' to see its options")
        XCTAssertEqual(message(["summary", "-x"]),
                       "unknown option '-x' for 'qfecr summary'; run 'qfecr summary --help' to see its options")
    }

    func testSingleDashLongNameSuggestsTheDoubleDash() {
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "-json"]),
                       "unknown option '-json' for 'qfecr pay'; did you mean '--json'?")
    }

    func testShortOptionWithAttachedValue() {
        XCTAssertEqual(message(["pay", "1", "-cwx"]),
                       "option '-c' takes its value as a separate argument: -c CH")
    }

    func testParentOptionAfterTheSubcommandIsUnknownThere() {
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--profile", "shop"]),
                       "unknown option '--profile' for 'qfecr pay'; run 'qfecr pay --help' to see its options")
    }

    func testMissingValue() {
        XCTAssertEqual(message(["pay", "1", "--channel"]), "option '--channel' needs a value: --channel CH")
        XCTAssertEqual(message(["pay", "1", "-c"]), "option '--channel' needs a value: --channel CH")
    }

    func testAValueStartingWithADashIsNotTaken() {
        XCTAssertEqual(message(["pay", "1", "--channel", "--json"]), "option '--channel' needs a value: --channel CH")
    }

    func testFlagGivenAValue() {
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--json=yes"]),
                       "option '--json' takes no value; write '--json' alone")
    }

    func testHelpGivenAValue() {
        XCTAssertEqual(message(["pay", "--help=all"]), "option '--help' takes no value; write '--help' alone")
    }

    func testUnexpectedArgument() {
        XCTAssertEqual(message(["summary", "today"]),
                       "unexpected argument 'today'; 'qfecr summary' takes no arguments")
        XCTAssertEqual(message(["pay", "1", "2", "-c", "wx"]),
                       "unexpected argument '2'; 'qfecr pay' takes only AMOUNT")
        XCTAssertEqual(message(["refund", "S1", "why", "extra"]),
                       "unexpected argument 'extra'; 'qfecr refund' takes only SYSSN [REASON]")
        XCTAssertEqual(message(["summary", "--", "-x"]),
                       "unexpected argument '-x'; 'qfecr summary' takes no arguments")
    }

    func testUnknownCommandSuggestsAndListsTheValidOnes() {
        XCTAssertEqual(message(["paay", "1"]),
                       "unknown command 'paay' for 'qfecr'; did you mean 'pay'? Valid commands: pay, refund, query, history, summary, decode, encode")
        XCTAssertEqual(message(["encode", "qeury"]),
                       "unknown command 'qeury' for 'qfecr encode'; did you mean 'query'? Valid commands: pay, query")
    }

    func testUnknownCommandWithoutACloseName() {
        XCTAssertEqual(message(["12.50"]),
                       "unknown command '12.50' for 'qfecr'; valid commands: pay, refund, query, history, summary, decode, encode")
    }

    func testMissingSubcommand() {
        XCTAssertEqual(message(["encode"]), "'qfecr encode' needs a command; valid commands: pay, query")
    }

    func testMissingArgument() {
        XCTAssertEqual(message(["pay", "-c", "wx"]),
                       "missing argument AMOUNT; usage: qfecr pay AMOUNT --channel CH [options]")
        XCTAssertEqual(message(["decode"]), "missing argument HEX; usage: qfecr decode HEX... [options]")
        XCTAssertEqual(message(["encode", "pay", "-c", "wx"]),
                       "missing argument AMOUNT; usage: qfecr encode pay AMOUNT --channel CH")
    }

    func testMissingRequiredOption() {
        XCTAssertEqual(message(["pay", "1"]),
                       "missing option '--channel CH'; usage: qfecr pay AMOUNT --channel CH [options]")
    }

    func testOptionGivenTwice() {
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--channel=alipay"]),
                       "option '--channel' was given more than once; give it once")
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--json", "--json"]),
                       "option '--json' was given more than once; give it once")
    }

    func testValueOutsideTheAllowedOnes() {
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--transport", "htps"]),
                       "invalid value 'htps' for '--transport'; did you mean 'https'? Valid values: http, https, tcp, serial, cloud")
        XCTAssertEqual(message(["pay", "1", "-c", "wx", "--transport=usb"]),
                       "invalid value 'usb' for '--transport'; valid values: http, https, tcp, serial, cloud")
    }

    func testConflictingOptions() {
        XCTAssertEqual(message(["history", "--json", "--csv"]),
                       "'--csv' and '--json' cannot be used together; choose one")
        XCTAssertEqual(message(["query", "--order-id", "1", "--out-trade-no", "2"]),
                       "'--order-id' and '--out-trade-no' cannot be used together; choose one")
    }

    func testMissingOneOfARequiredGroup() {
        XCTAssertEqual(message(["query", "--json"]),
                       "missing one of '--order-id ID' or '--out-trade-no ID'; usage: qfecr query (--order-id ID | --out-trade-no ID) [options]")
    }

    func testProblemsAreReportedInAFixedOrder() {
        // Conflicts first, then arguments, then options: each message stands on its own.
        XCTAssertEqual(message(["pay", "--json"]),
                       "missing argument AMOUNT; usage: qfecr pay AMOUNT --channel CH [options]")
        XCTAssertEqual(message(["pay", "1", "2"]), "unexpected argument '2'; 'qfecr pay' takes only AMOUNT")
    }

    func testEveryMessageIsOneLine() {
        let cases: [[String]] = [
            ["paay"], ["pay"], ["pay", "1"], ["pay", "1", "-c"], ["query"], ["history", "--csv", "--json"],
            ["summary", "x"], ["encode"], ["pay", "1", "-c", "wx", "--nope"],
        ]
        for arguments in cases {
            XCTAssertFalse(message(arguments).contains("\n"), "\(arguments)")
            XCTAssertFalse(message(arguments).hasPrefix("no error"), "\(arguments)")
        }
    }
}
