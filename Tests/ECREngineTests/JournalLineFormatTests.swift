import XCTest
import Foundation
import ECRProtocol
import ECRTransport
@testable import ECREngine

/// A journal line holds one transition: its size does not grow with the attempt's story, the
/// history is rebuilt when reading, and journals written in the older format are still read.
final class JournalLineFormatTests: XCTestCase {
    private func size(_ directory: String) -> Int {
        let path = directory + "/" + Journal.fileName
        return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
    }

    private func lines(_ directory: String) throws -> [String] {
        try String(contentsOfFile: directory + "/" + Journal.fileName, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// 30 sales refused while one stays unresolved: each run resumes it (a few small lines) and the
    /// refusal itself writes nothing, so the journal grows by the same bounded amount every time.
    func testRefusedSalesWhileOneIsUnresolvedGrowTheJournalLinearly() async throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try Harness(directory: directory)
        first.transport.script(.payment, .fail(Terminal.timeout))
        first.transport.script(.inquiry, always: .answer(Terminal.processing))
        let stuck = try await first.pay(5300)
        XCTAssertEqual(stuck.state, .unresolved)

        var growth: [Int] = []
        for run in 0..<30 {
            let before = size(directory)
            let h = try Harness(directory: directory, clock: first.clock)
            h.transport.script(.inquiry, always: .answer(Terminal.processing))
            await h.engine.resumePending()
            let again = await h.runToOutcome(stuck.outTradeNo)
            XCTAssertEqual(again.state, .unresolved, "run \(run)")
            do {
                _ = try await h.engine.beginPayment(amount: Amount(cents: 100 + Int64(run)), channel: .alipay)
                XCTFail("run \(run): a sale must be refused while one is unresolved")
            } catch {
                XCTAssertEqual(error, .busy(outTradeNo: stuck.outTradeNo, state: .unresolved))
            }
            growth.append(size(directory) - before)
        }
        XCTAssertLessThan(growth.max() ?? .max, 2_000, "a refused run appends a bounded amount: \(growth)")
        XCTAssertLessThanOrEqual((growth.max() ?? 0) - (growth.min() ?? 0), 16, "no run appends more than the one before: \(growth)")
        let all = try lines(directory)
        let longest = all.map(\.utf8.count).max() ?? 0
        XCTAssertLessThan(longest, 1_200, "a line holds one transition, not the whole history")
        let read = try JournalReader.read(directory: directory)
        XCTAssertTrue(read.problems.isEmpty, "\(read.problems)")
        let history = try XCTUnwrap(read.attempts.first { $0.outTradeNo == stuck.outTradeNo }?.history)
        XCTAssertEqual(history.count, all.count, "every step is kept, one per line")
        XCTAssertEqual(Array(history.prefix(stuck.history.count)), stuck.history)
    }

    /// The history read back equals the one the engine built, step for step.
    func testHistoryReadBackEqualsTheEnginesHistory() async throws {
        let h = try Harness()
        h.transport.script(.payment, .fail(Terminal.timeout))
        h.transport.script(.inquiry, .answer(Terminal.notFound), .answer(Terminal.processing), .answer(Terminal.approved))
        let attempt = try await h.pay(1234)
        XCTAssertEqual(attempt.state, .approved)
        XCTAssertEqual(h.journal.attempts.last, attempt)
        XCTAssertEqual(try lines(h.directory).count, attempt.history.count, "one line per step")
        for line in try lines(h.directory) {
            XCTAssertTrue(line.hasPrefix(#"{"v":2,"#), line)
        }
    }

    /// Journals written before (format 1: the whole history on every line) are read as they were,
    /// and a format-2 line written after them continues that history.
    func testOlderLinesWithTheWholeHistoryAreStillRead() throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let start = PaymentAttempt(outTradeNo: "T01-20261121063000-0001", kind: .payment, amount: Amount(cents: 700),
                                   channel: .alipay, createdAt: Date(timeIntervalSince1970: 1_795_242_720), tillID: "T01",
                                   paymentTimeout: 60)
        let old = try formatOneLines(start, through: [.created, .sending, .unknown]) { "old \($0)" }
        let text = old.text
        var attempt = old.attempt
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/" + Journal.fileName, contents: Data(text.utf8),
                                       attributes: [.posixPermissions: 0o600])
        let journal = try Journal(directory: directory)
        XCTAssertEqual(journal.everything, [attempt])
        attempt.history.append(AttemptTransition(at: attempt.createdAt, from: .unknown, to: .approved, note: "new"))
        attempt.state = .approved
        try journal.append(attempt, at: attempt.createdAt)
        let last = try XCTUnwrap(try lines(directory).last)
        XCTAssertTrue(last.hasPrefix(#"{"v":2,"#))
        XCTAssertEqual(last.components(separatedBy: #""to":"#).count - 1, 1, "the new line holds only the new step: \(last)")
        XCTAssertEqual(try JournalReader.read(directory: directory).attempts, [attempt])
    }
}
