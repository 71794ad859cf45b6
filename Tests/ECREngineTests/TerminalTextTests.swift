import Foundation
import XCTest
import ECRProtocol
import ECRTransport
import ECRConfiguration
import TestSupport
@testable import ECREngine

/// A terminal's own words are untrusted: what reaches the attempt, its report (`--json`) and the
/// journal is cleaned of control characters and escape sequences, with every secret masked.
final class TerminalTextTests: XCTestCase {
    let key = "f46b1f08bec1f39104792cc79ec9aacd"

    func testAKeyEchoedInA4003NeverReachesTheAttemptTheReportOrTheJournal() async throws {
        var profile = TerminalProfile()
        profile.posKey = Secret(key)
        profile.notifyKey = Secret("notify-key-0123456789")
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let clock = TestClock()
        let scripted = ScriptedTransport(clock: clock, journalDirectory: directory)
        scripted.script(.payment, .answer(ECRResponse(outer: .denied,
                                                      respmsg: "expected NOTIFY-KEY-0123456789\u{202E}",
                                                      resperr: "\u{1B}[2J\u{1B}]0;owned\u{07}digest check failed for key \(key.uppercased())")))
        let transport = SanitisingTransport(scripted, masker: TransportFactory.masker(for: profile))
        let engine = try PaymentEngine(transport: transport, terminal: Harness.terminal, journal: Journal(directory: directory), clock: clock,
                                       settings: Harness.settings)
        let attempt = try await engine.pay(amount: Amount(cents: 500), channel: .alipay)
        XCTAssertEqual(attempt.state, .rejected)
        XCTAssertEqual(attempt.respcd, "4003")

        let journal = try String(contentsOfFile: directory + "/" + Journal.fileName, encoding: .utf8)
        let report = JSONValue.object(attempt.report).serialized()
        let activity = await engine.snapshot.log.map { [$0.line, $0.requestJSON ?? "", $0.responseJSON ?? ""].joined(separator: " ") }.joined(separator: "\n")
        for (place, text) in [("message", attempt.message), ("report", report), ("journal", journal), ("activity", activity)] {
            XCTAssertFalse(text.lowercased().contains(key), "\(place): \(text)")
            XCTAssertFalse(text.lowercased().contains("notify-key-0123456789"), "\(place): \(text)")
            XCTAssertFalse(text.contains("\u{1B}") || text.contains("\\u001b") || text.contains("\u{202E}"), "\(place): \(text)")
        }
        XCTAssertTrue(attempt.message.contains("digest check failed for key …aacd"),
                      "the terminal's words stay, the key shown by its last 4 only: \(attempt.message)")
    }
}
