import Foundation
import XCTest
import ArgumentParsing
import ECRProtocol
import ECRSimulator
@testable import QfecrCommands

/// Issue 7, "Command-line polish found on the way".
final class CommandLinePolishTests: XCTestCase {
    func testVersionComesFromOnePlace() {
        let run = CommandRun(["--version"])
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertEqual(run.stdout, "qfecr \(QfecrVersion.current)\n")
        XCTAssertTrue(CommandRun(["--help"]).stdout.contains("--version"))
    }

    func testHelpCommandIsTheCommandsOwnHelp() {
        for words in [["pay"], ["refund"], ["encode", "pay"], ["simulate"], []] {
            let help = CommandRun(["help"] + words)
            XCTAssertEqual(help.exitCode, 0, "\(words): \(help.stderr)")
            XCTAssertEqual(help.stdout, CommandRun(words + ["--help"]).stdout, "\(words)")
        }
        let typo = CommandRun(["help", "paay"])
        XCTAssertEqual(typo.exitCode, 2)
        XCTAssertTrue(typo.stderr.contains("did you mean 'pay'"), typo.stderr)
        XCTAssertTrue(CommandRun(["--help"]).stdout.contains("help"), "listed among the commands")
    }

    func testEncodePayShowsItsRequiredFieldsAsRequired() {
        let usage = CommandRun(["encode", "pay", "--help"]).stdout
        XCTAssertTrue(usage.contains("--out-trade-no ID"), usage)
        XCTAssertFalse(usage.contains("[--out-trade-no ID]"), "required, so not in brackets: \(usage)")
        XCTAssertFalse(usage.contains("[--amount DOLLARS]"), usage)
        XCTAssertTrue(usage.contains("[--payment-timeout S]"), "optional ones stay optional: \(usage)")
        let inquiry = CommandRun(["encode", "inquiry", "--help"]).stdout
        XCTAssertTrue(inquiry.contains("[--out-trade-no ID]"), inquiry)
        XCTAssertTrue(CommandRun(["encode", "refund", "--help"]).stdout.contains(" --order-id ID"))
    }

    func testAZeroRefundSaysRefund() {
        let run = CommandRun(["refund", "20261121000100020001", "--amount", "0"], environment: keyEnvironment)
        XCTAssertEqual(run.exitCode, 2)
        XCTAssertTrue(run.stderr.contains("a refund needs at least 0.01"), run.stderr)
        XCTAssertFalse(run.stderr.contains("sale needs"), run.stderr)
    }

    /// The demo's last line is commands that work when typed: the simulator and the till share a
    /// POS-KEY through QFECR_KEY.
    func testTheDemosNextStepWorksAsPrinted() throws {
        let line = DemoCommand.nextSteps
        let commands = line.components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        XCTAssertEqual(commands, ["export QFECR_KEY=$(openssl rand -hex 16)", "qfecr simulate --quiet &",
                                  "qfecr pay 12.50 --channel wx --host 127.0.0.1"], line)
        let key = String(repeating: "ab", count: 16)  // what `openssl rand -hex 16` prints: 32 characters
        guard case .run(let simulate) = try CommandTable.root.parse(["simulate", "--quiet"]) else { return XCTFail() }
        XCTAssertEqual(try SimulateCommand.options(from: simulate, environment: ["QFECR_KEY": key]).posKey, key,
                       "the simulator takes the key from QFECR_KEY")
        let pay = commands[2].split(separator: " ").dropFirst().map(String.init)
        guard case .run(let parsed) = try CommandTable.root.parse(pay) else { return XCTFail("\(pay)") }
        XCTAssertEqual(parsed.commandPath, ["pay"])
        XCTAssertEqual(parsed.option("host"), "127.0.0.1")
        XCTAssertNil(parsed.option("port"), "the simulator's default port is the terminal's default port")
        XCTAssertFalse(line.contains(TerminalSettings.defaultPOSKey))
    }

    func testPinHelpListsEveryForm() {
        let help = CommandRun(["pay", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        for form in ["root:SHA256", "leaf:SHA256", "any:SHA256", "none"] {
            XCTAssertTrue(help.contains(form), "\(form) in: \(help)")
        }
    }

    func testChannelAliasesAreDocumentedAndAccepted() throws {
        let help = CommandRun(["pay", "--help"]).stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        for channel in Channel.allCases {
            for alias in channel.aliases {
                XCTAssertEqual(try Channel.parse(alias), channel, alias)
                XCTAssertTrue(help.contains(alias), "\(alias) in: \(help)")
            }
        }
        XCTAssertTrue(help.contains("card_payment (card, visa, mastercard, master)"), help)
        XCTAssertTrue(help.contains("wx (wechat, wechatpay, weixin)"), help)
    }

    func testTheSimulatorWarnsWhenReachableBeyondThisMachine() throws {
        for host in ["0.0.0.0", "192.168.1.20", "::"] {
            XCTAssertNotNil(SimulateCommand.exposureWarning(host: host), host)
        }
        for host in ["127.0.0.1", "127.0.0.2", "::1", "localhost"] {
            XCTAssertNil(SimulateCommand.exposureWarning(host: host), host)
        }
    }

    func testTheSimulatorCommandStartsSyssnFromTheClock() throws {
        guard case .run(let parsed) = try CommandTable.root.parse(["simulate"]) else { return XCTFail() }
        XCTAssertTrue(try SimulateCommand.options(from: parsed, environment: [:]).syssnFromClock)
    }

    /// "journal: journal:" and "sent to" for a sale that never left (connection refused).
    func testAJournalProblemIsNamedOnceAndARefusedConnectionIsNotSent() throws {
        let till = try EmptyTill("polish")
        let data = till.root.appendingPathComponent("data/qfecr")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: data.appendingPathComponent("journal.jsonl").path,
                                       contents: Data("garbage\n".utf8), attributes: [.posixPermissions: 0o600])
        let closed = try closedPort()
        let run = CommandRun(["pay", "1.00", "--channel", "wx", "--host", "127.0.0.1", "--port", String(closed)],
                             environment: till.environment.merging(keyEnvironment) { $1 })
        XCTAssertEqual(run.exitCode, 4, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("qfecr: journal line 1:"), run.stderr)
        XCTAssertFalse(run.stderr.contains("journal: journal"), run.stderr)
        XCTAssertFalse(run.stderr.contains("sent to"), "nothing went out: \(run.stderr)")
        XCTAssertTrue(run.stdout.contains("not sent"), run.stdout)
    }

    private func closedPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }
}
