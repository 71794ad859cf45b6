import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The till's memory of every payment: append-only JSON lines in `journal.jsonl`, one line per
/// transition, each written with `write` + `fsync` before `append` returns. The file is created with
/// mode 0600 and kept so; a wider mode found at open is fixed and reported.
///
/// Beside it, `journal.index` says where each day's lines and each attempt's lines are, and which
/// attempts are not final, so that opening the journal reads only the index, the lines written after
/// it, the unfinished attempts and the newest days (`recent`), not years of lines. The index is
/// written whole and renamed into place at open when it was missing or behind, every
/// `indexEvery` lines, and by `writeIndex()` when the till stops; it is never trusted beyond what
/// the lines confirm (see `IndexedJournal`).
///
/// Used by one engine at a time; the lock only keeps `append` safe if several tasks share it.
public final class Journal: Sendable {
    public static let fileName = "journal.jsonl"
    public static let indexFileName = JournalIndexFile.fileName
    /// Lines after which the index is written again while the till runs.
    static let indexEvery = 4_000

    public let directory: String
    public var path: String { directory + "/" + Journal.fileName }
    /// The journal read through its index.
    public let reading: IndexedJournal
    /// Problems found at open: the file's mode, damaged lines.
    public let problems: [JournalProblem]

    private let fd: Int32
    private let state: Mutex<Tail>

    /// What the next line depends on: where the file ends and what of each attempt it already holds.
    private struct Tail {
        var sequence: UInt64
        var needsNewline: Bool
        /// How many steps of each attempt's history are on disk, for the attempts read or written
        /// since open: a line carries only the ones after them.
        var recordedSteps: [String: Int] = [:]
        let encoder = JournalRecord.encoder()
        /// Tests only: how many more appends succeed before the disk "fills up" (nil: never).
        var writesBeforeFailure: Int?

        /// The record for one line: the attempt with only the steps not yet on disk. When that is not
        /// known (an attempt on disk but not read since open), or the history is shorter than what is
        /// recorded (not something the engine does), the history is written whole, in format 1.
        func line(for attempt: PaymentAttempt, seq: UInt64, at time: Date, onDisk: (String) -> Bool) -> JournalRecord {
            var written = attempt
            var version = JournalRecord.currentVersion
            let recorded = recordedSteps[attempt.outTradeNo] ?? (onDisk(attempt.outTradeNo) ? nil : 0)
            if let recorded, recorded <= attempt.history.count {
                written.history = Array(attempt.history.dropFirst(recorded))
            } else {
                version = JournalRecord.wholeHistoryVersion
            }
            return JournalRecord(v: version, seq: seq, time: time, outTradeNo: attempt.outTradeNo, attempt: written)
        }
    }

    /// Opens (creating if needed) the journal in `directory` and its index (building it when missing).
    public init(directory: String) throws(JournalError) {
        self.directory = directory
        try Self.makeDirectory(directory)
        let path = directory + "/" + Journal.fileName
        var created = false
        var handle = open(path, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW)
        if handle < 0 && errno == ENOENT {
            handle = open(path, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            created = handle >= 0
        }
        guard handle >= 0 else { throw JournalError("cannot open the journal \(path): \(String(cString: strerror(errno)))") }
        fd = handle
        var problems: [JournalProblem] = []
        do {
            if let fixed = try Self.enforcePrivateMode(fd, path: path) { problems.append(fixed) }
            if created { Self.syncDirectory(directory) }
        } catch {
            close(handle)
            throw error
        }
        JournalIndexFile.removePartials(in: directory)
        reading = try IndexedJournal(fd: handle, path: path, directory: directory, writesIndex: true)
        let map = reading.map
        // As found at open (a torn last line stays "incomplete" though the next line closes it).
        self.problems = problems + map.allProblems
        // A torn last line must stay its own line, not become the start of the next record.
        state = Mutex(Tail(sequence: map.lastSequence, needsNewline: map.tornProblem != nil))
        switch reading.status {
        case .current(let caughtUp) where caughtUp < Self.indexEvery / 2:
            break
        default:
            // The index was missing, rebuilt or well behind: write it now, so the next start is quick.
            try? reading.writeIndex()
        }
    }

    /// How the index was found at open.
    public var indexStatus: JournalIndexStatus { reading.status }

    /// Writes the index for every line so far (the till stopping): the next start reads only it.
    public func writeIndex() throws(JournalError) {
        try state.withLock { (_) throws(JournalError) in try reading.writeIndex() }
    }

    /// What the till shows first (see `IndexedJournal.recent`).
    public func recent(since: Date, atLeast: Int) throws(JournalError) -> JournalPage {
        let page = try reading.recent(since: since, atLeast: atLeast)
        remember(page.entries.map(\.attempt))
        return page
    }

    /// Older history, before `cursor`. Safe from any task: it reads only lines already written.
    public func page(before cursor: JournalCursor, atLeast: Int) throws(JournalError) -> JournalPage {
        let page = try reading.page(before: cursor, atLeast: atLeast)
        remember(page.entries.map(\.attempt))
        return page
    }

    /// The attempt with this out_trade_no, wherever its lines are.
    public func attempt(_ outTradeNo: String) throws(JournalError) -> PaymentAttempt? {
        let found = try reading.attempt(outTradeNo)
        remember([found].compactMap { $0 })
        return found
    }

    /// Notes how many steps of each attempt read are on disk (unless a newer line was written since).
    private func remember(_ attempts: [PaymentAttempt]) {
        state.withLock { tail in
            for attempt in attempts where tail.recordedSteps[attempt.outTradeNo] == nil {
                tail.recordedSteps[attempt.outTradeNo] = attempt.history.count
            }
        }
    }

    /// Appends one snapshot and makes it durable. Returns the record's sequence number.
    @discardableResult
    public func append(_ attempt: PaymentAttempt, at time: Date) throws(JournalError) -> UInt64 {
        let fd = self.fd, path = self.path, reading = self.reading
        return try state.withLock { (tail) throws(JournalError) -> UInt64 in
            if let left = tail.writesBeforeFailure {
                guard left > 0 else { throw JournalError("cannot write the journal: No space left on device") }
                tail.writesBeforeFailure = left - 1
            }
            let next = tail.sequence + 1
            let record = tail.line(for: attempt, seq: next, at: time, onDisk: reading.isKnown)
            var bytes: [UInt8]
            do { bytes = try record.line(using: tail.encoder) } catch {
                throw JournalError("cannot encode the journal record for \(attempt.outTradeNo): \(error)")
            }
            if tail.needsNewline { bytes.insert(0x0A, at: 0) }
            do throws(JournalError) {
                try Self.writeAll(fd, bytes)
            } catch let failure {
                // Part of the line may be on disk: the next record must start on a fresh line.
                tail.needsNewline = true
                throw failure
            }
            tail.needsNewline = false
            // The steps are in the file now, even if the flush below fails: the next line must not repeat them.
            tail.recordedSteps[attempt.outTradeNo] = attempt.history.count
            let flushed = fsync(fd) == 0
            let flushError = errno
            Self.keepIndex(reading, known: [attempt.outTradeNo: attempt])
            guard flushed else {
                throw JournalError("cannot flush the journal \(path) to disk: \(String(cString: strerror(flushError)))")
            }
            tail.sequence = next
            return next
        }
    }

    /// Brings the index up to the lines just written, and writes it every `indexEvery` lines. The
    /// lines are on disk already: a failure here costs only time at the next start.
    private static func keepIndex(_ reading: IndexedJournal, known: [String: PaymentAttempt]) {
        try? reading.takeAppended(known: known)
        if reading.map.linesSinceWritten >= indexEvery { try? reading.writeIndex() }
    }

    /// Tests only: lets `count` more appends succeed, then fails every one after, as a full disk would.
    func failWrites(after count: Int?) {
        state.withLock { $0.writesBeforeFailure = count }
    }

    /// Writes prepared lines without fsync: for building large test journals quickly.
    func appendUnsynced(_ attempts: [PaymentAttempt], at time: Date) throws {
        let fd = self.fd, reading = self.reading
        try state.withLock { tail in
            var buffer: [UInt8] = []
            var latest: [String: PaymentAttempt] = [:]
            for attempt in attempts {
                tail.sequence += 1
                buffer.append(contentsOf: try tail.line(for: attempt, seq: tail.sequence, at: time, onDisk: { _ in false })
                    .line(using: tail.encoder))
                tail.recordedSteps[attempt.outTradeNo] = attempt.history.count
                latest[attempt.outTradeNo] = attempt
            }
            try Self.writeAll(fd, buffer)
            Self.keepIndex(reading, known: latest)
        }
    }

    // MARK: File system

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(JournalError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalError("cannot write the journal: \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }

    private static func makeDirectory(_ directory: String) throws(JournalError) {
        guard directory.hasPrefix("/") || !directory.isEmpty else { throw JournalError("the journal directory is empty") }
        var prefix = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST {
                throw JournalError("cannot create the journal directory \(prefix): \(String(cString: strerror(errno)))")
            }
        }
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw JournalError("\(directory) is not a directory: set another journal directory")
        }
    }

    /// Makes sure only the owner can read the journal; returns a problem to show when it had to fix it.
    private static func enforcePrivateMode(_ fd: Int32, path: String) throws(JournalError) -> JournalProblem? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw JournalError("cannot inspect the journal \(path): \(String(cString: strerror(errno)))") }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw JournalError("\(path) is not a regular file") }
        let mode = info.st_mode & 0o7777
        guard mode & 0o077 != 0 else { return nil }
        guard fchmod(fd, 0o600) == 0 else {
            throw JournalError("the journal \(path) is readable by others (mode \(String(mode, radix: 8))) and cannot be fixed: \(String(cString: strerror(errno))); run chmod 600 on it")
        }
        var after = stat()
        guard fstat(fd, &after) == 0, after.st_mode & 0o077 == 0 else {
            throw JournalError("the journal \(path) is still readable by others after chmod: check the file system")
        }
        return JournalProblem(line: nil, reason: "the file was readable by others (mode \(String(mode, radix: 8))); fixed to 600")
    }

    /// Makes a newly created file's directory entry durable too.
    private static func syncDirectory(_ directory: String) {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { return }
        fsync(dfd)
        close(dfd)
    }
}
