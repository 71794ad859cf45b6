import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How the journal's index was found when the journal was opened.
public enum JournalIndexStatus: Sendable, Equatable {
    /// It matched the journal; the lines written after it (`caughtUp` of them) were read.
    case current(caughtUp: Int)
    /// There was none (a new journal, or one written before the index): built from every line.
    case built
    /// It did not match the journal, or itself, and was rebuilt from every line.
    case rebuilt(reason: String)
}

/// An attempt as the journal holds it, and where its first line is: the journal's order.
public struct JournalEntry: Sendable, Equatable {
    public let position: Int64
    public let attempt: PaymentAttempt
}

/// Where the history read so far begins; older history is read from before it.
public struct JournalCursor: Sendable, Hashable {
    let offset: Int64
}

/// Attempts read from the journal, oldest first, and where the older ones begin (nil: none older).
public struct JournalPage: Sendable {
    public var entries: [JournalEntry]
    public var older: JournalCursor?
}

/// The journal read through its index: only the lines asked for are read. Every line read is
/// checked against the index (an out_trade_no where the index puts it, rows that agree with the
/// lines); any disagreement rebuilds the index from the lines and reads again.
/// `Journal` (the process that drives the till) also keeps the index up to date and writes it;
/// the back-office commands read through one of these without writing anything.
public final class IndexedJournal: Sendable {
    let fd: Int32
    public let path: String
    let directory: String
    /// True for the process holding the journal: it writes the index.
    let writesIndex: Bool
    private let state: Mutex<State>

    private struct State {
        var map: JournalMap
        var status: JournalIndexStatus
    }

    /// Opens through `fd` (taken: closed with this object) the journal in `directory`.
    init(fd: Int32, path: String, directory: String, writesIndex: Bool) throws(JournalError) {
        self.fd = fd
        self.path = path
        self.directory = directory
        self.writesIndex = writesIndex
        state = Mutex(State(map: .empty, status: .built))
        let (map, status) = try open()
        state.withLock { $0 = State(map: map, status: status) }
    }

    deinit { close(fd) }

    /// The journal in `directory` read only (the back-office commands); nil when there is none.
    public static func reading(directory: String) throws(JournalError) -> IndexedJournal? {
        let path = directory + "/" + Journal.fileName
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw JournalError("cannot read the journal \(path): \(String(cString: strerror(errno)))")
        }
        return try IndexedJournal(fd: fd, path: path, directory: directory, writesIndex: false)
    }

    public var status: JournalIndexStatus { state.withLock { $0.status } }

    /// Damaged lines (skipped), in line order.
    public var problems: [JournalProblem] { state.withLock { $0.map.allProblems } }

    /// How many attempts the journal holds.
    public var attemptCount: Int { state.withLock { $0.map.attempts } }

    var map: JournalMap { state.withLock { $0.map } }

    // MARK: Opening

    private func open() throws(JournalError) -> (JournalMap, JournalIndexStatus) {
        let loaded: (index: JournalIndex, table: JournalIDTable)?
        do { loaded = try JournalIndexFile.load(directory: directory) } catch {
            return (try build(), .rebuilt(reason: error.description))
        }
        guard let loaded else { return (try build(), .built) }
        var map = JournalMap(index: loaded.index, table: loaded.table)
        do {
            try verify(loaded.index)
            try catchUp(&map, known: [:])
        } catch let stale as JournalIndexStale {
            return (try build(), .rebuilt(reason: stale.description))
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError("cannot read the journal \(path): \(error)")
        }
        return (map, .current(caughtUp: map.linesSinceWritten))
    }

    /// The index describes this file as it was: same file, not shorter, the same last line.
    private func verify(_ index: JournalIndex) throws {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw JournalError("cannot inspect the journal \(path): \(String(cString: strerror(errno)))") }
        let coverage = index.coverage
        guard UInt64(info.st_dev) == coverage.device, UInt64(info.st_ino) == coverage.inode else {
            throw JournalIndexStale("the index belongs to another journal file (replaced or restored?)")
        }
        guard Int64(info.st_size) >= coverage.bytes else { throw JournalIndexStale("the journal is shorter than the index says") }
        guard Int64(info.st_size) > coverage.bytes || Self.modified(info) == coverage.modified else {
            throw JournalIndexStale("the journal was changed in place since the index was written")
        }
        if coverage.lines > 0 {
            guard coverage.lastLine < coverage.bytes,
                  let last = try? JournalAssembly.bytes(fd: fd, path: path, offset: coverage.lastLine,
                                                       length: Int(coverage.bytes - coverage.lastLine)),
                  last.last == 0x0A, JournalIndexText.hash(last) == coverage.lastLineHash
            else { throw JournalIndexStale("the journal's line where the index ends is not the one it was") }
        } else if coverage.bytes != 0 {
            throw JournalIndexStale("the index covers bytes but no lines")
        }
        var previous: Int64 = -1
        for chunk in index.chunks {
            guard chunk.offset > previous, chunk.offset < max(coverage.bytes, 1), chunk.line > 0 else {
                throw JournalIndexStale("the index's days are out of order")
            }
            previous = chunk.offset
        }
        guard index.chunks.first.map({ $0.offset == 0 }) ?? (coverage.lines == 0) else { throw JournalIndexStale("the index's first day is not at the start") }
        for row in index.open where row.last >= coverage.bytes { throw JournalIndexStale("an open attempt is past the index's end") }
    }

    static func modified(_ info: stat) -> Int64 {
        Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }

    /// Every line read, nothing trusted: the map of the journal as it is.
    private func build() throws(JournalError) -> JournalMap {
        var map = JournalMap.empty
        do { try catchUp(&map, known: [:]) } catch let error as JournalError { throw error } catch {
            throw JournalError("cannot read the journal \(path): \(error)")
        }
        return map
    }

    /// Reads the lines after the map's end (to the file's end) into the map. `known` are attempts
    /// the caller already holds (just appended), so their lines need not be decoded.
    private func catchUp(_ map: inout JournalMap, known: [String: PaymentAttempt]) throws {
        let scan = try JournalScan.read(fd: fd, path: path, from: map.end, firstLine: map.lines + 1, day: map.chunks.last?.day)
        var assembly = JournalAssembly(fd: fd, path: path)
        var facts: [String: JournalMap.AttemptFacts] = [:]
        for slot in scan.slots {
            if let attempt = known[slot.outTradeNo] {
                facts[slot.outTradeNo] = JournalMap.AttemptFacts(attempt)
                continue
            }
            let continues = try map.row(slot.outTradeNo) != nil
            if let attempt = try assembly.attempt(slot.candidates, of: slot.outTradeNo, whole: !continues) {
                facts[slot.outTradeNo] = JournalMap.AttemptFacts(attempt)
            }
        }
        try map.absorb(scan, attempts: facts, problems: assembly.problems)
    }

    // MARK: Keeping up (the process holding the journal)

    /// Takes in the lines appended since the map's end; `known` are the attempts just written.
    func takeAppended(known: [String: PaymentAttempt]) throws(JournalError) {
        do {
            try state.withLock { (state) throws in
                try catchUp(&state.map, known: known)
            }
        } catch let stale as JournalIndexStale {
            try rebuild(reason: stale.description)
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError("cannot read the journal \(path): \(error)")
        }
    }

    /// Writes the index for every complete line as it is now.
    func writeIndex() throws(JournalError) {
        guard writesIndex else { return }
        try state.withLock { (state) throws(JournalError) in
            var info = stat()
            guard fstat(fd, &info) == 0 else { throw JournalError("cannot inspect the journal \(path): \(String(cString: strerror(errno)))") }
            let map = state.map
            var lastHash: UInt64 = 0
            if map.lines > 0 {
                lastHash = JournalIndexText.hash(try JournalAssembly.bytes(fd: fd, path: path, offset: map.lastLine,
                                                                           length: Int(map.end - map.lastLine)))
            }
            let (index, changes) = map.index(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), lastLineHash: lastHash,
                                             modified: Self.modified(info))
            let table = try JournalIndexFile.write(index, old: map.table, changes: changes, directory: directory)
            state.map.table = table
            state.map.written = index.coverage
            state.map.changed = [:]
        }
    }

    /// Reads every line again into a new map (and, for the process holding the journal, a new index).
    func rebuild(reason: String) throws(JournalError) {
        try state.withLock { (state) throws(JournalError) in
            state.map = try build()
            state.status = .rebuilt(reason: reason)
        }
        if writesIndex { try? writeIndex() }
    }

    // MARK: Reading

    /// Runs `body` on the map; when the lines disagree with the index, rebuilds it and runs `body` again.
    func reading<T>(_ body: (JournalMap) throws -> T) throws(JournalError) -> T {
        for attempt in 0..<2 {
            do {
                return try body(map)
            } catch let stale as JournalIndexStale {
                if attempt == 1 { throw JournalError("the journal index cannot be made to match the journal \(path): \(stale)") }
                try rebuild(reason: stale.description)
            } catch let error as JournalError {
                throw error
            } catch {
                throw JournalError("cannot read the journal \(path): \(error)")
            }
        }
        throw JournalError("cannot read the journal \(path)")
    }
}
