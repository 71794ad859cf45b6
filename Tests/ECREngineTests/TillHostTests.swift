import ECRConfiguration
import ECRProtocol
import ECRTransport
import Foundation
import XCTest
@testable import ECREngine

final class TillHostTests: XCTestCase {
    private func profile(_ directory: String, host: String = "127.0.0.1") -> TerminalProfile {
        var profile = TerminalProfile()
        profile.host = host
        profile.port = 9
        profile.posKey = Secret("f46b1f08bec1f39104792cc79ec9aacd")
        profile.tillId = "T01"
        profile.journalDirectory = directory
        return profile
    }

    func testOneHostDrivesAJournalAndStopsCleanly() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try TillHost(profile: profile(directory))
        XCTAssertNotNil(first.engine)
        XCTAssertNil(first.heldBy)
        XCTAssertEqual(first.maskedKey, "…aacd")
        XCTAssertEqual(first.engine?.settings.tillID, "T01", "engine settings come from the profile")
        let second = try TillHost(profile: profile(directory))
        XCTAssertNil(second.engine, "the journal is driven by one host at a time")
        XCTAssertEqual(second.heldBy, String(getpid()))
        // Nothing listens on port 9: the sale is not sent, and the log and link health say so.
        let attempt = try await XCTUnwrap(first.engine).pay(amount: Amount(cents: 100), channel: .alipay)
        XCTAssertEqual(attempt.state, .rejected)
        let snapshot = try await XCTUnwrap(first.engine).snapshot
        XCTAssertEqual(snapshot.link.lastFailureKind, .notSent)
        XCTAssertEqual(snapshot.log.first { $0.kind == .exchange }?.failure?.kind, .notSent)
        await first.stop()
        let after = try await XCTUnwrap(first.engine).snapshot
        XCTAssertFalse(after.busy)
        // Stopped, it gives the journal up at once: the console switching profiles starts the next till.
        let next = try TillHost(profile: profile(directory, host: "127.0.0.2"))
        XCTAssertNotNil(next.engine, "a stopped host no longer holds the journal")
        let known = try await XCTUnwrap(next.engine).attempts
        XCTAssertEqual(known.count, 1)
        await next.stop()
    }

    func testAQueryAboutAnAttemptOfAnotherTerminalIsRefusedFromTheJournal() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let other = try TillHost(profile: profile(directory, host: "127.0.0.2"))
        let attempt = try await XCTUnwrap(other.engine).pay(amount: Amount(cents: 100), channel: .alipay)
        await other.stop()
        let here = try TillHost(profile: profile(directory))
        guard case .otherTerminal(let id, let terminal)? = here.refusalElsewhere(attempt.outTradeNo) else {
            return XCTFail("a query about another terminal's attempt must be refused")
        }
        XCTAssertEqual(id, attempt.outTradeNo)
        XCTAssertEqual(terminal, other.terminal)
        XCTAssertNil(other.refusalElsewhere(attempt.outTradeNo), "its own terminal may ask")
    }
}
