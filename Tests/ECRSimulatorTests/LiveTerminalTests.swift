import ECRProtocol
import Foundation
import XCTest
@testable import ECRSimulator

final class LiveTerminalTests: XCTestCase {
    /// Listeners read `settings` from their own threads while other requests change the terminal:
    /// the read must not touch what those requests change (`--sanitize=thread` shows it when it does).
    func testSettingsAreReadWhileRequestsChangeTheTerminal() throws {
        let terminal = try LiveTerminal(settings: TerminalSettings(posKey: testKey, customerDelay: 0), clock: ManualClock(morning))
        DispatchQueue.concurrentPerform(iterations: 200) { index in
            if index.isMultiple(of: 2) {
                _ = terminal.respond(to: TerminalRequest(body: body(pay(100 + Int64(index), .wechat, "RACE\(index)"))))
            } else {
                XCTAssertEqual(terminal.settings.posKey, testKey)
            }
        }
        XCTAssertEqual(terminal.state.ledger.entries.count, 100, "every payment was taken")
    }
}
