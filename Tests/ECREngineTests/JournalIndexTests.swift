import TestSupport
import XCTest
import Foundation
import ECRProtocol
@testable import ECREngine

/// DESIGN.md step 6: a journal of years is not read whole at start. The index beside it is checked
/// against the lines and rebuilt from them whenever it does not match; what the engine reads
/// through it is what a full read gives.
final class JournalIndexTests: XCTestCase {
    private var directory = ""
    /// 2026-11-01 00:00:00 UTC.
    private let day0 = Date(timeIntervalSince1970: 1_793_491_200)

    override func setUp() {
        directory = Harness.temporaryDirectory()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private var path: String { directory + "/" + Journal.fileName }
    private var indexPath: String { directory + "/" + Journal.indexFileName }

    private func day(_ n: Int, _ seconds: TimeInterval = 0) -> Date { day0.addingTimeInterval(Double(n) * 86_400 + seconds) }

    /// The snapshots a till writes for sale `n` created at `created`, one per step.
    private func sale(_ n: Int, at created: Date, steps: [AttemptState] = [.created, .sending, .awaiting, .approved],
                      refundOf sale: String? = nil) -> [PaymentAttempt] {
        let id = "T01-\(OutTradeNoGenerator.stamp(created, timeZone: TimeZone(identifier: "UTC")!))-\(String(format: "%04d", n))"
        var attempt = PaymentAttempt(outTradeNo: id, kind: sale == nil ? .payment : .refund, amount: Amount(cents: Int64(100 + n)),
                                     channel: .alipay, createdAt: created, tillID: "T01", paymentTimeout: 60)
        attempt.terminal = Harness.terminal
        if let sale { attempt.refund = RefundOrigin(originalSyssn: sale, requestedAmount: Amount(cents: 50)) }
        var lines: [PaymentAttempt] = []
        for state in steps {
            attempt.history.append(AttemptTransition(at: created, from: attempt.history.last?.to, to: state, note: "step"))
            attempt.state = state
            if state == .approved { attempt.syssn = "SYS\(n)"; attempt.respcd = "0000" }
            lines.append(attempt)
        }
        return lines
    }

    /// `days` days of `perDay` approved sales each from 09:00, from day `fromDay`; returns the out_trade_nos in order.
    @discardableResult
    private func writeDays(_ days: Int, perDay: Int, into journal: Journal, first: Int = 0, fromDay: Int = 0) throws -> [String] {
        var ids: [String] = []
        for d in 0..<days {
            for i in 0..<perDay {
                let created = day(fromDay + d, 9 * 3600 + Double(i) * 60)
                let lines = sale(first + d * perDay + i, at: created)
                try journal.appendUnsynced(lines, at: created)
                ids.append(lines[0].outTradeNo)
            }
        }
        return ids
    }

    private func fullRead() throws -> JournalContents { try JournalReader.read(directory: directory) }

    // MARK: Start-up

    /// A sale left unknown a week ago, among 568 closed ones on 31 days: found and resumed at start,
    /// though start-up reads only the newest days; older history comes a page at a time, all of it
    /// once, in journal order.
    func testAnOpenAttemptFromAWeekAgoIsResumedAmongManyClosedOnes() async throws {
        var open: PaymentAttempt
        do {
            let journal = try Journal(directory: directory)
            try writeDays(24, perDay: 12, into: journal)
            let lines = sale(9_999, at: day(23, 10 * 3600), steps: [.created, .sending, .unknown])
            open = lines.last!
            try journal.appendUnsynced(lines, at: day(23, 10 * 3600))
            try writeDays(7, perDay: 40, into: journal, first: 300, fromDay: 24)
            try journal.writeIndex()
        }
        let h = try Harness(directory: directory, clock: TestClock(wall: day(30, 18 * 3600)))
        let loaded = await h.engine.attempts
        XCTAssertTrue(loaded.contains(open), "the week-old unknown sale is read at start")
        XCTAssertLessThan(loaded.count, 300, "start-up reads the newest days, not 569 attempts")
        XCTAssertFalse(loaded.contains { $0.createdAt < day(24) && $0 != open }, "nor the days around the unknown sale")
        let snapshot = await h.engine.snapshot
        XCTAssertEqual(snapshot.pending.map(\.outTradeNo), [open.outTradeNo])
        XCTAssertTrue(snapshot.hasOlderHistory)

        h.transport.script(.inquiry, .answer(Terminal.approved))
        let resumed = await h.engine.resumePending()
        XCTAssertEqual(resumed.map(\.outTradeNo), [open.outTradeNo])
        let settled = await h.runToOutcome(open.outTradeNo)
        XCTAssertEqual(settled.state, .approved)
        XCTAssertEqual(h.transport.count(.payment), 0)

        // An old id is still known: not given out again, found when asked for.
        let oldest = try XCTUnwrap(try fullRead().attempts.first)
        let found = await h.engine.attempt(oldest.outTradeNo)
        XCTAssertEqual(found?.syssn, oldest.syssn)
        do {
            _ = try await h.engine.beginPayment(amount: Amount(cents: 100), channel: .alipay,
                                                options: PaymentOptions(outTradeNo: oldest.outTradeNo))
            XCTFail("an out_trade_no of an old day must be refused")
        } catch {
            XCTAssertEqual(error, .outTradeNoAlreadyUsed(oldest.outTradeNo))
        }

        var pages = 0
        while await h.engine.readOlderHistory() { pages += 1 }
        XCTAssertGreaterThan(pages, 1)
        let afterPaging = await h.engine.snapshot
        XCTAssertFalse(afterPaging.hasOlderHistory)
        let all = await h.engine.attempts.map(\.outTradeNo)
        XCTAssertEqual(all, try fullRead().attempts.map(\.outTradeNo), "every attempt once, in journal order")
    }

    /// The sequence of new out_trade_nos continues after the highest one in the journal, whatever its day.
    func testNewIdsContinueTheSequenceOfOldDays() async throws {
        do {
            let journal = try Journal(directory: directory)
            try writeDays(10, perDay: 5, into: journal, first: 40)
        }
        let h = try Harness(directory: directory, clock: TestClock(wall: day(20)))
        h.transport.script(.payment, .answer(Terminal.approved))
        let next = try await h.engine.beginPayment(amount: Amount(cents: 100), channel: .alipay)
        XCTAssertTrue(next.outTradeNo.hasSuffix("-0090"), next.outTradeNo)
    }

    // MARK: Days

    /// A sale started a few seconds before midnight and settled after it belongs to its first day:
    /// a range of that day reads it whole and final, the next day's range does not list it.
    func testAnAttemptAcrossMidnightIsReadWholeWithItsFirstDay() throws {
        let journal = try Journal(directory: directory)
        try writeDays(2, perDay: 4, into: journal)
        let late = sale(500, at: day(1, 86_400 - 5))
        try journal.append(late[0], at: day(1, 86_400 - 5))
        try journal.append(late[1], at: day(1, 86_400 - 4))
        try journal.appendUnsynced(sale(501, at: day(2, 20)), at: day(2, 20))
        try journal.append(late[2], at: day(2, 30))
        try journal.append(late[3], at: day(2, 40))
        try writeDays(1, perDay: 4, into: journal, first: 8, fromDay: 2)
        try journal.writeIndex()

        let reader = try XCTUnwrap(try IndexedJournal.reading(directory: directory))
        let first = try reader.attempts(createdFrom: day(1), to: day(2))
        XCTAssertEqual(first.last?.outTradeNo, late[3].outTradeNo)
        XCTAssertEqual(first.last, late[3], "the whole attempt, its last step from the next day included")
        XCTAssertEqual(first.count, 5)
        let second = try reader.attempts(createdFrom: day(2), to: day(3))
        XCTAssertFalse(second.contains { $0.outTradeNo == late[0].outTradeNo })
        XCTAssertEqual(second.count, 5)
        XCTAssertEqual(try reader.attempts(createdFrom: nil, to: nil).map(\.outTradeNo), try fullRead().attempts.map(\.outTradeNo))

        // Paging back from the newest day reads the late sale whole with its day.
        let recent = try journal.recent(since: day(2), atLeast: 1)
        XCTAssertFalse(recent.entries.contains { $0.attempt.outTradeNo == late[0].outTradeNo })
        let older = try journal.page(before: try XCTUnwrap(recent.older), atLeast: 1)
        XCTAssertEqual(older.entries.last?.attempt, late[3])
    }

    /// A sale's refunds on later days, and lookups by syssn, reach every day.
    func testRefundsOfASaleAreFoundOnAnyDay() throws {
        let journal = try Journal(directory: directory)
        try journal.appendUnsynced(sale(1, at: day(0, 3600)), at: day(0, 3600))
        try writeDays(2, perDay: 3, into: journal, first: 10)
        let early = sale(2, at: day(2, 7200), refundOf: "SYS1")
        let later = sale(3, at: day(6, 7200), refundOf: "SYS1")
        try journal.appendUnsynced(early, at: day(2, 7200))
        try writeDays(3, perDay: 3, into: journal, first: 30, fromDay: 2)
        try journal.appendUnsynced(later, at: day(6, 7200))
        try journal.writeIndex()
        try journal.appendUnsynced(sale(4, at: day(7), refundOf: "SYS1"), at: day(7))

        let reader = try XCTUnwrap(try IndexedJournal.reading(directory: directory))
        XCTAssertEqual(try reader.refunds(ofSales: ["SYS1"]).map(\.outTradeNo),
                       [early[0].outTradeNo, later[0].outTradeNo, sale(4, at: day(7))[0].outTradeNo],
                       "refunds in the index and after it, oldest first")
        XCTAssertEqual(try reader.attempt(syssn: "SYS1")?.outTradeNo, sale(1, at: day(0, 3600))[0].outTradeNo)
        XCTAssertEqual(try reader.attempt(syssn: "SYS3")?.kind, .refund)
        XCTAssertNil(try reader.attempt(syssn: "nothing"))
    }

    // MARK: Crashes and stale indexes

    /// The till killed mid-line, and lines written after the index (never written again): the next
    /// start reads the lines after the index, names the torn line, finds the unfinished attempt
    /// there, and the next line starts on a line of its own.
    func testLinesAfterTheIndexAndATornLineAreReadAtStart() throws {
        do {
            let journal = try Journal(directory: directory)
            try writeDays(4, perDay: 5, into: journal)
            try journal.writeIndex()
            try journal.appendUnsynced(sale(100, at: day(4, 3600), steps: [.created, .sending]), at: day(4, 3600))
        }
        try appendRaw(#"{"v":2,"seq":999,"time":"2026-11-05T01:00:00.000Z","out_trade_no":"T01-torn","att"#)

        let journal = try Journal(directory: directory)
        XCTAssertEqual(journal.indexStatus, .current(caughtUp: 2))
        XCTAssertEqual(journal.problems, try fullRead().problems)
        XCTAssertEqual(journal.problems.last?.line, 83)
        let page = try journal.recent(since: day(4), atLeast: 1)
        XCTAssertEqual(page.entries.last?.attempt.state, .sending)
        try journal.append(sale(101, at: day(4, 7200))[0], at: day(4, 7200))
        let read = try fullRead()
        XCTAssertEqual(read.attempts.last?.outTradeNo, sale(101, at: day(4, 7200))[0].outTradeNo)
        XCTAssertEqual(journal.reading.problems, read.problems, "the torn line is now a damaged line of its own")
        XCTAssertEqual(journal.problems.last?.reason.hasPrefix("incomplete last line"), true, "as found at open")
        XCTAssertEqual(journal.everything, read.attempts)
    }

    /// Whatever makes the index wrong, it is found out (at open, or when a line read through it does
    /// not match) and rebuilt from the lines; what is read is always what a full read gives.
    func testAStaleIndexIsRebuiltNotTrusted() throws {
        let damages: [(String, () throws -> Void)] = [
            ("the journal replaced by a copy", {
                try FileManager.default.copyItem(atPath: self.path, toPath: self.path + ".copy")
                try FileManager.default.removeItem(atPath: self.path)
                try FileManager.default.moveItem(atPath: self.path + ".copy", toPath: self.path)
            }),
            ("the journal cut short", { try self.rewriteJournal { Array($0.dropLast(6)) } }),
            ("the journal's last line changed", {
                try self.rewriteJournal { lines in
                    var lines = lines
                    lines[lines.count - 1] = lines[lines.count - 1].replacingOccurrences(of: "\"step\"", with: "\"STEP\"")
                    return lines
                }
            }),
            ("a middle line edited in place, the same length", {
                try self.rewriteJournal { lines in
                    var lines = lines
                    lines[11] = lines[11].replacingOccurrences(of: "\"state\":\"approved\"", with: "\"state\":\"awaiting\"")
                    return lines
                }
            }),
            ("a byte of the summary changed", { try self.flipIndexByte(at: 60) }),
            ("the index cut short", { try self.rewriteIndex { Array($0.prefix($0.count / 2)) } }),
        ]
        for (what, damage) in damages {
            try? FileManager.default.removeItem(atPath: directory)
            do {
                let journal = try Journal(directory: directory)
                try writeDays(6, perDay: 4, into: journal)
                try journal.appendUnsynced(sale(50, at: day(6), steps: [.created, .sending, .unresolved]), at: day(6))
                try journal.writeIndex()
            }
            try damage()
            let journal = try Journal(directory: directory)
            guard case .rebuilt = journal.indexStatus else { return XCTFail("\(what): \(journal.indexStatus)") }
            let read = try fullRead()
            XCTAssertEqual(journal.everything, read.attempts, what)
            XCTAssertEqual(journal.problems, read.problems, what)
            let reopened = try Journal(directory: directory)
            XCTAssertEqual(reopened.indexStatus, .current(caughtUp: 0), "\(what): the rebuilt index is written")
        }
    }

    /// Damage found only when a line is read through the index (a block of rows, a line edited by
    /// hand in the middle to the same length): the read rebuilds the index and reads again.
    func testDamageFoundWhileReadingRebuildsAndReadsAgain() throws {
        do {
            let journal = try Journal(directory: directory)
            try writeDays(6, perDay: 4, into: journal)
            try journal.writeIndex()
        }
        // The rows' first block: a changed byte fails its hash on the first lookup.
        let text = try Data(contentsOf: URL(fileURLWithPath: indexPath))
        let rowsAt = try XCTUnwrap(text.range(of: Data("T01-20261101".utf8), options: [], in: text.index(text.startIndex, offsetBy: 200)..<text.endIndex))
        try flipIndexByte(at: rowsAt.lowerBound + 5)
        let oldest = try XCTUnwrap(try fullRead().attempts.first)
        let journal = try Journal(directory: directory)
        XCTAssertEqual(journal.indexStatus, .current(caughtUp: 0))
        XCTAssertEqual(try journal.attempt(oldest.outTradeNo), oldest)
        guard case .rebuilt = journal.indexStatus else { return XCTFail("\(journal.indexStatus)") }

        // A line of day 2 edited by hand to name another attempt, same length: read through the
        // index, that day no longer matches it.
        try rewriteJournal { lines in
            var lines = lines
            let target = lines.firstIndex { $0.contains("T01-20261103") }!
            lines[target] = lines[target].replacingOccurrences(of: "T01-20261103", with: "T01-20261199")
            return lines
        }
        let reader = try XCTUnwrap(try IndexedJournal.reading(directory: directory))
        let dayTwo = try reader.attempts(createdFrom: day(2), to: day(3))
        guard case .rebuilt = reader.status else { return XCTFail("\(reader.status)") }
        let expected = try fullRead().attempts.filter { $0.createdAt >= day(2) && $0.createdAt < day(3) }
        XCTAssertEqual(dayTwo, expected)
    }

    /// A crash while the index was written leaves a half-written new file and the old index: the
    /// old one is used (and caught up), the half-written one removed.
    func testACrashWhileWritingTheIndexLosesNothing() throws {
        do {
            let journal = try Journal(directory: directory)
            try writeDays(3, perDay: 4, into: journal)
            try journal.writeIndex()
            try journal.appendUnsynced(sale(70, at: day(3), steps: [.created, .sending, .unknown]), at: day(3))
        }
        let partial = directory + "/" + JournalIndexFile.partialPrefix + "1234-5"
        FileManager.default.createFile(atPath: partial, contents: Data("qfecr-journal-index 1\ncovers 1".utf8))
        let journal = try Journal(directory: directory)
        XCTAssertEqual(journal.indexStatus, .current(caughtUp: 3))
        XCTAssertFalse(FileManager.default.fileExists(atPath: partial))
        XCTAssertEqual(journal.everything, try fullRead().attempts)
        XCTAssertEqual(try journal.recent(since: day(3), atLeast: 0).entries.map(\.attempt.state), [.unknown])
    }

    // MARK: Journals from before the index

    /// A journal written before the index (one file, format-1 and format-2 lines, a damaged line) is
    /// indexed once when opened, left as it was, and read the same way after.
    func testAJournalFromBeforeTheIndexIsIndexedOnceAndReadTheSame() throws {
        let start = PaymentAttempt(outTradeNo: "T01-20261101090000-0001", kind: .payment, amount: Amount(cents: 700),
                                   channel: .alipay, createdAt: day(0, 3600), tillID: "T01", paymentTimeout: 60)
        let old = try formatOneLines(start, through: [.created, .sending, .unknown]) { _ in "old" }
        let attempt = old.attempt
        var text = old.text
        let encoder = JournalRecord.encoder()
        text += "garbage from a bad sector\n"
        for (seq, lines) in [sale(2, at: day(1)), sale(3, at: day(2))].enumerated() {
            for (step, line) in lines.enumerated() {
                var written = line
                written.history = [line.history[step]]
                let record = JournalRecord(v: 2, seq: UInt64(10 + seq * 4 + step), time: line.createdAt, outTradeNo: line.outTradeNo, attempt: written)
                text += String(decoding: try record.line(using: encoder), as: UTF8.self)
            }
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])

        let journal = try Journal(directory: directory)
        XCTAssertEqual(journal.indexStatus, .built)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), text, "the journal itself is not touched")
        let info = try FileManager.default.attributesOfItem(atPath: indexPath)
        XCTAssertEqual((info[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let read = try fullRead()
        XCTAssertEqual(journal.everything, read.attempts)
        XCTAssertEqual(journal.problems, read.problems)
        XCTAssertEqual(journal.problems.map(\.line), [4])
        XCTAssertEqual(try journal.recent(since: day(2), atLeast: 0).entries.map(\.attempt.outTradeNo),
                       [attempt.outTradeNo, sale(3, at: day(2))[0].outTradeNo], "the old unknown sale and the newest day")

        let reopened = try Journal(directory: directory)
        XCTAssertEqual(reopened.indexStatus, .current(caughtUp: 0))
        XCTAssertEqual(reopened.everything, read.attempts)
        XCTAssertEqual(reopened.problems, read.problems)
    }

    /// While the till runs, the index is written again every few thousand lines.
    func testALongRunWritesTheIndexAgain() throws {
        do {
            let journal = try Journal(directory: directory)
            try writeDays(2, perDay: Journal.indexEvery / 8 + 1, into: journal)
        }
        let journal = try Journal(directory: directory)
        guard case .current(let caughtUp) = journal.indexStatus else { return XCTFail("\(journal.indexStatus)") }
        XCTAssertLessThan(caughtUp, Journal.indexEvery)
    }

    // MARK: Helpers

    private func appendRaw(_ text: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    /// Rewrites the journal in place (same file), line by line.
    private func rewriteJournal(_ change: ([String]) -> [String]) throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: path))
        try handle.truncate(atOffset: 0)
        handle.write(Data((change(lines).joined(separator: "\n") + "\n").utf8))
        try handle.close()
    }

    private func rewriteIndex(_ change: ([UInt8]) -> [UInt8]) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: indexPath)))
        try Data(change(bytes)).write(to: URL(fileURLWithPath: indexPath))
    }

    private func flipIndexByte(at offset: Int) throws {
        try rewriteIndex { bytes in
            var bytes = bytes
            bytes[offset] = bytes[offset] == UInt8(ascii: "7") ? UInt8(ascii: "8") : UInt8(ascii: "7")
            return bytes
        }
    }
}

/// The index's text as `Fuzz/make-seeds.py` writes it from its description (an independent writer):
/// read back field for field.
final class JournalIndexTextTests: XCTestCase {
    private var seeds: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fuzz/Corpus/journal_index").path
    }

    func testAnIndexWrittenFromItsDescriptionIsRead() throws {
        let directory = Harness.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: seeds + "/open-and-damaged", toPath: directory + "/" + JournalIndexFile.fileName)
        let loaded = try XCTUnwrap(try JournalIndexFile.load(directory: directory))
        XCTAssertEqual(loaded.index.coverage.bytes, 4000)
        XCTAssertEqual(loaded.index.chunks.map(\.day), [20261121])
        XCTAssertEqual(loaded.index.open.map(\.outTradeNo), ["T01-20261121063300-0002"])
        XCTAssertEqual(loaded.index.problems, [JournalProblem(line: 7, reason: "not a readable record")])
        XCTAssertEqual(try loaded.table.row("T01-20261121063200-0001")?.syssn, "20261121000100020001")
        XCTAssertNil(try loaded.table.row("T01-20261121063400-0003"))

        try FileManager.default.removeItem(atPath: directory + "/" + JournalIndexFile.fileName)
        try FileManager.default.copyItem(atPath: seeds + "/many-rows", toPath: directory + "/" + JournalIndexFile.fileName)
        let many = try XCTUnwrap(try JournalIndexFile.load(directory: directory))
        XCTAssertEqual(try many.table.blocks().count, 3)
        XCTAssertEqual(try many.table.row("T01-20261121000149-0149")?.first, 14_900)
        var count = 0
        try many.table.forEachRow { _ in count += 1 }
        XCTAssertEqual(count, 150)

        try FileManager.default.removeItem(atPath: directory + "/" + JournalIndexFile.fileName)
        try FileManager.default.copyItem(atPath: seeds + "/half-written", toPath: directory + "/" + JournalIndexFile.fileName)
        XCTAssertThrowsError(try JournalIndexFile.load(directory: directory))
    }
}
