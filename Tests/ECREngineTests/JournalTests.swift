import TestSupport
import ECRConfiguration
import XCTest
import Foundation
import ECRProtocol
@testable import ECREngine

final class JournalTests: XCTestCase {
    private var directory = ""

    override func setUp() {
        directory = Harness.temporaryDirectory()
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func attempt(_ id: String, _ state: AttemptState, cents: Int64 = 1000) -> PaymentAttempt {
        var a = PaymentAttempt(outTradeNo: id, kind: .payment, amount: Amount(cents: cents), channel: .alipay,
                               createdAt: Date(timeIntervalSince1970: 1_795_242_720), tillID: "T01", paymentTimeout: 60)
        a.state = state
        a.history = [AttemptTransition(at: a.createdAt, from: nil, to: state, note: "test")]
        return a
    }

    private var path: String { directory + "/" + Journal.fileName }

    private func mode(_ path: String) -> UInt32 {
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        return UInt32(info.st_mode & 0o777)
    }

    private func appendRaw(_ text: String) throws {
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    func testANewJournalIsPrivate() throws {
        let journal = try Journal(directory: directory + "/nested/qfecr")
        try journal.append(attempt("A", .created), at: Date())
        XCTAssertEqual(mode(journal.path), 0o600)
        XCTAssertEqual(mode(directory + "/nested/qfecr"), 0o700)
        XCTAssertTrue(journal.problems.isEmpty)
    }

    func testAJournalReadableByOthersIsFixedAndReported() throws {
        do {
            let journal = try Journal(directory: directory)
            try journal.append(attempt("A", .approved), at: Date())
        }
        XCTAssertEqual(chmod(path, 0o644), 0)
        let reopened = try Journal(directory: directory)
        XCTAssertEqual(mode(path), 0o600)
        XCTAssertEqual(reopened.problems.count, 1)
        XCTAssertNil(reopened.problems.first?.line)
        XCTAssertTrue(reopened.problems.first?.reason.contains("644") ?? false, "\(reopened.problems)")
        XCTAssertEqual(reopened.everything.map(\.outTradeNo), ["A"])
    }

    func testTheLatestSnapshotPerOutTradeNoWinsInFirstSeenOrder() throws {
        let journal = try Journal(directory: directory)
        try journal.append(attempt("A", .created), at: Date())
        try journal.append(attempt("B", .created), at: Date())
        try journal.append(attempt("A", .approved), at: Date())
        try journal.append(attempt("B", .declined), at: Date())
        let read = try JournalReader.read(directory: directory)
        XCTAssertEqual(read.attempts.map(\.outTradeNo), ["A", "B"])
        XCTAssertEqual(read.attempts.map(\.state), [.approved, .declined])
        XCTAssertEqual(read.lastSequence, 4)
        XCTAssertEqual(read.lineCount, 4)
        XCTAssertTrue(read.problems.isEmpty)
    }

    func testALineHoldsTheAttemptsFieldsAndNothingSecret() throws {
        let journal = try Journal(directory: directory)
        var a = attempt("T01-20261121063200-0001", .approved)
        a.syssn = "20261121000100020001"
        try journal.append(a, at: Date(timeIntervalSince1970: 1_795_242_721.5))
        let text = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(text.hasPrefix(#"{"v":2,"seq":1,"time":"2026-11-21T06:32:01.500Z","out_trade_no":"T01-20261121063200-0001","attempt":{"#), text)
        XCTAssertTrue(text.hasSuffix("}\n"))
        XCTAssertEqual(text.filter { $0 == "\n" }.count, 1)
        XCTAssertFalse(text.lowercased().contains("key"), "the engine never holds the POS-KEY")
    }

    func testCorruptAndTornLinesAreReportedAndSkipped() throws {
        do {
            let journal = try Journal(directory: directory)
            try journal.append(attempt("A", .created), at: Date())
            try journal.append(attempt("A", .approved), at: Date())
        }
        try appendRaw("garbage \u{01} from a bad sector\n")
        try appendRaw(#"{"v":1,"seq":3,"time":"2026-11-21T06:32:01.000Z","out_trade_no":"B"}"# + "\n")
        try appendRaw(#"{"v":1,"seq":4,"time":"yesterday","out_trade_no":"C","attempt":{}}"# + "\n")
        do {
            let journal = try Journal(directory: directory)
            try journal.append(attempt("D", .approved), at: Date())
        }
        try appendRaw(#"{"v":1,"seq":9,"time":"2026-11-21T06:3"#)

        let read = try JournalReader.read(directory: directory)
        XCTAssertEqual(read.attempts.map(\.outTradeNo), ["A", "D"])
        XCTAssertEqual(read.attempts.first?.state, .approved)
        XCTAssertEqual(read.problems.map(\.line), [3, 4, 5, 7])
        guard read.problems.count == 4 else { return XCTFail("\(read.problems)") }
        XCTAssertTrue(read.problems[0].reason.contains("not JSON"), read.problems[0].reason)
        XCTAssertTrue(read.problems[1].reason.contains("attempt"), read.problems[1].reason)
        XCTAssertTrue(read.problems[3].reason.contains("incomplete last line"), read.problems[3].reason)
        XCTAssertEqual(read.lastSequence, 3, "D got the next sequence after A's two lines")

        // Appending after a torn line keeps the new record on a line of its own.
        let journal = try Journal(directory: directory)
        XCTAssertEqual(journal.problems.count, 4)
        try journal.append(attempt("E", .declined), at: Date())
        let again = try JournalReader.read(directory: directory)
        XCTAssertEqual(again.attempts.map(\.outTradeNo), ["A", "D", "E"])
        XCTAssertEqual(again.problems.map(\.line), [3, 4, 5, 7])
        guard again.problems.count == 4 else { return XCTFail("\(again.problems)") }
        XCTAssertTrue(again.problems[3].reason.contains("not a readable record"), again.problems[3].reason)
    }

    func testAnEngineOnADamagedJournalStartsAndShowsTheProblems() async throws {
        do {
            let journal = try Journal(directory: directory)
            try journal.append(attempt("A", .approved), at: Date())
        }
        try appendRaw("{\"v\":1,\"seq\":2,")
        let h = try Harness(directory: directory)
        let problems = await h.engine.problems
        XCTAssertEqual(problems.count, 1)
        XCTAssertEqual(problems.first?.line, 2)
        let snapshot = await h.engine.snapshot
        XCTAssertEqual(snapshot.problems, problems)
        let history = await h.engine.attempts
        XCTAssertEqual(history.map(\.outTradeNo), ["A"])
    }

    func testALongFractionInARecordsTimeDoesNotStopTheTill() throws {
        do {
            let journal = try Journal(directory: directory)
            try journal.append(attempt("A", .sending), at: Date())
            try journal.append(attempt("A", .approved), at: Date())
        }
        // Damage the last line's created_at: a fraction far longer than any clock writes.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let stamp = JournalTime.format(Date(timeIntervalSince1970: 1_795_242_720))
        lines[1] = lines[1].replacingOccurrences(of: "\"created_at\":\"\(stamp)\"",
                                                 with: "\"created_at\":\"2026-11-21T06:32:00.99999999999999999999999999999Z\"")
        XCTAssertNotEqual(lines[1], String(text.split(separator: "\n")[1]), "the test must damage the line")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let reopened = try Journal(directory: directory)
        XCTAssertEqual(reopened.everything.map(\.outTradeNo), ["A"])
        XCTAssertEqual(reopened.everything.first?.state, .approved)
    }

    func testARecordFromAnotherVersionIsReportedNotHidden() throws {
        do {
            let journal = try Journal(directory: directory)
            try journal.append(attempt("A", .approved), at: Date())
        }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: #"{"v":2,"#, with: #"{"v":3,"#)
        try appendRaw(text)
        let read = try JournalReader.read(directory: directory)
        XCTAssertEqual(read.problems.map(\.line), [2])
        XCTAssertTrue(read.problems.first?.reason.contains("format 3") ?? false, "\(read.problems)")
    }

    func testAMissingJournalReadsAsEmpty() throws {
        let read = try JournalReader.read(directory: directory + "/nothing-here")
        XCTAssertTrue(read.attempts.isEmpty)
        XCTAssertTrue(read.problems.isEmpty)
    }

    func testDefaultDirectoryFollowsXDG() {
        XCTAssertEqual(ProfileLoader.dataDirectory(environment: ["XDG_DATA_HOME": "/data", "HOME": "/home/till"]), "/data/qfecr")
        XCTAssertEqual(ProfileLoader.dataDirectory(environment: ["HOME": "/home/till"]), "/home/till/.local/share/qfecr")
        XCTAssertEqual(ProfileLoader.dataDirectory(environment: ["XDG_DATA_HOME": "relative", "HOME": "/home/till"]),
                       "/home/till/.local/share/qfecr")
        XCTAssertNil(ProfileLoader.dataDirectory(environment: [:]))
    }

    func testAHundredThousandLinesAreReadBackInOnePass() throws {
        let attempts = 25_000
        let journal = try Journal(directory: directory)
        let states: [AttemptState] = [.created, .sending, .awaiting, .approved]
        var batch: [PaymentAttempt] = []
        for i in 0..<attempts {
            var a = attempt(String(format: "T01-20261121063200-%05d", i), .created, cents: Int64(100 + i))
            for state in states {
                a.history.append(AttemptTransition(at: a.createdAt, from: a.state, to: state, note: "step \(state.rawValue)"))
                a.state = state
                if state == .approved { a.syssn = "SYS\(i)"; a.respcd = "0000" }
                batch.append(a)
            }
            if batch.count >= 10_000 {
                try journal.appendUnsynced(batch, at: a.createdAt)
                batch.removeAll()
            }
        }
        try journal.appendUnsynced(batch, at: Date())
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0

        let started = Date()
        let read = try JournalReader.read(directory: directory)
        let readTime = Date().timeIntervalSince(started)
        XCTAssertEqual(read.lineCount, attempts * 4)
        XCTAssertEqual(read.attempts.count, attempts)
        XCTAssertEqual(read.lastSequence, UInt64(attempts * 4))
        XCTAssertTrue(read.problems.isEmpty)
        XCTAssertTrue(read.attempts.allSatisfy { $0.state == .approved && $0.history.count == 5 })
        guard read.attempts.count == attempts else { return }
        XCTAssertEqual(read.attempts[12_345].syssn, "SYS12345")
        XCTAssertEqual(read.attempts[12_345].amount, Amount(cents: 12_445))

        let engineStart = Date()
        let engine = try PaymentEngine(transport: ScriptedTransport(clock: TestClock(), journalDirectory: directory),
                                       terminal: Harness.terminal, journal: Journal(directory: directory), clock: TestClock(), settings: Harness.settings)
        _ = engine
        let engineTime = Date().timeIntervalSince(engineStart)
        print("journal: \(attempts * 4) lines, \(size / 1_000_000) MB read in \(String(format: "%.2f", readTime)) s; engine opened it in \(String(format: "%.2f", engineTime)) s")
    }
}

final class JournalTimeTests: XCTestCase {
    func testTimesRoundTripToTheMillisecond() {
        for seconds in [0.0, 1_795_242_720.123, 951_782_400.999, 1_795_242_720] {
            let date = Date(timeIntervalSince1970: seconds)
            let text = JournalTime.format(date)
            let back = JournalTime.parse(text)
            XCTAssertEqual(back?.timeIntervalSince1970 ?? -1, seconds, accuracy: 0.0011, text)
        }
        XCTAssertEqual(JournalTime.format(Date(timeIntervalSince1970: 1_795_242_720.5)), "2026-11-21T06:32:00.500Z")
        XCTAssertEqual(JournalTime.parse("2026-11-21T06:32:00Z")?.timeIntervalSince1970, 1_795_242_720)
        for bad in ["", "yesterday", "2026-13-21T06:32:00.000Z", "2026-11-21 06:32:00.000Z", "2026-11-21T06:32:00.000"] {
            XCTAssertNil(JournalTime.parse(bad), bad)
        }
    }

    /// A hand-edited or damaged journal must not stop the till at start: a long fraction of a second
    /// is read to the millisecond (digits beyond are ignored), a non-digit in it is refused.
    func testALongFractionIsReadNotATrap() {
        let long = "2026-11-21T06:32:00.1234567890123456789012345678901234567890Z"
        XCTAssertEqual(JournalTime.parse(long)?.timeIntervalSince1970 ?? -1, 1_795_242_720.123, accuracy: 0.0005)
        XCTAssertEqual(JournalTime.parse("2026-11-21T06:32:00.123456789Z")?.timeIntervalSince1970 ?? -1, 1_795_242_720.123, accuracy: 0.0005)
        XCTAssertNil(JournalTime.parse("2026-11-21T06:32:00.12345678901234567890123x5Z"))
    }
}
