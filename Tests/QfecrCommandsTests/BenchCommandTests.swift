import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import XCTest
@testable import QfecrCommands

/// `qfecr bench`: N inquiries over the chosen transport; figures printed, exit 0 only when every one
/// was answered. It needs no journal: it runs with HOME pointing nowhere writable.
final class BenchCommandTests: XCTestCase {
    private let environment = ["QFECR_KEY": defaultKey, "HOME": "/nonexistent", "XDG_CONFIG_HOME": "/nonexistent/config"]

    private func startSimulator() throws -> SimulatorServer {
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = 0
        options.customerDelay = 0.05
        return try SimulatorServer.start(options, log: .silent)
    }

    func testEveryInquiryAnsweredOverHTTPAndTCPPrintsTheFigures() throws {
        let server = try startSimulator()
        defer { server.stop() }
        for (transport, port) in [("http", server.endpoints.httpPort), ("tcp", server.endpoints.tcpPort)] {
            let run = CommandRun(["bench", "--transport", transport, "--host", "127.0.0.1", "--port", String(try XCTUnwrap(port)),
                                  "--count", "25", "--json"], environment: environment)
            XCTAssertEqual(run.exitCode, 0, run.stdout + run.stderr)
            guard case .object(let object) = try JSONParser.parse(Array(run.stdout.utf8)) else { return XCTFail(run.stdout) }
            XCTAssertEqual(object["transport"], .string(transport))
            XCTAssertEqual(object["count"], .number("25"))
            XCTAssertEqual(object["answered"], .number("25"))
            XCTAssertEqual(object["failed"], .number("0"))
            XCTAssertEqual(object["first_failure"], .null)
            for field in ["p50_ms", "p99_ms", "mean_ms", "requests_per_second"] {
                guard case .number(let text)? = object[field], let value = Double(text) else { return XCTFail("\(field): \(run.stdout)") }
                XCTAssertGreaterThan(value, 0, field)
            }
        }
        // Inquiries change nothing on the terminal.
        XCTAssertTrue(server.terminal.state.ledger.entries.isEmpty)
    }

    func testTextOutputSaysHowManyWereAnswered() throws {
        let server = try startSimulator()
        defer { server.stop() }
        let run = CommandRun(["bench", "--host", "127.0.0.1", "--port", String(try XCTUnwrap(server.endpoints.httpPort)), "--count", "5"],
                             environment: environment)
        XCTAssertEqual(run.exitCode, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("answered 5 of 5"), run.stdout)
        XCTAssertTrue(run.stdout.contains("a new connection each"), run.stdout)
        XCTAssertTrue(run.stdout.contains("requests/s"), run.stdout)
    }

    func testUnansweredInquiriesExitFourAndSayWhy() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        let port = listener.port
        listener.close()
        let run = CommandRun(["bench", "--host", "127.0.0.1", "--port", String(port), "--count", "3", "--json"], environment: environment)
        XCTAssertEqual(run.exitCode, 4, run.stdout + run.stderr)
        XCTAssertTrue(run.stdout.contains("\"answered\":0"), run.stdout)
        XCTAssertTrue(run.stdout.contains("\"failed\":3"), run.stdout)
        XCTAssertTrue(run.stdout.contains("nothing listens"), run.stdout)
    }

    func testCountMustBeGivenAndInRange() {
        for count in ["0", "-3", "1000001", "many"] {
            let run = CommandRun(["bench", "--host", "127.0.0.1", "--count", count], environment: environment)
            XCTAssertEqual(run.exitCode, 2, "\(count): \(run.stderr)")
        }
        XCTAssertEqual(CommandRun(["bench", "--host", "127.0.0.1"], environment: environment).exitCode, 2, "--count is required")
    }

    func testHelpExplainsWhatIsMeasured() {
        let run = CommandRun(["bench", "--help"])
        XCTAssertEqual(run.exitCode, 0)
        XCTAssertTrue(run.stdout.contains("--count N"), run.stdout)
        XCTAssertTrue(run.stdout.contains("new connection each"), run.stdout)
    }

    func testPercentilesAreNearestRank() {
        let latencies = (1...100).map { Double($0) / 1000 }
        let summary = LatencySummary(latencies.shuffled(), seconds: 2)
        XCTAssertEqual(summary.p50, 0.050)
        XCTAssertEqual(summary.p99, 0.099)
        XCTAssertEqual(summary.mean, 0.0505, accuracy: 1e-12)
        XCTAssertEqual(summary.perSecond, 50)
        XCTAssertEqual(LatencySummary([0.002], seconds: 0.002).p99, 0.002)
        XCTAssertEqual(LatencySummary([], seconds: 1).p50, 0)
    }
}
