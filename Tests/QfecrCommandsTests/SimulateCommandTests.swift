import XCTest
import ArgumentParsing
import ECRSimulator
@testable import QfecrCommands

final class SimulateCommandTests: XCTestCase {
    func parse(_ args: [String], env: [String: String] = [:]) throws -> SimulatorOptions {
        guard case .run(let parsed) = try CommandTable.root.parse(["simulate"] + args) else { throw CommandFailure.usage("help") }
        return try SimulateCommand.options(from: parsed, environment: env)
    }

    func testDefaultsMatchTheTerminal() throws {
        let o = try parse([])
        XCTAssertEqual(o.host, "127.0.0.1")
        XCTAssertEqual(o.httpPort, 9001)
        XCTAssertEqual(o.tcpPort, 9002)
        XCTAssertNil(o.httpsPort)
        XCTAssertNil(o.cloudPort)
        XCTAssertFalse(o.serial)
        XCTAssertFalse(o.quiet)
        XCTAssertEqual(o.mode, .sync)
        XCTAssertEqual(o.customerDelay, 2)
    }

    func testEveryFlagReachesTheOptions() throws {
        let o = try parse(["--http-port", "off", "--tcp-port", "0", "--https-port", "0", "--write-ca", "/tmp/ca.pem",
                           "--serial", "--serial-link", "/tmp/tty", "--cloud-port", "0", "--app-code", "APP",
                           "--notify-url", "http://127.0.0.1:1/n", "--quiet", "--mode", "ack", "--customer-delay", "0.5",
                           "--state", "/tmp/s", "--receipts", "/tmp/r", "--encrypted-answers", "--device-id", "D1"],
                          env: ["QFECR_KEY": "0123456789abcdef", "QFECR_CLIENT_KEY": "CK", "QFECR_NOTIFY_KEY": "NK"])
        XCTAssertNil(o.httpPort)
        XCTAssertEqual(o.tcpPort, 0)
        XCTAssertEqual(o.httpsPort, 0)
        XCTAssertEqual(o.writeCAPath, "/tmp/ca.pem")
        XCTAssertTrue(o.serial)
        XCTAssertEqual(o.serialLink, "/tmp/tty")
        XCTAssertEqual(o.cloudPort, 0)
        XCTAssertEqual(o.appCode, "APP")
        XCTAssertEqual(o.clientKey, "CK")
        XCTAssertEqual(o.notifyKey, "NK")
        XCTAssertTrue(o.quiet)
        XCTAssertEqual(o.mode, .ack)
        XCTAssertEqual(o.customerDelay, 0.5)
        XCTAssertEqual(o.stateFile, "/tmp/s")
        XCTAssertEqual(o.receiptsDirectory, "/tmp/r")
        XCTAssertTrue(o.encryptedAnswers)
        XCTAssertEqual(o.deviceId, "D1")
        XCTAssertEqual(o.posKey, "0123456789abcdef")
    }

    func testBadValuesAreUsageErrors() {
        for args in [["--http-port", "70000"], ["--customer-delay", "-1"], ["--serial-link", "/tmp/x"], ["--mode", "fast"],
                     ["--http-port", "off", "--tcp-port", "off"], ["--key", "short"]] {
            let run = CommandRun(["simulate"] + args)
            XCTAssertEqual(run.exitCode, 2, "\(args): \(run.stderr)")
            XCTAssertFalse(run.stderr.contains("short"), "a secret value is never echoed: \(run.stderr)")
        }
    }
}
