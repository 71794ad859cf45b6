import XCTest
import ArgumentParsing

final class AccessorTests: XCTestCase {
    func testRequiredOptionThrowsUsageErrorNamingTheOption() throws {
        let parsed = try CashierCommands.run(["refund", "S1"])
        XCTAssertThrowsError(try parsed.requiredOption("amount")) { error in
            XCTAssertEqual(error as? UsageError,
                           UsageError("missing option '--amount A'; usage: qfecr refund SYSSN [REASON] [options]"))
        }
    }

    func testRequiredOptionFallsBackToDefault() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx"])
        XCTAssertEqual(try parsed.requiredOption("payment-timeout"), "120")
    }

    func testRequiredPositionalThrowsUsageErrorNamingTheArgument() throws {
        let parsed = try CashierCommands.run(["refund", "S1"])
        XCTAssertThrowsError(try parsed.requiredPositional("REASON")) { error in
            XCTAssertEqual((error as? UsageError)?.message,
                           "missing argument REASON; usage: qfecr refund SYSSN [REASON] [options]")
        }
    }

    func testIntConversion() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx", "--payment-timeout", "90"])
        XCTAssertEqual(try parsed.int("payment-timeout"), 90)
        XCTAssertNil(try parsed.int("out-trade-no"))
    }

    func testIntConversionErrorNamesTheOptionAndValue() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx", "--payment-timeout", "1.5"])
        XCTAssertThrowsError(try parsed.int("payment-timeout")) { error in
            XCTAssertEqual((error as? UsageError)?.message,
                           "invalid value '1.5' for '--payment-timeout'; expected a whole number")
        }
    }

    func testDoubleConversion() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx", "--payment-timeout", "2.5"])
        XCTAssertEqual(try parsed.double("payment-timeout"), 2.5)
        XCTAssertEqual(try CashierCommands.run(["pay", "1", "-c", "wx"]).double("payment-timeout"), 120)
    }

    func testDoubleConversionErrorNamesTheOption() throws {
        for text in ["soon", "inf", "nan", ""] {
            let parsed = try CashierCommands.run(["pay", "1", "-c", "wx", "--payment-timeout=\(text)"])
            XCTAssertThrowsError(try parsed.double("payment-timeout")) { error in
                XCTAssertEqual((error as? UsageError)?.message,
                               "invalid value '\(text)' for '--payment-timeout'; expected a number such as 2 or 2.5")
            }
        }
    }

    func testDescriptionListsWhatWasGiven() throws {
        let parsed = try CashierCommands.run(["--profile", "shop", "pay", "--json", "12.50", "-c", "wx", "--tag", "a", "--tag", "b"])
        XCTAssertEqual(parsed.description, "qfecr pay --channel=wx --profile=shop --tag=a --tag=b --json -- 12.50")
        XCTAssertEqual(parsed.debugDescription, "ParsedArguments(\(parsed.description))")
    }
}
