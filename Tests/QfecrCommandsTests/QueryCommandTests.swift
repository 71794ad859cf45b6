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

    private func startSimulator() throws -> SimulatorServer {
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = nil
        options.customerDelay = 0.05
        return try SimulatorServer.start(options, log: .silent)
    }

    func testAConclusiveTerminalAnswerWinsOverAStaleFinalJournalOutcome() throws {
        let server = try startSimulator()
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
        attempt.reason = .legacy(text: "failed: the terminal never created the payment (1136 until the deadline)")
        try journal.append(attempt, at: Date())

        let query = CommandRun(["query", "--out-trade-no", id, "--host", "127.0.0.1", "--port", port, "--json"],
                               environment: environment(data: "data"))
        XCTAssertEqual(query.exitCode, 0, query.stdout + query.stderr)
        XCTAssertTrue(query.stdout.contains("\"state\":\"approved\""), query.stdout)
        XCTAssertTrue(query.stderr.contains("declined"), "the disagreement with the journal is said: \(query.stderr)")
    }

    /// One record, one description: a refunded sale reads "approved" and "refunded (how much)" whether
    /// it is looked up by out_trade_no (the journal's attempt) or by syssn (the terminal's record).
    func testARefundedSaleIsDescribedAlikeByOutTradeNoAndByOrderId() throws {
        let server = try startSimulator()
        defer { server.stop() }
        let connection = ["--host", "127.0.0.1", "--port", String(try XCTUnwrap(server.endpoints.httpPort))]
        let env = environment(data: "data")

        func field(_ json: String, _ key: String) -> String? {
            guard case .object(let object)? = try? JSONParser.parse(json) else { return nil }
            return object[key]?.scalarText
        }
        for (id, refund, expected) in [("T01-20261121063200-0050", nil as String?, "refunded 50.00"),
                                       ("T01-20261121063200-0051", "20.00", "partially refunded 20.00 of 50.00")] {
            let paid = CommandRun(["pay", "50.00", "--channel", "alipay", "--out-trade-no", id, "--json"] + connection, environment: env)
            XCTAssertEqual(paid.exitCode, 0, paid.stdout + paid.stderr)
            let syssn = try XCTUnwrap(field(paid.stdout, "syssn"), paid.stdout)
            let refunded = CommandRun(["refund", syssn, "--json"] + (refund.map { ["--amount", $0] } ?? []) + connection, environment: env)
            XCTAssertEqual(refunded.exitCode, 0, refunded.stdout + refunded.stderr)

            for key in [["--out-trade-no", id], ["--order-id", syssn]] {
                let plain = CommandRun(["query"] + key + connection, environment: env)
                XCTAssertEqual(plain.exitCode, 0, plain.stdout + plain.stderr)
                XCTAssertTrue(plain.stdout.contains("approved"), "\(key): \(plain.stdout)")
                XCTAssertTrue(plain.stdout.contains(expected), "\(key): \(plain.stdout)")
                let json = CommandRun(["query", "--json"] + key + connection, environment: env)
                XCTAssertEqual(field(json.stdout, "state"), "approved", "\(key): \(json.stdout)")
                XCTAssertEqual(field(json.stdout, "amount"), "50.00", "\(key): \(json.stdout)")
                XCTAssertEqual(field(json.stdout, "refund_state"), refund == nil ? "refunded" : "partially_refunded", "\(key): \(json.stdout)")
                XCTAssertEqual(field(json.stdout, "refunded"), refund ?? "50.00", "\(key): \(json.stdout)")
                XCTAssertEqual(field(json.stdout, "allow_refund_amt"), refund == nil ? "0.00" : "30.00", "\(key): \(json.stdout)")
            }
        }
    }
}
