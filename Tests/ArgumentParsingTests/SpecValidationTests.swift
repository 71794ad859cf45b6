import XCTest
import ArgumentParsing

final class SpecValidationTests: XCTestCase {
    func testTheCashierTreeIsSound() {
        XCTAssertEqual(CashierCommands.root.specProblems(), [])
    }

    func testNameClashesAndReservedHelp() {
        let command = CommandSpec(
            name: "t", abstract: "",
            options: [
                OptionSpec("help", valueName: "X", help: ""),
                OptionSpec("json", short: "h", valueName: "X", help: ""),
                OptionSpec("Bad_Name", short: "1", valueName: "X", help: ""),
            ],
            flags: [FlagSpec("json", help: "")]
        )
        XCTAssertEqual(command.specProblems(), [
            "t: '--help' is declared twice or is reserved",
            "t: '-h' is declared twice or is reserved",
            "t: 'Bad_Name' is not a valid option name",
            "t: '-1' must be an ASCII letter",
            "t: '--json' is declared twice or is reserved",
        ])
    }

    func testPositionalOrder() {
        let command = CommandSpec(
            name: "t", abstract: "",
            positionals: [
                PositionalSpec("A", help: "", variadic: true),
                PositionalSpec("B", help: "", optional: true),
                PositionalSpec("C", help: ""),
            ]
        )
        XCTAssertEqual(command.specProblems(), [
            "t: only the last positional may be variadic ('A')",
            "t: optional positional 'B' comes before a required one",
        ])
    }

    func testGroupsAndSubcommands() {
        let child = CommandSpec(name: "c", abstract: "", requiresSubcommand: true)
        let command = CommandSpec(
            name: "t", abstract: "",
            options: [OptionSpec("a", valueName: "A", help: "", required: true)],
            positionals: [PositionalSpec("P", help: "")],
            exclusiveGroups: [.exactlyOne("a", "missing"), ExclusiveGroup(["a"])],
            subcommands: [child, child]
        )
        XCTAssertEqual(command.specProblems(), [
            "t: a command takes subcommands or positionals, not both",
            "t: '--a' is in an exclusive group and may not also be required",
            "t: exclusive group member '--missing' is not declared",
            "t: an exclusive group needs at least two members",
            "t: '--a' is in an exclusive group and may not also be required",
            "t: an option belongs to more than one exclusive group",
            "t: subcommand names must be unique",
            "t c: requires a subcommand but declares none",
            "t c: requires a subcommand but declares none",
        ])
    }

    func testDefaultOutsideAllowedValues() {
        let command = CommandSpec(
            name: "t", abstract: "",
            options: [OptionSpec("transport", valueName: "T", help: "", default: "usb", allowedValues: ["http"])]
        )
        XCTAssertEqual(command.specProblems(), ["t: default of '--transport' is not one of its allowed values"])
    }
}
