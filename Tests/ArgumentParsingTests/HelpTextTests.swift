import XCTest
import ArgumentParsing

/// Help is compared exactly: it is part of what users and scripts see.
final class HelpTextTests: XCTestCase {
    func testRootHelp() throws {
        XCTAssertEqual(try CashierCommands.help(["--help"]), """
            A cashier console for QFPay payment terminals.

            Usage: qfecr [--profile NAME] [--config FILE] [<command>]

            Options:
                  --profile NAME  Terminal profile from the config file.
                  --config FILE   Config file to read instead of the default.
              -h, --help          Show this help.

            Commands:
              pay                 Take a payment on the terminal.
              refund              Refund a payment, fully or in part.
              query               Ask the terminal about one transaction.
              history             List past transactions from the journal.
              summary             Print today's totals.
              decode              Decode captured bodies or packets given in hex.
              encode              Show what would go on the wire.

            Run 'qfecr <command> --help' for the options of a command.

            """)
    }

    func testCommandHelpWithDiscussionWrappedUsageAndNotes() throws {
        XCTAssertEqual(try CashierCommands.help(["pay", "--help"]), """
            Take a payment on the terminal.

            The amount is in dollars with up to two decimals. The attempt is journaled
            before anything is sent, so an interrupted sale is resumed on the next start.

              qfecr pay 12.50 --channel wx

            Usage: qfecr pay AMOUNT --channel CH [--out-trade-no ID] [--payment-timeout S]
                             [--transport KIND] [--tag TEXT ...] [--key KEY] [--json]

            Arguments:
              AMOUNT                   Dollars, e.g. 12.5 or 12.50.

            Options:
              -c, --channel CH         Payment channel: wx, alipay, card.
                  --out-trade-no ID    Merchant order number; generated when absent.
                  --payment-timeout S  Seconds to wait for the customer. (default: 120)
                  --transport KIND     How to reach the terminal. (one of: http, https, tcp,
                                       serial, cloud)
                  --tag TEXT           A note kept in the journal. (repeatable)
              -k, --key KEY            POS-KEY for the simulator and tests.
                  --json               Print one JSON object instead of text.
              -h, --help               Show this help.

            """)
    }

    func testGroupsInUsage() throws {
        XCTAssertEqual(try CashierCommands.help(["query", "-h"]), """
            Ask the terminal about one transaction.

            Usage: qfecr query (--order-id ID | --out-trade-no ID) [--json]

            Options:
                  --order-id ID      The terminal's order id.
                  --out-trade-no ID  The merchant order number.
                  --json             Print one JSON object.
              -h, --help             Show this help.

            """)
        XCTAssertTrue(try CashierCommands.help(["history", "-h"]).contains("Usage: qfecr history [--csv | --json]\n"))
    }

    func testOptionalAndVariadicArguments() throws {
        XCTAssertEqual(try CashierCommands.help(["refund", "--help"]), """
            Refund a payment, fully or in part.

            Usage: qfecr refund SYSSN [REASON] [--amount A] [--json]

            Arguments:
              SYSSN           The system serial number of the payment.
              [REASON]        Why, for the journal.

            Options:
                  --amount A  Refund only this much.
                  --json      Print one JSON object.
              -h, --help      Show this help.

            """)
        XCTAssertTrue(try CashierCommands.help(["decode", "-h"]).contains("Usage: qfecr decode HEX... [--key KEY]\n"))
    }

    func testCommandThatNeedsASubcommand() throws {
        XCTAssertEqual(try CashierCommands.help(["encode", "--help"]), """
            Show what would go on the wire.

            Usage: qfecr encode <command>

            Options:
              -h, --help  Show this help.

            Commands:
              pay         Encode a trade request.
              query       Encode an inquiry.

            Run 'qfecr encode <command> --help' for the options of a command.

            """)
    }

    func testNestedCommandHelp() throws {
        XCTAssertEqual(try CashierCommands.help(["encode", "pay", "-h"]), """
            Encode a trade request.

            Usage: qfecr encode pay AMOUNT --channel CH

            Arguments:
              AMOUNT            Dollars.

            Options:
              -c, --channel CH  Payment channel: wx, alipay, card.
              -h, --help        Show this help.

            """)
    }

    func testHelpAnywhereShowsTheInnermostCommandNamed() throws {
        let payHelp = CashierCommands.root.helpText(for: ["pay"])
        XCTAssertEqual(try CashierCommands.help(["pay", "12", "--help"]), payHelp)
        XCTAssertEqual(try CashierCommands.help(["--help", "pay"]), payHelp)
        XCTAssertEqual(try CashierCommands.help(["-h", "--profile", "x", "pay"]), payHelp)
        XCTAssertEqual(try CashierCommands.help(["encode", "-h", "pay"]), CashierCommands.root.helpText(for: ["encode", "pay"]))
    }

    func testHelpWinsOverOtherProblems() throws {
        let payHelp = CashierCommands.root.helpText(for: ["pay"])
        XCTAssertEqual(try CashierCommands.help(["pay", "--bogus", "-h"]), payHelp)
        XCTAssertEqual(try CashierCommands.help(["pay", "-h"]), payHelp, "missing AMOUNT and --channel do not matter")
        XCTAssertEqual(try CashierCommands.help(["paay", "-h"]), CashierCommands.root.helpText())
        XCTAssertEqual(try CashierCommands.help(["history", "--csv", "--json", "--help"]),
                       CashierCommands.root.helpText(for: ["history"]))
    }

    func testHelpAfterDoubleDashIsAnArgument() throws {
        XCTAssertEqual(try CashierCommands.run(["decode", "--", "-h"]).positionals("HEX"), ["-h"])
    }

    func testHelpAsAnAttachedValueIsAValue() throws {
        XCTAssertEqual(try CashierCommands.run(["pay", "1", "-c", "wx", "--out-trade-no=-h"]).option("out-trade-no"), "-h")
    }

    func testLongLabelsPutTheirDescriptionOnTheNextLine() {
        let command = CommandSpec(
            name: "simulate",
            abstract: "Run the virtual terminal.",
            options: [
                OptionSpec("notification-url", valueName: "URL", help: "Where to post payment notifications."),
                OptionSpec("port", valueName: "N", help: "Port to listen on.", default: "9001"),
            ]
        )
        XCTAssertEqual(command.helpText(), """
            Run the virtual terminal.

            Usage: simulate [--notification-url URL] [--port N]

            Options:
                  --notification-url URL
                            Where to post payment notifications.
                  --port N  Port to listen on. (default: 9001)
              -h, --help    Show this help.

            """)
    }

    func testEveryLineFitsTheWidth() {
        let long = String(repeating: "word ", count: 60)
        let command = CommandSpec(
            name: "doctor",
            abstract: long,
            discussion: long,
            options: (1...12).map { OptionSpec("option-number-\($0)", valueName: "VALUE", help: long) },
            positionals: [PositionalSpec("TARGET", help: long)]
        )
        for width in [80, 60] {
            for line in command.helpText(width: width).split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, width, String(line))
                XCTAssertFalse(line.hasSuffix(" "), String(line))
            }
        }
    }

    func testHelpIsDeterministic() {
        XCTAssertEqual(CashierCommands.root.helpText(for: ["pay"]), CashierCommands.root.helpText(for: ["pay"]))
    }
}
