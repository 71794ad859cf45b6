import ConsoleUI
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import Foundation
import XCTest
@testable import QfecrCommands

/// Files qfecr wrote itself decode back: the `--trace` of a real `pay` against the simulator over
/// HTTP and TCP (answers plain and encrypted), and a console export of a real exchange.
final class DecodeProductFilesTests: XCTestCase {
    private var scratch: URL!
    private var server: SimulatorServer!

    override func tearDown() {
        server?.stop()
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    private func start(encryptedAnswers: Bool) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-decodefiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = 0
        options.customerDelay = 0.05
        options.encryptedAnswers = encryptedAnswers
        server = try SimulatorServer.start(options, log: .silent)
    }

    private var environment: [String: String] {
        ["HOME": scratch.path, "XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path,
         "XDG_DATA_HOME": scratch.appendingPathComponent("data").path, "QFECR_KEY": defaultKey]
    }

    func testTheTraceOfARealPayDecodesBackOverHTTPAndTCP() throws {
        for encryptedAnswers in [false, true] {
            try start(encryptedAnswers: encryptedAnswers)
            defer { server.stop(); try? FileManager.default.removeItem(at: scratch) }
            let ports = [("http", Int(try XCTUnwrap(server.endpoints.httpPort))), ("tcp", Int(try XCTUnwrap(server.endpoints.tcpPort)))]
            for (transport, port) in ports {
                let path = scratch.appendingPathComponent("\(transport).trace").path
                let pay = CommandRun(["pay", "1.00", "--channel", "wx", "--transport", transport, "--host", "127.0.0.1", "--port", String(port),
                                      "--json", "--trace", path], environment: environment)
                XCTAssertEqual(pay.exitCode, 0, "\(transport): \(pay.stdout) \(pay.stderr)")
                let outTradeNo = try XCTUnwrap(pay.stdout.firstMatch(of: /"out_trade_no":"([^"]+)"/)?.output.1)
                let trace = try String(contentsOfFile: path, encoding: .utf8)
                let what = "\(transport), answers \(encryptedAnswers ? "encrypted" : "plain")"
                XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue, 0o600, what)
                XCTAssertFalse(trace.contains(defaultKey), "\(what): the key is never in the trace")
                XCTAssertTrue(trace.contains("    operation: payment (func_type 1001)"), "\(what): the request decoded in the trace:\n\(trace)")
                XCTAssertTrue(trace.contains("    answer: 6000/0000 approved"), "\(what): the answer decoded in the trace:\n\(trace)")
                if transport == "tcp" {
                    XCTAssertTrue(trace.contains("  = acknowledgement of ref 0x01"), "\(what):\n\(trace)")
                    XCTAssertTrue(trace.contains("  end indicator     2F 6E"), "\(what):\n\(trace)")
                }

                let decoded = CommandRun(["decode"], environment: keyEnvironment, stdin: trace)
                XCTAssertEqual(decoded.exitCode, 0, "\(what): \(decoded.stderr)\n\(decoded.stdout)")
                XCTAssertTrue(decoded.stdout.contains("channel='wx',func_type=1001,out_trade_no='\(outTradeNo)'"), "\(what): \(decoded.stdout)")
                XCTAssertTrue(decoded.stdout.contains("(matches the POS-KEY)"), what)
                XCTAssertTrue(decoded.stdout.contains("form: \(encryptedAnswers ? "encrypted" : "plain") answer\nanswer: 6000/0000 approved"), "\(what): \(decoded.stdout)")
                XCTAssertTrue(decoded.stdout.contains(#""out_trade_no":"\#(outTradeNo)""#), "\(what): the answer's record")
            }
        }
    }

    func testAConsoleExportOfARealExchangeDecodesBack() async throws {
        try start(encryptedAnswers: false)
        var profile = TerminalProfile()
        profile.transport = .tcp
        profile.host = "127.0.0.1"
        profile.port = Int(try XCTUnwrap(server.endpoints.tcpPort))
        profile.posKey = Secret(defaultKey)
        profile.journalDirectory = scratch.appendingPathComponent("journal").path
        profile.pollInterval = 0.1
        let host = try TillHost(profile: profile)
        let attempt = try await XCTUnwrap(host.engine).pay(amount: Amount(cents: 1250), channel: .wechat)
        XCTAssertEqual(attempt.state, .approved)
        await host.stop()
        let export = LogExport(entries: host.wireLog.entries, filter: .all, single: false)
        let path = try LogExportFile.write(export, into: scratch.appendingPathComponent("exports").path)
        let decoded = CommandRun(["decode"], environment: keyEnvironment, stdin: try String(contentsOfFile: path, encoding: .utf8))
        XCTAssertEqual(decoded.exitCode, 0, decoded.stderr + decoded.stdout)
        XCTAssertTrue(decoded.stdout.contains("out_trade_no='\(attempt.outTradeNo)'"), decoded.stdout)
        XCTAssertTrue(decoded.stdout.contains("answer: 6000/0000 approved"), decoded.stdout)
        XCTAssertTrue(decoded.stdout.contains(": acknowledgement of ref "), decoded.stdout)
    }

    /// Every packet of a real TCP pay named by what it is: the request and the register's ack go
    /// out, the terminal's ack and its answer (a type 10 packet) come in.
    func testTheTraceOfARealTCPPayNamesEachPacketByWhatItIs() throws {
        try start(encryptedAnswers: false)
        let path = scratch.appendingPathComponent("tcp.trace").path
        let pay = CommandRun(["pay", "1.00", "--channel", "wx", "--transport", "tcp", "--host", "127.0.0.1",
                              "--port", String(try XCTUnwrap(server.endpoints.tcpPort)), "--trace", path], environment: environment)
        XCTAssertEqual(pay.exitCode, 0, pay.stdout + pay.stderr)
        var kinds: [String] = []
        var direction = ""
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let words = line.split(separator: " ")
            if words.count > 1, line.first?.isNumber == true { direction = String(words[1]) }
            if line.hasPrefix("  type ") { kinds.append(direction + " " + String(words.last ?? "")) }
        }
        XCTAssertEqual(kinds, ["out (request)", "in (acknowledgement)", "in (answer)", "out (acknowledgement)"])
    }
}
