import ECRConfiguration
import Foundation
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine
@testable import ConsoleUI

/// The console opens on the newest days of a long journal; scrolling down the history reads older
/// days, a part at a time, on the engine's side: the loop only sends the intent.
final class HistoryPagingTests: XCTestCase {
    func testScrollingNearTheEndAsksForOlderHistoryOnlyWhenThereIsSome() {
        let rows = (0..<40).map { i in
            AttemptSummary(outTradeNo: "T01-\(i)", kind: .payment, amount: Amount(cents: 100), channel: .alipay, state: .approved,
                           createdAt: Fixtures.at(Double(i)))
        }
        var till = Fixtures.till(history: rows)
        var view = ViewState()
        view.focus = .history
        view.historyIndex = 5
        XCTAssertNil(ConsoleReducer.reduce(view, .key(.down), till: till).1, "all of the history is read")
        till.olderHistory = true
        XCTAssertNil(ConsoleReducer.reduce(view, .key(.down), till: till).1, "far from the end")
        view.historyIndex = 19
        XCTAssertEqual(ConsoleReducer.reduce(view, .key(.down), till: till).1, .olderHistory)
        view.historyIndex = 39
        XCTAssertEqual(ConsoleReducer.reduce(view, .key(.pageDown), till: till).1, .olderHistory, "at the end")
        XCTAssertEqual(ConsoleReducer.reduce(view, .key(.pageDown), till: till).0.historyIndex, 39)
    }

    func testTheHistoryOfAYearReadsAPartAtATime() async throws {
        let directory = NSTemporaryDirectory() + "qfecr-console-paging-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let now = Date()
        do {
            let journal = try Journal(directory: directory)
            for day in 0..<12 {
                for i in 0..<40 {
                    let created = now.addingTimeInterval(-Double(11 - day) * 86_400 - Double(40 - i) * 60)
                    var attempt = PaymentAttempt(outTradeNo: "T01-D\(day)-\(i)", kind: .payment, amount: Amount(cents: Int64(100 + i)),
                                                 channel: .alipay, createdAt: created, tillID: "T01", paymentTimeout: 60)
                    var lines: [PaymentAttempt] = []
                    for state in [AttemptState.created, .sending, .approved] {
                        attempt.history.append(AttemptTransition(at: created, from: attempt.history.last?.to, to: state, note: "step"))
                        attempt.state = state
                        lines.append(attempt)
                    }
                    try journal.appendUnsynced(lines, at: created)
                }
            }
            try journal.writeIndex()
        }
        var profile = TerminalProfile()
        profile.host = "127.0.0.1"
        profile.tillId = "T01"
        profile.posKey = Secret("f46b1f08bec1f39104792cc79ec9aacd")
        let engine = try PaymentEngine(transport: try TransportFactory.make(profile: profile, observer: nil),
                                       terminal: try XCTUnwrap(TerminalIdentity(profile: profile)),
                                       journal: Journal(directory: directory), settings: EngineSettings(profile: profile))
        let source = await EngineTillSource.start(engine: engine, facts: TillFacts(tillID: "T01"))
        defer { source.stop() }

        var till = source.currentTill()
        XCTAssertTrue(till.olderHistory)
        XCTAssertLessThan(till.history.count, 480, "not the whole journal at start")
        XCTAssertGreaterThanOrEqual(till.history.count, 200, "a screenful and today")
        var view = ViewState()
        view.focus = .history
        for _ in 0..<20 where till.olderHistory {
            view.historyIndex = till.history.count - 1
            let (next, intent) = ConsoleReducer.reduce(view, .key(.down), till: till)
            view = next
            let before = till.history.count
            let started = Date()
            source.perform(try XCTUnwrap(intent))
            XCTAssertLessThan(Date().timeIntervalSince(started), 0.05, "the loop does not wait for the journal")
            for _ in 0..<400 where source.currentTill().history.count == before {
                try await Task.sleep(for: .milliseconds(10))
            }
            till = source.currentTill()
            XCTAssertGreaterThan(till.history.count, before)
        }
        XCTAssertFalse(till.olderHistory)
        XCTAssertEqual(till.history.count, 480)
        let ids = till.history.map(\.outTradeNo)
        XCTAssertEqual(ids.first, "T01-D11-39")
        XCTAssertEqual(ids.last, "T01-D0-0")
        XCTAssertEqual(Set(ids).count, 480, "each attempt once")
    }
}
