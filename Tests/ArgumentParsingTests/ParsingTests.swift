import XCTest
import ArgumentParsing

final class ParsingTests: XCTestCase {
    func testOptionValueAsSeparateArgument() throws {
        let parsed = try CashierCommands.run(["pay", "12.50", "--channel", "wx"])
        XCTAssertEqual(parsed.commandPath, ["pay"])
        XCTAssertEqual(parsed.option("channel"), "wx")
        XCTAssertEqual(try parsed.requiredPositional("AMOUNT"), "12.50")
        XCTAssertEqual(parsed.positionals, ["12.50"])
    }

    func testOptionValueAttachedWithEquals() throws {
        let parsed = try CashierCommands.run(["pay", "12.50", "--channel=wx", "--out-trade-no=T01=42"])
        XCTAssertEqual(parsed.option("channel"), "wx")
        XCTAssertEqual(parsed.option("out-trade-no"), "T01=42", "only the first '=' separates name and value")
    }

    func testAttachedValueMayBeEmptyOrStartWithADash() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx", "--out-trade-no=-x", "--tag="])
        XCTAssertEqual(parsed.option("out-trade-no"), "-x")
        XCTAssertEqual(parsed.values("tag"), [""])
    }

    func testShortAliasAndOptionsInAnyOrder() throws {
        let parsed = try CashierCommands.run(["pay", "-c", "alipay", "--json", "7"])
        XCTAssertEqual(parsed.option("channel"), "alipay")
        XCTAssertTrue(parsed.flag("json"))
        XCTAssertEqual(parsed.positional("AMOUNT"), "7")
    }

    func testAbsentFlagAndOptionalOption() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx"])
        XCTAssertFalse(parsed.flag("json"))
        XCTAssertNil(parsed.option("out-trade-no"))
        XCTAssertFalse(parsed.isGiven("out-trade-no"))
        XCTAssertEqual(parsed.values("tag"), [])
    }

    func testDefaultValueIsReturnedButNotCountedAsGiven() throws {
        let absent = try CashierCommands.run(["pay", "1", "-c", "wx"])
        XCTAssertEqual(absent.option("payment-timeout"), "120")
        XCTAssertEqual(absent.values("payment-timeout"), ["120"])
        XCTAssertFalse(absent.isGiven("payment-timeout"))

        let given = try CashierCommands.run(["pay", "1", "-c", "wx", "--payment-timeout", "90"])
        XCTAssertEqual(given.option("payment-timeout"), "90")
        XCTAssertTrue(given.isGiven("payment-timeout"))
    }

    func testRepeatableOptionKeepsEveryValueInOrder() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx", "--tag", "a", "--tag=b", "--tag", "c"])
        XCTAssertEqual(parsed.values("tag"), ["a", "b", "c"])
        XCTAssertEqual(parsed.option("tag"), "c")
    }

    func testAllowedValueIsAccepted() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx", "--transport", "https"])
        XCTAssertEqual(parsed.option("transport"), "https")
    }

    func testDoubleDashEndsOptions() throws {
        let parsed = try CashierCommands.run(["decode", "--", "--json", "-h", "--key=x", "--"])
        XCTAssertEqual(parsed.positionals("HEX"), ["--json", "-h", "--key=x", "--"])
        XCTAssertNil(parsed.option("key"))
    }

    func testOptionsStillWorkBeforeDoubleDash() throws {
        let parsed = try CashierCommands.run(["decode", "--key", "k", "--", "-0a"])
        XCTAssertEqual(parsed.option("key"), "k")
        XCTAssertEqual(parsed.positionals("HEX"), ["-0a"])
    }

    func testNegativeNumberAndLoneDashAreArguments() throws {
        XCTAssertEqual(try CashierCommands.run(["pay", "-5", "-c", "wx"]).positional("AMOUNT"), "-5")
        XCTAssertEqual(try CashierCommands.run(["pay", "-.5", "-c", "wx"]).positional("AMOUNT"), "-.5")
        XCTAssertEqual(try CashierCommands.run(["decode", "-"]).positionals("HEX"), ["-"])
        XCTAssertEqual(try CashierCommands.run(["pay", "1", "--payment-timeout", "-1", "-c", "wx"])
            .option("payment-timeout"), "-1")
    }

    func testVariadicPositionalTakesEveryRemainingArgument() throws {
        let parsed = try CashierCommands.run(["decode", "0a", "0b", "0c"])
        XCTAssertEqual(parsed.positionals("HEX"), ["0a", "0b", "0c"])
        XCTAssertEqual(parsed.positional("HEX"), "0a")
    }

    func testOptionalPositional() throws {
        let without = try CashierCommands.run(["refund", "2025112100001"])
        XCTAssertEqual(without.positional("SYSSN"), "2025112100001")
        XCTAssertNil(without.positional("REASON"))

        let with = try CashierCommands.run(["refund", "2025112100001", "wrong item", "--amount", "1.00"])
        XCTAssertEqual(with.positional("REASON"), "wrong item")
        XCTAssertEqual(with.option("amount"), "1.00")
    }

    func testNoArgumentsRunsTheRoot() throws {
        let parsed = try CashierCommands.run([])
        XCTAssertEqual(parsed.commandPath, [])
        XCTAssertNil(parsed.option("profile"))
    }

    func testParentOptionsComeBeforeTheSubcommand() throws {
        let parsed = try CashierCommands.run(["--profile", "shop", "--config=/etc/qfecr", "pay", "1", "-c", "wx"])
        XCTAssertEqual(parsed.commandPath, ["pay"])
        XCTAssertEqual(parsed.option("profile"), "shop")
        XCTAssertEqual(parsed.option("config"), "/etc/qfecr")
    }

    func testNestedSubcommands() throws {
        let parsed = try CashierCommands.run(["encode", "pay", "3.20", "--channel", "card"])
        XCTAssertEqual(parsed.commandPath, ["encode", "pay"])
        XCTAssertEqual(parsed.option("channel"), "card")
        XCTAssertEqual(parsed.positional("AMOUNT"), "3.20")

        XCTAssertEqual(try CashierCommands.run(["encode", "query", "X1"]).commandPath, ["encode", "query"])
    }

    func testSubcommandNameAfterItsCommandIsAnArgument() throws {
        // `pay` takes positionals, so a later word is the amount, never a command.
        let parsed = try CashierCommands.run(["pay", "query", "-c", "wx"])
        XCTAssertEqual(parsed.commandPath, ["pay"])
        XCTAssertEqual(parsed.positional("AMOUNT"), "query")
    }

    func testParsingAcceptsAnyCollectionSuchAsDroppedProgramName() throws {
        let argv = ["/usr/bin/qfecr", "summary"]
        guard case .run(let parsed) = try CashierCommands.root.parse(argv.dropFirst()) else {
            return XCTFail("expected a command to run")
        }
        XCTAssertEqual(parsed.commandPath, ["summary"])
    }
}
