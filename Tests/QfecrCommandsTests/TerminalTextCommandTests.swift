import ECREngine
import ECRTransport
import Foundation
import XCTest
@testable import QfecrCommands

/// A terminal that echoes the POS-KEY (in any case) and escape sequences in a 4003: nothing of it
/// reaches stdout, stderr, `--json` or the journal but the key's last 4 characters.
final class TerminalTextCommandTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-termtext-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    func testAKeyEchoingTerminalLeavesNoKeyInOutputJSONOrJournal() throws {
        let echoed = defaultKey.uppercased()
        let answer = #"{"respcd":"4003","respmsg":"\u001b]0;pwned\u0007denied","resperr":"\u001b[2Jbad digest for key "#
            + echoed + #"\u202e","data":""}"#
        let server = HTTPServer(listener: try TCPListener(host: "127.0.0.1", port: 0)) { _, _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array(answer.utf8))
        }
        try server.start()
        defer { server.stop() }
        let environment = ["HOME": scratch.path, "XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path,
                           "XDG_DATA_HOME": scratch.appendingPathComponent("data").path, "QFECR_KEY": defaultKey]
        let connection = ["--host", "127.0.0.1", "--port", String(server.port), "--no-encryption"]

        let json = CommandRun(["pay", "1.00", "--channel", "alipay", "--json"] + connection, environment: environment)
        XCTAssertEqual(json.exitCode, 1, json.stdout + json.stderr)
        XCTAssertTrue(json.stdout.contains(#""state":"rejected""#), json.stdout)
        XCTAssertTrue(json.stdout.contains("bad digest for key …aacd"), json.stdout)
        let plain = CommandRun(["pay", "1.00", "--channel", "alipay"] + connection, environment: environment)
        XCTAssertEqual(plain.exitCode, 1, plain.stdout + plain.stderr)

        let journal = try String(contentsOfFile: scratch.appendingPathComponent("data/qfecr/\(Journal.fileName)").path, encoding: .utf8)
        for (place, text) in [("json", json.stdout), ("stderr", json.stderr), ("plain", plain.stdout), ("plain stderr", plain.stderr),
                              ("journal", journal)] {
            XCTAssertFalse(text.lowercased().contains(defaultKey), "\(place): \(text)")
            XCTAssertFalse(text.contains("\u{1B}") || text.lowercased().contains("\\u001b") || text.contains("\u{202E}"), "\(place): \(text)")
        }
    }
}
