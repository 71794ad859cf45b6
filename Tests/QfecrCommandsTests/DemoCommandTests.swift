import XCTest
import ECRProtocol
import ConsoleUI
import ECRConfiguration
import ECRSimulator
@testable import QfecrCommands

final class DemoCommandTests: XCTestCase {
    /// The scripted show runs on the built-in simulator with nothing configured, and every sale
    /// ends as the simulator's outcome table says — the dropped answer found by inquiry, not resent.
    func testTheShowRunsWithNothingConfigured() {
        let run = CommandRun(["demo", "--script"], environment: [:])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        let lines = run.lines
        XCTAssertTrue(lines.contains { $0.contains("✔ approved  12.50  wx") }, run.stdout)
        XCTAssertTrue(lines.contains { $0.contains("✘ declined  8.51  alipay") }, run.stdout)
        XCTAssertTrue(lines.contains { $0.contains("✔ approved  20.54  card_payment") }, run.stdout)
        XCTAssertTrue(lines.contains { $0.contains("✔ approved  5.57  payme") }, run.stdout)
        XCTAssertTrue(lines.contains { $0.contains("✔ approved  2.00  wx") && $0.contains("refund of") }, run.stdout)
        XCTAssertTrue(run.stdout.contains("ledger holds 5 transactions"), run.stdout)
        XCTAssertFalse(run.stdout.contains("f46b1f08bec1f39104792cc79ec9aacd"))
    }

    /// Without a terminal the console refuses clearly (exit 2) and points at the scripted show.
    func testTheConsoleDemoNeedsATerminal() {
        let run = CommandRun(["demo"], environment: [:])
        XCTAssertEqual(run.exitCode, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("needs a terminal"), run.stderr)
        XCTAssertTrue(run.stderr.contains("qfecr demo --script"), run.stderr)
    }

    /// A language or theme the console does not have is refused before anything starts.
    func testBadLanguageOrThemeIsAUsageError() {
        let language = CommandRun(["demo", "--lang", "fr"], environment: [:])
        XCTAssertEqual(language.exitCode, 2)
        XCTAssertTrue(language.stderr.contains("use en or zh-Hant"), language.stderr)
        let theme = CommandRun(["demo", "--theme", "neon"], environment: ["XDG_CONFIG_HOME": "/nonexistent"])
        XCTAssertEqual(theme.exitCode, 2)
        XCTAssertTrue(theme.stderr.contains("no theme 'neon'"), theme.stderr)
    }

    /// The network transports carry the same show: each sale once, none twice. (Serial runs it too,
    /// but its .57 sale takes most of a minute on the line, too slow for the unit suite.)
    func testTheShowRunsOverTheOtherTransports() {
        for transport in ["https", "tcp", "cloud"] {
            let run = CommandRun(["demo", "--script", "--transport", transport], environment: [:])
            XCTAssertEqual(run.exitCode, 0, "\(transport): \(run.stderr)")
            XCTAssertTrue(run.stdout.contains("✔ approved  12.50  wx"), "\(transport): \(run.stdout)")
            XCTAssertTrue(run.stdout.contains("ledger holds 5 transactions"), "\(transport): \(run.stdout)")
        }
        let wrong = CommandRun(["demo", "--script", "--transport", "carrier-pigeon"], environment: [:])
        XCTAssertEqual(wrong.exitCode, 2)
        XCTAssertTrue(wrong.stderr.contains("use http, https, tcp, serial or cloud"), wrong.stderr)
    }

    /// Bare `qfecr` opens the console on the configured terminal: without a terminal it says so and exits 2.
    func testBareQfecrNeedsATerminal() throws {
        let home = NSTemporaryDirectory() + "qfecr-no-terminal-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = CommandRun(["--host", "127.0.0.1"], environment: ["HOME": home, "QFECR_KEY": "0123456789abcdef0123456789abaacd"])
        XCTAssertEqual(run.exitCode, 2)
        XCTAssertTrue(run.stderr.contains("terminal"), run.stderr)
        XCTAssertTrue(run.stderr.contains("qfecr pay"), run.stderr)
        XCTAssertEqual(run.stderr.components(separatedBy: "qfecr pay").count, 2, "the commands are pointed at once: \(run.stderr)")
        XCTAssertTrue(run.stderr.contains("`qfecr --help`"), run.stderr)
    }

    /// Nothing configured yet, and no terminal for the first-run screen (output piped): the same words
    /// as plain text — what to set and where, and the demo — with the configuration exit code.
    func testBareQfecrWithNothingConfiguredAndNoTerminalPrintsWhatToSet() throws {
        let home = NSTemporaryDirectory() + "qfecr-first-run-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        let run = CommandRun([], environment: ["HOME": home])
        XCTAssertEqual(run.exitCode, 4)
        for expected in ["first run", home + "/.config/qfecr/config", "host = ", "pos_key", "QFECR_KEY", "`qfecr config init`", "`qfecr demo`"] {
            XCTAssertTrue(run.stdout.contains(expected), "\(expected): \(run.stdout)")
        }
        // With the key in the environment only the terminal's address is missing.
        let keyed = CommandRun([], environment: ["HOME": home, "QFECR_KEY": "0123456789abcdef0123456789abaacd"])
        XCTAssertTrue(keyed.stdout.contains("✘ host = "), keyed.stdout)
        XCTAssertTrue(keyed.stdout.contains("✔ pos_key"), keyed.stdout)
        XCTAssertFalse(keyed.stdout.contains("0123456789abcdef"), "the key is never shown")
        // A cloud till asks for the cloud's settings, not a host or POS-KEY.
        let cloud = CommandRun(["--transport", "cloud"], environment: ["HOME": home, "LANG": "zh_TW.UTF-8"])
        XCTAssertEqual(cloud.exitCode, 4)
        for expected in ["首次使用", "terminal_id", "cloud_app_code", "cloud_client_key", "QFECR_CLIENT_KEY"] {
            XCTAssertTrue(cloud.stdout.contains(expected), "\(expected): \(cloud.stdout)")
        }
        XCTAssertFalse(cloud.stdout.contains("pos_key"), cloud.stdout)
        // The path comes from the environment: an escape sequence in it is not passed on to the screen.
        let hostile = CommandRun([], environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/\u{1B}]0;owned\u{07}cfg"])
        XCTAssertEqual(hostile.exitCode, 4)
        XCTAssertFalse(hostile.stdout.contains("\u{1B}"), hostile.stdout)
        XCTAssertTrue(hostile.stdout.contains(home + "/cfg/qfecr/config"), hostile.stdout)
    }

    /// What the first-run screen is shown from: the minimum settings of the transport.
    func testTheFirstRunFactsFollowTheTransport() {
        var profile = TerminalProfile()
        XCTAssertEqual(FirstRun.facts(profile, configPath: "/nonexistent")?.items.map(\.setting), [.transport, .host, .posKey])
        XCTAssertEqual(FirstRun.facts(profile, configPath: "/nonexistent")?.items.first?.isDefault, true, "http by default, not chosen")
        profile.transport = .serial
        profile.origins["transport"] = .file(path: "/etc/qfecr/till.conf", line: 2)
        XCTAssertEqual(FirstRun.facts(profile, configPath: "/nonexistent")?.items.first?.isDefault, false, "written in the file: set")
        profile.device = "/dev/ttyUSB0"
        XCTAssertEqual(FirstRun.facts(profile, configPath: "/nonexistent")?.items.filter { !$0.isSet }.map(\.setting), [.posKey])
        profile.posKey = Secret("0123456789abcdef0123456789abaacd")
        XCTAssertNil(FirstRun.facts(profile, configPath: "/nonexistent"), "configured: the console opens")
    }

    /// The console is given the demo till's facts with the key masked, never the key itself.
    func testTheConsoleSeesOnlyTheMaskedKey() throws {
        let till = try DemoTill.start(transport: .http, log: .silent)
        defer { till.stop() }
        XCTAssertEqual(till.facts.maskedKey, "…aacd")
        XCTAssertEqual(till.facts.tillID, "DEMO")
        XCTAssertEqual(till.facts.acceptedChannels, Channel.allCases, "the demo's terminal is an A8: every channel")
    }
}

extension DemoCommandTests {
    /// F1 in the demo at 80×24, in both languages: every line of the outcome table is on screen, whole.
    func testTheDemosHelpShowsTheWholeOutcomeTableAtEightyColumns() {
        var till = TillState(tillID: "DEMO", endpoint: "HTTP 127.0.0.1:9001")
        till.helpNotes = DemoCommand.outcomeTable
        var view = ViewState(width: 80, height: 24)
        view = ConsoleReducer.reduce(view, .key(.function(1)), till: till).0
        for language in Language.allCases {
            let screen = ScreenRenderer.render(ScreenModel(till: till, view: view, now: Date(), language: language)).dump()
            for note in DemoCommand.outcomeTable {
                XCTAssertTrue(screen.contains { $0.contains(note.text(in: language)) }, "\(note.text(in: language)):\n\(screen.joined(separator: "\n"))")
            }
            XCTAssertFalse(screen[23].contains("↑/↓"), "nothing to scroll for: \(screen[23])")
        }
    }

    /// Every amount the simulator does something special with is in the help's table, in both
    /// languages, and the customer pane's range reaches the last of them.
    func testTheOutcomeTableListsEveryMagicAmount() throws {
        let magic = (0..<100).filter { Outcome.forAmount(Amount(cents: Int64(100 + $0))) != .approve }.map { String(format: ".%02d", $0) }
        XCTAssertEqual(magic.first, ".51")
        for language in Language.allCases {
            let table = DemoCommand.outcomeTable.map { $0.text(in: language) }.joined(separator: "\n")
            for cents in magic { XCTAssertTrue(table.contains(cents + " "), "\(cents) in \(language.rawValue):\n\(table)") }
            let pane = DemoCommand.customerWelcome.map { $0.text(in: language) }.joined(separator: "\n")
            XCTAssertTrue(pane.contains("–" + (magic.last ?? "")), pane)
        }
    }

    /// The customer pane starts by saying where the outcomes come from, in lines that fit it at 80×24.
    func testTheCustomerPaneStartsWithTheCents() {
        let pane = Layout(width: 80, height: 24, showsCustomer: true).customer!
        for line in DemoCommand.customerWelcome {
            for language in Language.allCases { XCTAssertLessThanOrEqual(TerminalText.width(of: line.text(in: language)), pane.width) }
        }
    }
}

extension DemoCommandTests {
    /// The cashier's cancel of a payment is one line in the customer pane, not two saying the same.
    func testACancelledPaymentIsOneLineInTheCustomerPane() {
        XCTAssertFalse(CustomerFeed.shows(.cancelled(what: "payment 20261201000000000003")))
        XCTAssertTrue(CustomerFeed.shows(.cancelled(what: "refund of 20261201000000000001")), "a refund has no line of its own")
    }
}
