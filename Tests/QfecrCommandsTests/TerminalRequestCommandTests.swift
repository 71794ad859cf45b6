import ECREngine
import ECRProtocol
import ECRSimulator
import Foundation
import XCTest
@testable import QfecrCommands

/// `qfecr print`, `summary` and `cancel` report what the terminal said — the same way on every
/// transport — and end with exit 1 when it did not do it.
final class TerminalRequestCommandTests: XCTestCase {
    private var scratch: URL!
    private var server: SimulatorServer!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-requestcmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = nil
        options.cloudPort = 0
        options.customerDelay = 0.05
        server = try SimulatorServer.start(options, log: .silent)
    }

    override func tearDown() {
        server?.stop()
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    private var environment: [String: String] {
        ["HOME": scratch.path, "XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path,
         "XDG_DATA_HOME": scratch.appendingPathComponent("data").path, "QFECR_KEY": defaultKey,
         "QFECR_CLIENT_KEY": SimulatorOptions().clientKey]
    }

    private func lan() throws -> [String] {
        ["--host", "127.0.0.1", "--port", String(try XCTUnwrap(server.endpoints.httpPort))]
    }

    private func cloud() throws -> [String] {
        let options = SimulatorOptions()
        let lines = ["transport = cloud", "cloud_base_url = http://127.0.0.1:\(try XCTUnwrap(server.endpoints.cloudPort))",
                     "cloud_app_code = \(options.appCode)", "terminal_id = \(options.deviceId)",
                     "connect_timeout = 2", "request_timeout = 5"]
        let path = scratch.appendingPathComponent("cloud.conf").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return ["--config", path]
    }

    func testPrintingAnOrderTheTerminalDoesNotKnowIsReportedAlikeOnEveryTransport() throws {
        var messages: [String] = []
        for connection in [try lan(), try cloud()] {
            let plain = CommandRun(["print", "NOSUCHORDER"] + connection, environment: environment)
            XCTAssertEqual(plain.exitCode, 1, plain.stdout + plain.stderr)
            XCTAssertTrue(plain.stdout.hasPrefix("rejected"), plain.stdout)
            XCTAssertTrue(plain.stdout.contains("the order does not exist (1136)"), plain.stdout)

            let json = CommandRun(["print", "NOSUCHORDER", "--json"] + connection, environment: environment)
            XCTAssertEqual(json.exitCode, 1, json.stdout + json.stderr)
            XCTAssertTrue(json.stdout.contains(#""state":"rejected""#), json.stdout)
            XCTAssertTrue(json.stdout.contains(#""respcd":"1136""#), json.stdout)
            messages.append(plain.stdout)
        }
        XCTAssertEqual(messages.count, 2)
        XCTAssertEqual(messages.first, messages.last, "the same words over the LAN and the cloud")
    }

    func testSummaryAndCancelThatTheTerminalDoesAreOK() throws {
        let summary = CommandRun(["summary"] + (try lan()), environment: environment)
        XCTAssertEqual(summary.exitCode, 0, summary.stdout + summary.stderr)
        XCTAssertTrue(summary.stdout.hasPrefix("ok"), summary.stdout)
        let cancel = CommandRun(["cancel", "--json"] + (try lan()), environment: environment)
        XCTAssertEqual(cancel.exitCode, 0, cancel.stdout + cancel.stderr)
        XCTAssertTrue(cancel.stdout.contains(#""state":"ok""#), cancel.stdout)
    }

    func testARefusalCarriedInTheAnswersStatusIsNotOK() {
        let record = ECRProtocol.TransactionRecord(fields: ECRProtocol.JSONObject([("respcd", .string("1205"))]))
        for request: ECRProtocol.ECRRequest in [.printSummary, .cancelRequest, .printReceipt(orderId: "S1")] {
            let answer = TerminalAnswer(direct: request, response: ECRProtocol.ECRResponse(outer: .accepted, data: record), failure: nil)
            XCTAssertEqual(TerminalRequestCommand.verdict(answer).state, "rejected", "\(request)")
            XCTAssertEqual(TerminalRequestCommand.verdict(answer).code, .declined)
        }
    }
}
