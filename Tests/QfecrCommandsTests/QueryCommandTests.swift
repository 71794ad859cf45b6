import ECREngine
import ECRProtocol
import ECRSimulator
import Foundation
import XCTest
@testable import QfecrCommands

/// `qfecr query --out-trade-no ID` asks the terminal. When the journal already holds a final outcome
/// for ID and the terminal now answers something else conclusive, the terminal's word is what the
/// cashier must see (a "never created" sale that was paid after all), not the journal's.
final class QueryCommandTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-querycmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    private func environment(data: String) -> [String: String] {
        ["HOME": scratch.path, "XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path,
         "XDG_DATA_HOME": scratch.appendingPathComponent(data).path, "QFECR_KEY": defaultKey]
    }

    func testAConclusiveTerminalAnswerWinsOverAStaleFinalJournalOutcome() throws {
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = nil
        options.customerDelay = 0.05
        let server = try SimulatorServer.start(options, log: .silent)
        defer { server.stop() }
        let port = String(try XCTUnwrap(server.endpoints.httpPort))
        let id = "T01-20261121063200-0042"

        // The terminal has the sale, paid (made through another journal).
        let paid = CommandRun(["pay", "12.30", "--channel", "alipay", "--out-trade-no", id, "--host", "127.0.0.1", "--port", port,
                               "--json"], environment: environment(data: "elsewhere"))
        XCTAssertEqual(paid.exitCode, 0, paid.stdout + paid.stderr)

        // This till's journal says it failed (e.g. 1136 until the deadline).
        let journal = try Journal(directory: scratch.appendingPathComponent("data/qfecr").path)
        var attempt = PaymentAttempt(outTradeNo: id, kind: .payment, amount: Amount(cents: 1230), channel: .alipay,
                                     createdAt: Date(), tillID: "T01", paymentTimeout: 60)
        attempt.state = .declined
        attempt.respcd = "1136"
        attempt.message = "failed: the terminal never created the payment (1136 until the deadline)"
        try journal.append(attempt, at: Date())

        let query = CommandRun(["query", "--out-trade-no", id, "--host", "127.0.0.1", "--port", port, "--json"],
                               environment: environment(data: "data"))
        XCTAssertEqual(query.exitCode, 0, query.stdout + query.stderr)
        XCTAssertTrue(query.stdout.contains("\"state\":\"approved\""), query.stdout)
        XCTAssertTrue(query.stderr.contains("declined"), "the disagreement with the journal is said: \(query.stderr)")
    }
}
