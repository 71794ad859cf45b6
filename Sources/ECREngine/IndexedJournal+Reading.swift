import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the journal is read for, each through the index: only the lines asked for are read.
extension IndexedJournal {
    /// The attempts created in `[start, end)` (either end open when nil), oldest first: only the days
    /// that hold such attempts are read.
    public func attempts(createdFrom start: Date?, to end: Date?) throws(JournalError) -> [PaymentAttempt] {
        try reading { map in
            var found: [PaymentAttempt] = []
            for run in map.chunks(createdFrom: start, to: end) {
                for entry in try entries(in: map.bytes(of: run), firstLine: map.chunks[run.lowerBound].line, map: map) {
                    let created = entry.attempt.createdAt
                    if let start, created < start { continue }
                    if let end, created >= end { continue }
                    found.append(entry.attempt)
                }
            }
            return found
        }
    }

    /// The attempt with this out_trade_no, wherever its lines are; nil when the journal has none.
    public func attempt(_ outTradeNo: String) throws(JournalError) -> PaymentAttempt? {
        try reading { map in
            guard let row = try map.row(outTradeNo) else { return nil }
            return try attempt(row)
        }
    }

    /// The newest attempt the terminal knows by `syssn` (a sale, or a refund by its own id).
    public func attempt(syssn: String) throws(JournalError) -> PaymentAttempt? {
        try reading { map in
            guard let row = try map.rows(where: { $0.syssn == syssn }).last else { return nil }
            return try attempt(row)
        }
    }

    /// Every refund of the sales `syssns`, whatever their day, oldest first.
    public func refunds(ofSales syssns: Set<String>) throws(JournalError) -> [PaymentAttempt] {
        guard !syssns.isEmpty else { return [] }
        return try reading { map in
            try map.rows(where: { $0.refundOf.map(syssns.contains) ?? false }).compactMap { try attempt($0) }
        }
    }

    /// `attempts` and every refund of their sales (a refund's own sale included) from any day: what
    /// the journal refunded of a sale counts them all (reconcile, from the command line and the console).
    public func withRefunds(_ attempts: [PaymentAttempt]) throws(JournalError) -> [PaymentAttempt] {
        let sales = Set(attempts.compactMap { $0.kind == .payment ? $0.syssn : $0.refund?.originalSyssn })
        let ids = Set(attempts.map(\.outTradeNo))
        return attempts + (try refunds(ofSales: sales)).filter { !ids.contains($0.outTradeNo) }
    }

    /// Whether the journal holds an attempt with this out_trade_no. When it cannot tell (the journal
    /// unreadable), it says yes: an id that may be used is never given out again.
    public func isKnown(_ outTradeNo: String) -> Bool {
        (try? reading { map in try map.row(outTradeNo) != nil }) ?? true
    }

    /// The highest sequence of the out_trade_nos `tillID` made (0: none).
    public func highestSequence(tillID: String) -> Int { map.tillSequences[tillID] ?? 0 }

    /// What the till shows first: every attempt not final, whatever its day, and the attempts of the
    /// newest days back to `since` (the start of the till's day) and at least `atLeast` of them.
    public func recent(since: Date, atLeast: Int) throws(JournalError) -> JournalPage {
        try reading { map in
            let first = map.recent(since: since, atLeast: atLeast)
            var entries: [JournalEntry] = []
            if first < map.chunks.count {
                entries = try self.entries(in: map.bytes(of: first..<map.chunks.count), firstLine: map.chunks[first].line, map: map)
            }
            let shown = Set(entries.map(\.attempt.outTradeNo))
            for row in map.open.values where !shown.contains(row.outTradeNo) {
                if let attempt = try attempt(row) { entries.append(JournalEntry(position: row.first, attempt: attempt)) }
            }
            entries.sort { $0.position < $1.position }
            return JournalPage(entries: entries, older: first > 0 ? JournalCursor(offset: map.chunks[first].offset) : nil)
        }
    }

    /// Every attempt not final, whatever its day or terminal, in journal order: what start-up resumes.
    public func unfinished() throws(JournalError) -> [PaymentAttempt] {
        try reading { map in
            try map.open.values.sorted { $0.first < $1.first }.compactMap { try attempt($0) }
        }
    }

    /// The attempts first journaled before `cursor`: at least `atLeast` of them, a day at a time.
    public func page(before cursor: JournalCursor, atLeast: Int) throws(JournalError) -> JournalPage {
        try reading { map in
            guard !map.chunks.isEmpty else { return JournalPage(entries: [], older: nil) }
            var before = map.chunk(containing: cursor.offset)
            if map.chunks[before].offset < cursor.offset { before += 1 }
            let range = map.older(before: before, atLeast: atLeast)
            guard !range.isEmpty else { return JournalPage(entries: [], older: nil) }
            let entries = try self.entries(in: map.bytes(of: range), firstLine: map.chunks[range.lowerBound].line, map: map)
            return JournalPage(entries: entries, older: range.lowerBound > 0 ? JournalCursor(offset: map.chunks[range.lowerBound].offset) : nil)
        }
    }

    /// The attempts whose first line is in `bytes`, in journal order; one whose lines go on after
    /// `bytes` is read whole. Lines and index must agree, or `JournalIndexStale`.
    private func entries(in bytes: Range<Int64>, firstLine: Int, map: JournalMap) throws -> [JournalEntry] {
        guard !bytes.isEmpty else { return [] }
        let scan = try JournalScan.read(fd: fd, path: path, from: bytes.lowerBound, to: bytes.upperBound, firstLine: firstLine)
        guard scan.tornStart == nil, scan.end == bytes.upperBound else {
            throw JournalIndexStale("a day of the index does not end where a line ends")
        }
        var assembly = JournalAssembly(fd: fd, path: path)
        var entries: [JournalEntry] = []
        for slot in scan.slots {
            guard let first = slot.candidates.first?.start, let last = slot.candidates.last?.start else { continue }
            guard let row = try map.row(slot.outTradeNo) else { throw JournalIndexStale("the index does not know \(slot.outTradeNo)") }
            guard row.first <= first, row.last >= last else { throw JournalIndexStale("the index has \(slot.outTradeNo)'s lines elsewhere") }
            guard row.first >= bytes.lowerBound else { continue } // first journaled earlier: read with its first line
            guard row.first == first, row.last >= bytes.upperBound || row.last == last else {
                throw JournalIndexStale("the index has \(slot.outTradeNo)'s lines elsewhere")
            }
            let candidates = row.last < bytes.upperBound ? slot.candidates : try lines(of: row)
            if let attempt = try assembly.attempt(candidates, of: slot.outTradeNo) {
                entries.append(JournalEntry(position: row.first, attempt: attempt))
            }
        }
        return entries
    }

    private func attempt(_ row: JournalIndex.Row) throws -> PaymentAttempt? {
        var assembly = JournalAssembly(fd: fd, path: path)
        return try assembly.attempt(try lines(of: row), of: row.outTradeNo)
    }

    /// Every line of the attempt in `row`, from its first to its last.
    private func lines(of row: JournalIndex.Row) throws -> [JournalCandidate] {
        let scan = try JournalScan.read(fd: fd, path: path, from: row.first, to: try lineEnd(at: row.last), firstLine: row.line)
        guard let slot = scan.index[row.outTradeNo].map({ scan.slots[$0] }), slot.candidates.first?.start == row.first,
              slot.candidates.last?.start == row.last else {
            throw JournalIndexStale("the index has \(row.outTradeNo)'s lines elsewhere")
        }
        return slot.candidates
    }

    /// The offset after the newline ending the line that starts at `offset`.
    private func lineEnd(at offset: Int64) throws -> Int64 {
        var position = offset
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 4096, off_t(position)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw JournalIndexStale("the index has a line past the journal's end") }
            if let newline = buffer[..<count].firstIndex(of: 0x0A) { return position + Int64(newline) + 1 }
            position += Int64(count)
        }
    }
}
