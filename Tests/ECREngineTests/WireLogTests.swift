import ECRProtocol
import ECRTransport
import Foundation
import TestSupport
import XCTest
@testable import ECREngine

final class WireLogTests: XCTestCase {
    private let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func testAnExchangeKeepsItsRequestAnswerAndTheBytesEachWay() {
        let log = WireLog(capacity: 10)
        let id = log.begin(.inquiry(.outTradeNo("A1")), at: t0)
        log.observe(WireEvent(direction: .outbound, label: "x", bytes: [1, 2]))
        log.observe(WireEvent(direction: .inbound, label: "x", bytes: [3]))
        log.observe(WireEvent(direction: .inbound, label: "x", bytes: [4]))
        log.finish(id, .success(Terminal.approved), at: t0.addingTimeInterval(1))
        let entry = log.entries[0]
        XCTAssertEqual(entry.id, id)
        XCTAssertEqual(entry.operation, .inquiry)
        XCTAssertEqual(entry.sent, [1, 2])
        XCTAssertEqual(entry.received, [3, 4])
        XCTAssertTrue(entry.finished)
        XCTAssertEqual(entry.response, Terminal.approved)
        XCTAssertTrue(entry.requestJSON?.contains("\"out_trade_no\":\"A1\"") ?? false, entry.requestJSON ?? "")
        XCTAssertTrue(entry.answerLine?.hasPrefix("6000/0000") ?? false, entry.answerLine ?? "")
    }

    func testAFailureKeepsItsKindAndOverlappingRequestsKeepTheirOwnBytes() {
        let log = WireLog(capacity: 10)
        let trade = log.begin(.payment(PaymentRequest(amount: Amount(cents: 500), channel: .alipay, outTradeNo: "A1")), at: t0)
        log.observe(WireEvent(direction: .outbound, label: "x", bytes: [0xAA]))
        let poll = log.begin(.inquiry(.outTradeNo("A1")), at: t0)
        log.observe(WireEvent(direction: .outbound, label: "x", bytes: [0xBB]))
        log.observe(WireEvent(direction: .inbound, label: "x", bytes: [0xCC]))
        log.finish(poll, .success(Terminal.processing), at: t0)
        log.finish(trade, .failure(.unknown("no answer within 30 s")), at: t0)
        let entries = log.entries
        XCTAssertEqual(entries.map(\.sent), [[0xAA], [0xBB]])
        XCTAssertEqual(entries.map(\.received), [[], [0xCC]])
        XCTAssertEqual(entries[0].failure, WireLogEntry.Failure(kind: .unknown, detail: "no answer within 30 s"))
        XCTAssertEqual(entries[0].answerLine, "no answer: no answer within 30 s")
    }

    func testTheLogIsARingAndHandsEveryRecordOnToTheTrace() {
        let recorder = WireRecorder()
        let log = WireLog(capacity: 3, forwardingTo: [recorder])
        for n in 0..<5 { log.note("note \(n)", at: t0) }
        log.observe(WireEvent(direction: .outbound, label: "x", bytes: [9]))
        XCTAssertEqual(log.entries.count, 3)
        XCTAssertEqual(log.entries.map(\.id), [4, 5, 6], "ids keep counting past the ring")
        XCTAssertEqual(log.entries.last?.sent, [9], "bytes outside an exchange are kept as a note")
        XCTAssertEqual(recorder.bytes(.outbound), [9])
    }

    func testPacketLinksShowThePacketFields() throws {
        let log = WireLog()
        log.carriesPackets(true)
        let id = log.begin(.printSummary, at: t0)
        let packet = try PacketEncoder().encodeRequest(Array("{}".utf8), ref: 1).flatMap { $0 }
        log.observe(WireEvent(direction: .outbound, label: "x", bytes: packet))
        log.finish(id, .failure(.notSent("refused")), at: t0)
        XCTAssertEqual(log.entries[0].packets(.outbound), ["message ref 0x01, 2 bytes of data"])
    }

    func testTheEngineLogsEveryExchangeAndPublishesEquatableSnapshotsWithResults() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, .answer(Terminal.approved))
        h.transport.script(.printSummary, .fail(.notSent("connection refused")))
        let before = await h.engine.snapshot
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        _ = await h.runToOutcome(started.outTradeNo)
        let stream = await h.engine.snapshots()
        var iterator = stream.makeAsyncIterator()
        _ = await iterator.next()
        _ = try await h.engine.printSummary()
        let after = await h.engine.snapshot
        XCTAssertNotEqual(before, after)
        XCTAssertGreaterThan(after.revision, before.revision)
        let again = await h.engine.snapshot
        XCTAssertEqual(after, again, "nothing changed, the same snapshot")
        XCTAssertEqual(after.log.filter { $0.kind == .exchange }.compactMap(\.operation), [.payment, .inquiry, .printSummary])
        XCTAssertTrue(after.log.allSatisfy(\.finished))
        XCTAssertEqual(after.link.lastFailureKind, .notSent)
        XCTAssertTrue(after.link.failing)
        XCTAssertFalse(after.busy)
        guard case .answered(let answer)? = after.results.last?.outcome else { return XCTFail("no result for subscribers") }
        XCTAssertEqual(answer.failure, .notSent("connection refused"))
        // A refusal reaches subscribers too, not only the caller.
        _ = try? await h.engine.cancelCurrent()
        var seen: EngineSnapshot?
        while let next = await iterator.next() {
            seen = next
            if next.results.count == 2 { break }
        }
        XCTAssertEqual(seen?.results.last?.outcome, .refused(.nothingToCancel))
    }

    func testShutdownStopsTimersAndLeavesTheAttemptAsJournaledForTheNextStart() async throws {
        let h = try Harness()
        h.transport.script(.payment, .answer(Terminal.accepted))
        h.transport.script(.inquiry, always: .answer(Terminal.processing))
        let started = try await h.engine.beginPayment(amount: Amount(cents: 500), channel: .alipay)
        await h.settle()
        let waiting = Task { await h.engine.outcome(of: started.outTradeNo) }
        await h.engine.shutdown()
        let returned = await waiting.value
        XCTAssertEqual(returned?.state.isActive, true, "whoever waited gets the attempt as it stands")
        let inquiries = h.transport.count(.inquiry)
        for _ in 0..<5 { _ = h.clock.advanceToNextWake() }
        for _ in 0..<1000 { await Task.yield() }
        XCTAssertEqual(h.transport.count(.inquiry), inquiries, "nothing is sent after shutdown")
        let journaled = try JournalReader.read(directory: h.directory).attempts.last
        XCTAssertEqual(journaled?.state, returned?.state)
        try h.restart()
        let restarted = await h.engine.snapshot
        XCTAssertEqual(restarted.pending.map(\.outTradeNo), [started.outTradeNo], "resumed on the next start")
    }
}
