import XCTest
import ArgumentParsing

final class ExclusiveGroupTests: XCTestCase {
    func testAtMostOneAcceptsNoneOrOne() throws {
        XCTAssertFalse(try CashierCommands.run(["history"]).flag("csv"))
        XCTAssertTrue(try CashierCommands.run(["history", "--csv"]).flag("csv"))
        XCTAssertTrue(try CashierCommands.run(["history", "--json"]).flag("json"))
    }

    func testExactlyOneAcceptsEitherMember() throws {
        XCTAssertEqual(try CashierCommands.run(["query", "--order-id", "O1"]).option("order-id"), "O1")
        XCTAssertEqual(try CashierCommands.run(["query", "--out-trade-no=T1", "--json"]).option("out-trade-no"), "T1")
    }

    func testGroupOfThreeListsEveryMember() {
        let command = CommandSpec(
            name: "lookup", abstract: "",
            options: [
                OptionSpec("a", valueName: "A", help: ""),
                OptionSpec("b", valueName: "B", help: ""),
            ],
            flags: [FlagSpec("c", help: "")],
            exclusiveGroups: [.exactlyOne("a", "b", "c")]
        )
        XCTAssertThrowsError(try command.parse([])) { error in
            XCTAssertEqual((error as? UsageError)?.message,
                           "missing one of '--a A', '--b B' or '--c'; usage: lookup (--a A | --b B | --c)")
        }
        XCTAssertThrowsError(try command.parse(["--c", "--b", "x"])) { error in
            XCTAssertEqual((error as? UsageError)?.message, "'--b' and '--c' cannot be used together; choose one")
        }
    }
}
