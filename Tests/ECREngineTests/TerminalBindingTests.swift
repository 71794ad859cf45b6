import ECRConfiguration
import XCTest
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// DESIGN.md step 1 and 5: an attempt is bound to the terminal it went to, and is resumed, queried,
/// cancelled and settled there only; one transaction in flight per terminal.
final class TerminalBindingTests: XCTestCase {
    static let terminalA = TerminalIdentity(transport: .tcp, address: "127.0.0.1", port: 9002)
    static let terminalB = TerminalIdentity(transport: .tcp, address: "127.0.0.1", port: 9012)

    /// Terminal A takes a sale and the till dies before the answer: A's outcome is unknown.
    private func saleLeftUnknownAtA(directory: String) async throws -> PaymentAttempt {
        let a = try Harness(directory: directory, terminal: Self.terminalA)
        a.transport.script(.payment, .fail(Terminal.timeout))
        a.transport.script(.inquiry, always: .fail(Terminal.timeout))
        let started = try await a.engine.beginPayment(amount: Amount(cents: 755), channel: .alipay)
        await a.settle()
        let left = try XCTUnwrap(a.journal.attempts.last)
        XCTAssertEqual(left.state, .unknown)
        XCTAssertEqual(left.terminal, Self.terminalA, "the journal records the terminal the sale went to")
        XCTAssertEqual(left.outTradeNo, started.outTradeNo)
        return left
    }

    func testA1136FromAnotherTerminalNeverSettlesTheSale() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let left = try await saleLeftUnknownAtA(directory: directory)

        // The same journal, pointed at terminal B, which has never heard of A's sale.
        let b = try Harness(directory: directory, terminal: Self.terminalB)
        b.transport.script(.inquiry, always: .answer(Terminal.notFound))
        b.transport.script(.payment, .answer(Terminal.approved))
        let resumed = await b.engine.resumePending()
        XCTAssertEqual(resumed, [], "B does not resume A's sale")
        let elsewhere = await b.engine.unfinishedElsewhere
        XCTAssertEqual(elsewhere.map(\.outTradeNo), [left.outTradeNo])
        let snapshot = await b.engine.snapshot
        XCTAssertEqual(snapshot.pending, [], "A's sale does not count as B's transaction in flight")
        XCTAssertEqual(snapshot.elsewhere.map(\.outTradeNo), [left.outTradeNo])
        do {
            _ = try await b.engine.query(.outTradeNo(left.outTradeNo))
            XCTFail("B must not be asked about A's sale")
        } catch {
            XCTAssertEqual(error, .otherTerminal(outTradeNo: left.outTradeNo, terminal: Self.terminalA))
        }
        XCTAssertEqual(b.transport.count(.inquiry), 0, "nothing was asked of B about A's sale")
        do {
            _ = try await b.engine.resolveAgain(left.outTradeNo)
            XCTFail("B must not poll A's sale")
        } catch {
            XCTAssertEqual(error, .otherTerminal(outTradeNo: left.outTradeNo, terminal: Self.terminalA))
        }
        do {
            _ = try await b.engine.cancelCurrent()
            XCTFail("B must not cancel A's sale")
        } catch {
            XCTAssertEqual(error, .nothingToCancel)
        }

        // B takes its own sale meanwhile: A's unfinished sale does not block it.
        let own = try await b.pay(1_000)
        XCTAssertEqual(own.state, .approved)
        XCTAssertEqual(own.terminal, Self.terminalB)
        XCTAssertEqual(b.journal.attempts.first { $0.outTradeNo == left.outTradeNo }?.state, .unknown,
                       "A's sale is still unknown: B's answers never settled it")

        // Back at A, the sale is found approved.
        let a = try Harness(directory: directory, terminal: Self.terminalA)
        a.transport.script(.inquiry, .answer(Terminal.approved))
        let resumedAtA = await a.engine.resumePending()
        XCTAssertEqual(resumedAtA.map(\.outTradeNo), [left.outTradeNo])
        let settled = await a.runToOutcome(left.outTradeNo)
        XCTAssertEqual(settled.state, .approved)
        XCTAssertEqual(a.transport.count(.payment), 0, "never resent")
    }

    func testASaleAtAnotherTerminalIsNeitherResumedNorBlockingOnRestart() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let left = try await saleLeftUnknownAtA(directory: directory)
        // Left unresolved at B too: B's own unfinished sale blocks B, A's does not.
        let b = try Harness(directory: directory, terminal: Self.terminalB)
        b.transport.script(.payment, .fail(Terminal.timeout))
        b.transport.script(.inquiry, always: .fail(Terminal.timeout))
        let ownStarted = try await b.engine.beginPayment(amount: Amount(cents: 200), channel: .alipay)
        let own = await b.runToOutcome(ownStarted.outTradeNo)
        XCTAssertEqual(own.state, .unresolved)
        do {
            _ = try await b.engine.beginPayment(amount: Amount(cents: 300), channel: .alipay)
            XCTFail("B's own unresolved sale blocks B")
        } catch {
            XCTAssertEqual(error, .busy(outTradeNo: own.outTradeNo, state: .unresolved))
        }
        let elsewhere = await b.engine.unfinishedElsewhere
        XCTAssertEqual(elsewhere.map(\.outTradeNo), [left.outTradeNo])
    }

    /// The console shows the engine's current attempt as the one running: another terminal's
    /// unfinished sale is listed as elsewhere, never put in front of the cashier here.
    func testAnotherTerminalsUnfinishedSaleIsNotTheCurrentOne() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let left = try await saleLeftUnknownAtA(directory: directory)
        let b = try Harness(directory: directory, terminal: Self.terminalB)
        var snapshot = await b.engine.snapshot
        XCTAssertNil(snapshot.current, "B has nothing of its own to show")
        XCTAssertEqual(snapshot.elsewhere.map(\.outTradeNo), [left.outTradeNo])
        // Back at A it is A's own again, and resumed there.
        let a = try Harness(directory: directory, terminal: Self.terminalA)
        snapshot = await a.engine.snapshot
        XCTAssertEqual(snapshot.current?.outTradeNo, left.outTradeNo)
        XCTAssertEqual(snapshot.elsewhere, [])
    }

    func testJournalLinesWithoutATerminalBelongToTheConfiguredOne() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // A line as qfecr wrote it before attempts recorded their terminal.
        var old = PaymentAttempt(outTradeNo: "T01-20261121063000-0007", kind: .payment, amount: Amount(cents: 4200),
                                 channel: .wechat, createdAt: Date(), tillID: "T01", paymentTimeout: 60, state: .unknown)
        old.history = [AttemptTransition(at: Date(), from: .sending, to: .unknown, note: "test")]
        try Journal(directory: directory).append(old, at: Date())
        let text = try String(contentsOfFile: directory + "/" + Journal.fileName, encoding: .utf8)
        XCTAssertFalse(text.contains("\"terminal\""), "the line has no terminal field")

        // Flags point this run at B while the configuration names A: the old sale is A's.
        let atB = try Harness(directory: directory, terminal: Self.terminalB, configuredTerminal: Self.terminalA)
        atB.transport.script(.inquiry, always: .answer(Terminal.notFound))
        let resumedAtB = await atB.engine.resumePending()
        XCTAssertEqual(resumedAtB, [])
        let bound = await atB.engine.attempt(old.outTradeNo)?.terminal
        XCTAssertEqual(bound, Self.terminalA)
        _ = try await atB.pay(500)
        XCTAssertEqual(atB.journal.attempts.first?.state, .unknown)

        // The configured terminal itself resumes it, and from then on the journal says whose it is.
        let atA = try Harness(directory: directory, terminal: Self.terminalA, configuredTerminal: Self.terminalA)
        atA.transport.script(.inquiry, .answer(Terminal.approved))
        let resumedAtA = await atA.engine.resumePending()
        XCTAssertEqual(resumedAtA.map(\.outTradeNo), [old.outTradeNo])
        let settled = await atA.runToOutcome(old.outTradeNo)
        XCTAssertEqual(settled.state, .approved)
        XCTAssertEqual(atA.journal.attempts.first?.terminal, Self.terminalA)
    }

    func testIdentityOfEachTransportNamesNoSecret() {
        var profile = TerminalProfile()
        profile.transport = .https
        profile.host = "Till-Terminal.local"
        profile.posKey = Secret("f46b1f08bec1f39104792cc79ec9aacd")
        XCTAssertEqual(TerminalIdentity(profile: profile), TerminalIdentity(transport: .https, address: "till-terminal.local", port: 9001))
        XCTAssertEqual(TerminalIdentity(profile: profile)?.description, "HTTPS till-terminal.local:9001")
        profile.transport = .serial
        XCTAssertNil(TerminalIdentity(profile: profile), "serial without a device reaches nothing")
        profile.device = "/dev/ttyUSB0"
        XCTAssertEqual(TerminalIdentity(profile: profile)?.connectionFlags, "--transport serial --device /dev/ttyUSB0")
        profile.transport = .cloud
        profile.terminalId = "A8-0001"
        profile.cloudClientKey = Secret("client-secret-9876")
        let cloud = TerminalIdentity(profile: profile)
        XCTAssertEqual(cloud?.description, "cloud terminal A8-0001")
        for text in [cloud?.description ?? "", cloud?.connectionFlags ?? ""] {
            XCTAssertFalse(text.contains("9876") || text.contains("aacd"), text)
        }
        XCTAssertNotEqual(TerminalIdentity(transport: .http, address: "10.0.0.5", port: 9001),
                          TerminalIdentity(transport: .https, address: "10.0.0.5", port: 9001), "another transport is another terminal")
    }
}
