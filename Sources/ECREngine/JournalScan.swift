import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A journal line that names an attempt: where it is and what it holds.
struct JournalCandidate {
    /// Where the attempt's snapshot is: still on disk (its JSON bytes), or already decoded.
    enum Payload {
        case onDisk(offset: Int64, length: Int)
        case decoded(PaymentAttempt)
    }

    /// 1-based line number in the journal.
    let line: Int
    /// Offset of the line's first byte.
    let start: Int64
    let version: Int
    let payload: Payload

    var holdsWholeHistory: Bool { version == JournalRecord.wholeHistoryVersion }
}

/// One pass over a run of journal lines: every line checked (damage anywhere is reported), the lines
/// of each attempt collected in order, and where each UTC day's lines begin. Nothing is decoded but
/// lines not in the form this program writes; `JournalAssembly` decodes what is needed afterwards.
struct JournalScan {
    struct Slot {
        let outTradeNo: String
        var candidates: [JournalCandidate]
    }

    /// A line where the day changes: the index starts a chunk there.
    struct DayStart: Equatable {
        var day: Int32
        var offset: Int64
        var line: Int
    }

    let decoder = JournalRecord.decoder()
    /// Where the run starts, and the number of its first line.
    let start: Int64
    let firstLine: Int
    var index: [String: Int] = [:]
    var slots: [Slot] = []
    var problems: [JournalProblem] = []
    var lastSequence: UInt64 = 0
    /// The number of the last line seen.
    var lineCount: Int
    /// Offset just after the last complete line (its newline).
    var end: Int64
    /// Offset of the last complete line.
    var lastLineStart: Int64?
    /// Where an incomplete last line (no newline: a torn write) starts, and the problem it is.
    var tornStart: Int64?
    var tornProblem: JournalProblem?
    var lastSlot: Int?
    var days: [DayStart] = []
    /// The day of the lines before this run, so that a run continuing the same day starts no chunk.
    private var currentDay: Int32?

    /// A scan of lines starting at `offset`, whose first line is number `firstLine`.
    init(from offset: Int64 = 0, firstLine: Int = 1, day: Int32? = nil) {
        start = offset
        self.firstLine = firstLine
        lineCount = firstLine - 1
        end = offset
        currentDay = day
    }

    var endsTorn: Bool { tornStart != nil }

    mutating func add(_ line: ArraySlice<UInt8>, at offset: Int64) {
        lineCount += 1
        let number = lineCount
        end = offset + Int64(line.count) + 1
        lastLineStart = offset
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
            return  // a blank line: written to close a torn one, not a record
        }
        if let envelope = JournalEnvelope(line) {
            note(day: envelope.day, at: offset, line: number)
            guard JournalRecord.readableVersions.contains(envelope.version) else {
                problems.append(JournalProblem(line: number, reason: "written by another version of qfecr (format \(envelope.version)); skipped"))
                return
            }
            guard JournalAssembly.isBalancedObject(line[envelope.attempt]) else {
                problems.append(JournalProblem(line: number, reason: "damaged record for \(envelope.outTradeNo) (cut short or garbled); skipped"))
                return
            }
            let start = offset + Int64(envelope.attempt.lowerBound - line.startIndex)
            remember(envelope.outTradeNo, seq: envelope.seq,
                     JournalCandidate(line: number, start: offset, version: envelope.version,
                                      payload: .onDisk(offset: start, length: envelope.attempt.count)))
            return
        }
        // Not in the form this program writes (edited by hand?): read it the slow way.
        let record: JournalRecord
        do {
            record = try decoder.decode(JournalRecord.self, from: Data(line))
        } catch {
            problems.append(JournalProblem(line: number, reason: "not a readable record (\(JournalAssembly.reason(error))); skipped: \(JournalAssembly.preview(line))"))
            return
        }
        note(day: JournalTime.day(record.time), at: offset, line: number)
        guard JournalRecord.readableVersions.contains(record.v) else {
            problems.append(JournalProblem(line: number, reason: "written by another version of qfecr (format \(record.v)); skipped"))
            return
        }
        guard record.outTradeNo == record.attempt.outTradeNo else {
            problems.append(JournalProblem(line: number, reason: "out_trade_no \(record.outTradeNo) does not match its attempt \(record.attempt.outTradeNo); skipped"))
            return
        }
        remember(record.outTradeNo, seq: record.seq,
                 JournalCandidate(line: number, start: offset, version: record.v, payload: .decoded(record.attempt)))
    }

    private mutating func note(day: Int32?, at offset: Int64, line: Int) {
        guard let day, day != currentDay else { return }
        currentDay = day
        days.append(DayStart(day: day, offset: offset, line: line))
    }

    private mutating func remember(_ outTradeNo: String, seq: UInt64, _ candidate: JournalCandidate) {
        lastSequence = max(lastSequence, seq)
        if let at = index[outTradeNo] {
            slots[at].candidates.append(candidate)
            lastSlot = at
        } else {
            index[outTradeNo] = slots.count
            lastSlot = slots.count
            slots.append(Slot(outTradeNo: outTradeNo, candidates: [candidate]))
        }
    }

    mutating func torn(_ tail: [UInt8], at offset: Int64) {
        tornStart = offset
        tornProblem = JournalProblem(line: lineCount + 1,
                                     reason: "incomplete last line (\(tail.count) bytes; the till probably stopped while writing it); skipped")
    }

    /// Scans the lines in `[from, to)` (to the end of the file when `to` is nil) in large chunks.
    /// A range that stops short of the file's end must end on a line's end.
    static func read(fd: Int32, path: String, from start: Int64 = 0, to limit: Int64? = nil, firstLine: Int = 1,
                     day: Int32? = nil) throws(JournalError) -> JournalScan {
        var scan = JournalScan(from: start, firstLine: firstLine, day: day)
        var pending: [UInt8] = []
        var pendingStart: Int64 = start
        var offset = start
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while limit.map({ offset < $0 }) ?? true {
            let want = limit.map { Int(min(Int64(chunkSize), $0 - offset)) } ?? chunkSize
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(offset)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw JournalError("cannot read the journal \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            var lineStart = 0
            while let i = newline(in: chunk, from: lineStart, to: count) {
                if pending.isEmpty {
                    scan.add(chunk[lineStart..<i], at: offset + Int64(lineStart))
                } else {
                    pending.append(contentsOf: chunk[lineStart..<i])
                    scan.add(pending[...], at: pendingStart)
                    pending.removeAll(keepingCapacity: true)
                }
                lineStart = i + 1
            }
            if lineStart < count {
                if pending.isEmpty { pendingStart = offset + Int64(lineStart) }
                pending.append(contentsOf: chunk[lineStart..<count])
            }
            offset += Int64(count)
        }
        if !pending.isEmpty { scan.torn(pending, at: pendingStart) }
        return scan
    }

    private static func newline(in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        guard start < end else { return nil }
        return bytes.withUnsafeBytes { raw -> Int? in
            guard let found = memchr(raw.baseAddress! + start, 0x0A, end - start) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(found))
        }
    }
}
