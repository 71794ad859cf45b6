import XCTest
import ArgumentParsing

/// A secret's value must never come back out: not in errors, help or descriptions.
final class SecretOptionTests: XCTestCase {
    private let secret = "S3cr3tPosKey0123456789abcdefAACD"

    func testNoUsageErrorRepeatsTheSecret() {
        let cases: [[String]] = [
            ["pay", "1", "-c", "wx", "--key", secret, "--key", secret],
            ["pay", "1", "-c", "wx", "--key=\(secret)", "--key=\(secret)"],
            ["pay", "1", "-c", "wx", "-k", secret, "-k", secret],
            ["pay", "1", "-c", "wx", "--kye=\(secret)"],
            ["pay", "1", "-c", "wx", "--KEY=\(secret)"],
            ["pay", "1", "-c", "wx", "-k\(secret)"],
            ["pay", "1", "-c", "wx", "-key=\(secret)"],
            ["pay", "1", "-c", "wx", "--key", "-\(secret)"],
            ["pay", "1", "--key", secret],
            ["pay", "--key", secret, "-c", "wx"],
            ["summary", "--key=\(secret)"],
            ["summary", "--key", secret],
            ["--key=\(secret)", "pay"],
            ["decode", "--key=\(secret)", "--key=\(secret)"],
        ]
        for arguments in cases {
            let message = CashierCommands.usageMessage(arguments)
            XCTAssertFalse(message.hasPrefix("no error"), "\(arguments.count) arguments: \(message)")
            XCTAssertFalse(message.contains(secret), message)
            XCTAssertFalse(message.contains(String(secret.dropFirst())), message)
        }
    }

    func testSecretIsNamedInErrors() {
        XCTAssertEqual(CashierCommands.usageMessage(["pay", "1", "-c", "wx", "--key", secret, "--key", secret]),
                       "option '--key' was given more than once; give it once")
        XCTAssertEqual(CashierCommands.usageMessage(["pay", "1", "-c", "wx", "-k\(secret)"]),
                       "option '-k' takes its value as a separate argument: -k KEY")
        XCTAssertEqual(CashierCommands.usageMessage(["pay", "1", "-c", "wx", "--kye=\(secret)"]),
                       "unknown option '--kye' for 'qfecr pay'; did you mean '--key'?")
    }

    func testSecretWithAllowedValuesOrConversionIsNotRepeated() throws {
        let command = CommandSpec(
            name: "t", abstract: "",
            options: [
                OptionSpec("pin", valueName: "PIN", help: "", secret: true, allowedValues: ["1111", "2222"]),
                OptionSpec("code", valueName: "N", help: "", secret: true),
            ]
        )
        XCTAssertThrowsError(try command.parse(["--pin", "1112"])) { error in
            XCTAssertEqual((error as? UsageError)?.message, "invalid value for '--pin'; valid values: 1111, 2222")
        }
        guard case .run(let parsed) = try command.parse(["--code", "x\(secret)"]) else { return XCTFail() }
        XCTAssertThrowsError(try parsed.int("code")) { error in
            XCTAssertEqual((error as? UsageError)?.message, "invalid value for '--code'; expected a whole number")
        }
        XCTAssertThrowsError(try parsed.double("code")) { error in
            XCTAssertFalse((error as? UsageError)?.message.contains(secret) ?? true)
        }
    }

    func testParsedArgumentsNeverPrintTheSecret() throws {
        let parsed = try CashierCommands.run(["pay", "1", "-c", "wx", "--key", secret])
        XCTAssertEqual(parsed.option("key"), secret, "the command itself still gets the value")
        XCTAssertEqual(parsed.description, "qfecr pay --channel=wx --key=<secret> -- 1")
        XCTAssertFalse(String(describing: parsed).contains(secret))
        XCTAssertFalse(String(reflecting: parsed).contains(secret))
        var dumped = ""
        dump(parsed, to: &dumped)
        XCTAssertFalse(dumped.contains(secret), dumped)
        XCTAssertTrue(dumped.contains("<secret>"), dumped)
    }

    func testHelpNeverShowsASecretDefault() {
        let command = CommandSpec(
            name: "t", abstract: "",
            options: [OptionSpec("key", valueName: "KEY", help: "POS-KEY.", secret: true, default: secret)]
        )
        XCTAssertFalse(command.helpText().contains(secret))
        XCTAssertEqual(command.specProblems(), ["t: secret option '--key' may not have a default"])
    }
}
