import Foundation

/// The journal as its index and the lines after the index describe it, kept up to date line by line:
/// where each day's lines start (chunks), where each attempt's lines are (rows: those on disk in the
/// index, those changed since in memory), which attempts are not final. Pure: `IndexedJournal` feeds
/// it the scans it reads.
struct JournalMap: Sendable {
    typealias Row = JournalIndex.Row

    /// What the map keeps of an attempt read from its lines.
    struct AttemptFacts: Sendable {
        var createdAt: Date
        var syssn: String?
        var refundOf: String?
        var isFinal: Bool

        init(_ attempt: PaymentAttempt) {
            createdAt = attempt.createdAt
            syssn = attempt.syssn
            refundOf = attempt.refund?.originalSyssn
            isFinal = attempt.state.isFinal
        }
    }

    var chunks: [JournalIndex.Chunk]
    /// Rows of the attempts not final, whatever their day.
    var open: [String: Row]
    /// Rows new or moved on since the index on disk was written.
    var changed: [String: Row] = [:]
    /// Damaged lines among the complete ones.
    var problems: [JournalProblem]
    /// An incomplete last line, while it is one.
    var tornProblem: JournalProblem?
    var lastSequence: UInt64
    /// Complete lines.
    var lines: Int
    /// Offset just after the last complete line: the next scan starts here.
    var end: Int64
    /// Where the last complete line starts.
    var lastLine: Int64
    var tillSequences: [String: Int]
    var attempts: Int
    /// What the index on disk covers.
    var written: JournalIndex.Coverage
    /// Its rows (nil: no index on disk yet).
    var table: JournalIDTable?

    init(index: JournalIndex, table: JournalIDTable?) {
        chunks = index.chunks
        open = Dictionary(index.open.map { ($0.outTradeNo, $0) }, uniquingKeysWith: { $1 })
        problems = index.problems
        lastSequence = index.lastSequence
        lines = index.coverage.lines
        end = index.coverage.bytes
        lastLine = index.coverage.lastLine
        tillSequences = index.tillSequences
        attempts = index.attempts
        written = index.coverage
        self.table = table
    }

    static let empty = JournalMap(index: JournalIndex(), table: nil)

    /// Every problem: damaged lines in line order, then the torn last line.
    var allProblems: [JournalProblem] { problems + [tornProblem].compactMap { $0 } }

    /// Lines appended since the index on disk was written.
    var linesSinceWritten: Int { lines - written.lines }

    /// Where the attempt's lines are, or nil when the journal has none.
    func row(_ outTradeNo: String) throws(JournalIndexStale) -> Row? {
        if let row = changed[outTradeNo] ?? open[outTradeNo] { return row }
        return try table?.row(outTradeNo)
    }

    /// Every row whose fields pass `test` (a lookup by syssn or by sale).
    func rows(where test: (Row) -> Bool) throws(JournalIndexStale) -> [Row] {
        var found = changed.values.filter(test)
        let changed = self.changed
        try table?.forEachRow { row in
            if changed[row.outTradeNo] == nil, test(row) { found.append(row) }
        }
        return found.sorted { $0.first < $1.first }
    }

    // MARK: Taking in new lines

    /// Takes in a scan of the lines after `end`, the attempts assembled from them (an attempt whose
    /// lines there are all unreadable is missing; its row still moves on) and the problems found
    /// assembling them; the scan's own problems are taken from it.
    mutating func absorb(_ scan: JournalScan, attempts assembled: [String: AttemptFacts],
                         problems found: [JournalProblem]) throws(JournalIndexStale) {
        guard scan.start == end else { throw JournalIndexStale("a scan does not start where the journal's lines end") }
        if chunks.isEmpty, scan.lineCount >= scan.firstLine, scan.days.first?.offset != scan.start {
            // The journal's first lines carry no readable day: they get a chunk of their own.
            chunks.append(JournalIndex.Chunk(day: 0, offset: scan.start, line: scan.firstLine))
        }
        for start in scan.days where chunks.last?.day != start.day || chunks.isEmpty {
            chunks.append(JournalIndex.Chunk(day: start.day, offset: start.offset, line: start.line))
        }
        for slot in scan.slots {
            guard let first = slot.candidates.first, let last = slot.candidates.last else { continue }
            let attempt = assembled[slot.outTradeNo]
            var row: Row
            if var known = try self.row(slot.outTradeNo) {
                guard known.last < first.start else { throw JournalIndexStale("the index has \(slot.outTradeNo) further on than the lines") }
                known.last = last.start
                row = known
            } else {
                row = Row(outTradeNo: slot.outTradeNo, first: first.start, line: first.line, last: last.start)
                attempts += 1
                chunks[chunk(containing: first.start)].count(createdAt: attempt?.createdAt)
                if let (till, sequence) = OutTradeNoGenerator.parts(of: slot.outTradeNo) {
                    tillSequences[till] = max(tillSequences[till] ?? 0, sequence)
                }
            }
            if let attempt {
                if let syssn = attempt.syssn { row.syssn = syssn }
                if let sale = attempt.refundOf { row.refundOf = sale }
                open[slot.outTradeNo] = attempt.isFinal ? nil : row
            } else if open[slot.outTradeNo] != nil {
                open[slot.outTradeNo] = row
            }
            changed[slot.outTradeNo] = row
        }
        problems.append(contentsOf: (scan.problems + found).sorted { ($0.line ?? .max) < ($1.line ?? .max) })
        tornProblem = scan.tornProblem
        lastSequence = max(lastSequence, scan.lastSequence)
        lines = scan.lineCount
        end = scan.end
        if let start = scan.lastLineStart { lastLine = start }
    }

    // MARK: Chunks

    /// The chunk holding the line at `offset`.
    func chunk(containing offset: Int64) -> Int {
        var low = 0, high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if chunks[middle].offset <= offset { low = middle + 1 } else { high = middle }
        }
        return max(0, low - 1)
    }

    /// The bytes of chunks `range`, up to the end of the complete lines.
    func bytes(of range: Range<Int>) -> Range<Int64> {
        guard !range.isEmpty else { return end..<end }
        let upper = range.upperBound < chunks.count ? chunks[range.upperBound].offset : end
        return chunks[range.lowerBound].offset..<upper
    }

    /// The first chunk the console shows at start: back from the newest until the attempts created
    /// since `since` (the start of the till's day) are in, and at least `atLeast` attempts.
    func recent(since: Date, atLeast: Int) -> Int {
        var first = chunks.count
        var counted = 0
        while first > 0 {
            let chunk = chunks[first - 1]
            guard counted < atLeast || chunk.created(from: since, to: nil) || chunk.firsts == 0 else { break }
            counted += chunk.firsts
            first -= 1
        }
        return first
    }

    /// The chunks just before chunk `before` holding at least `atLeast` attempts (fewer at the start).
    func older(before: Int, atLeast: Int) -> Range<Int> {
        var first = min(before, chunks.count)
        var counted = 0
        while first > 0, counted < atLeast {
            counted += chunks[first - 1].firsts
            first -= 1
        }
        return first..<min(before, chunks.count)
    }

    /// Runs of chunks holding attempts created in `[start, end)` (either end open when nil).
    func chunks(createdFrom start: Date?, to end: Date?) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        for (position, chunk) in chunks.enumerated() where chunk.created(from: start, to: end) {
            if let last = runs.last, last.upperBound == position {
                runs[runs.count - 1] = last.lowerBound..<(position + 1)
            } else {
                runs.append(position..<(position + 1))
            }
        }
        return runs
    }

    // MARK: Writing the index

    /// The index describing the complete lines as they are now, and the rows changed since the one on disk.
    func index(device: UInt64, inode: UInt64, lastLineHash: UInt64, modified: Int64) -> (index: JournalIndex, changes: [Row]) {
        var index = JournalIndex()
        index.coverage = JournalIndex.Coverage(bytes: end, lines: lines, device: device, inode: inode,
                                               lastLine: lines > 0 ? lastLine : 0, lastLineHash: lines > 0 ? lastLineHash : 0,
                                               modified: modified)
        index.lastSequence = lastSequence
        index.tillSequences = tillSequences
        index.chunks = chunks
        index.open = open.values.sorted { $0.first < $1.first }
        index.problems = problems
        index.attempts = attempts
        let changes = changed.values.map { (key: JournalIDTable.key($0.outTradeNo), row: $0) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) }.map(\.row)
        return (index, changes)
    }
}
