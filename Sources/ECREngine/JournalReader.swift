import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a journal holds: the latest snapshot of every attempt, oldest first, and every line that
/// could not be read.
public struct JournalContents: Sendable {
    /// One entry per out_trade_no, in the order the attempts were first journaled; each is the
    /// snapshot from the attempt's last readable line.
    public var attempts: [PaymentAttempt]
    /// Damaged lines (skipped) and file-level warnings, in line order.
    public var problems: [JournalProblem]
    /// The highest sequence number seen; the next record gets a higher one.
    public var lastSequence: UInt64
    public var lineCount: Int
    /// True when the file does not end with a newline (a torn last write).
    var endsTorn: Bool
    /// The snapshot on the last readable line, whichever attempt it belongs to.
    var lastRecorded: PaymentAttempt?

    public static let empty = JournalContents(attempts: [], problems: [], lastSequence: 0, lineCount: 0, endsTorn: false,
                                              lastRecorded: nil)
}

/// Reads a journal front to back in large chunks, then decodes each attempt's latest line for its
/// state and the steps of its earlier lines for its history (a line holds only the steps since the
/// previous one). Every line is checked, so damage anywhere is reported.
public enum JournalReader {
    /// Reads the journal in `directory`; a missing directory or file is an empty journal.
    public static func read(directory: String) throws(JournalError) -> JournalContents {
        let path = directory + "/" + Journal.fileName
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return .empty }
            throw JournalError("cannot read the journal \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        return try read(fd: fd, path: path)
    }

    static func read(fd: Int32, path: String) throws(JournalError) -> JournalContents {
        var scan = Scan()
        var pending: [UInt8] = []
        var pendingStart: Int64 = 0
        var offset: Int64 = 0
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, chunkSize, off_t(offset)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw JournalError("cannot read the journal \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            var start = 0
            while let i = Self.newline(in: chunk, from: start, to: count) {
                if pending.isEmpty {
                    scan.add(chunk[start..<i], at: offset + Int64(start))
                } else {
                    pending.append(contentsOf: chunk[start..<i])
                    scan.add(pending[...], at: pendingStart)
                    pending.removeAll(keepingCapacity: true)
                }
                start = i + 1
            }
            if start < count {
                if pending.isEmpty { pendingStart = offset + Int64(start) }
                pending.append(contentsOf: chunk[start..<count])
            }
            offset += Int64(count)
        }
        if !pending.isEmpty { scan.torn(pending) }
        return try scan.finish(fd: fd, path: path)
    }

    private static func newline(in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        guard start < end else { return nil }
        return bytes.withUnsafeBytes { raw -> Int? in
            guard let found = memchr(raw.baseAddress! + start, 0x0A, end - start) else { return nil }
            return raw.baseAddress!.distance(to: UnsafeRawPointer(found))
        }
    }

    /// Where a candidate snapshot is: still on disk (the attempt's JSON bytes), or already decoded.
    private enum Candidate {
        case onDisk(line: Int, offset: Int64, length: Int, version: Int)
        case decoded(line: Int, PaymentAttempt, version: Int)

    }

    /// What an earlier line adds to an attempt's history.
    private struct Steps: Decodable {
        let history: [AttemptTransition]
    }

    private struct Slot {
        let outTradeNo: String
        var candidates: [Candidate]
    }

    private struct Scan {
        let decoder = JournalRecord.decoder()
        var index: [String: Int] = [:]
        var slots: [Slot] = []
        var problems: [JournalProblem] = []
        var lastSequence: UInt64 = 0
        var lineCount = 0
        var endsTorn = false
        var lastSlot: Int?

        mutating func add(_ line: ArraySlice<UInt8>, at offset: Int64) {
            lineCount += 1
            let number = lineCount
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                return  // a blank line: written to close a torn one, not a record
            }
            if let envelope = Envelope(line) {
                guard JournalRecord.readableVersions.contains(envelope.version) else {
                    problems.append(JournalProblem(line: number, reason: "written by another version of qfecr (format \(envelope.version)); skipped"))
                    return
                }
                guard Self.isBalancedObject(line[envelope.attempt]) else {
                    problems.append(JournalProblem(line: number, reason: "damaged record for \(envelope.outTradeNo) (cut short or garbled); skipped"))
                    return
                }
                let start = offset + Int64(envelope.attempt.lowerBound - line.startIndex)
                remember(envelope.outTradeNo, seq: envelope.seq,
                         .onDisk(line: number, offset: start, length: envelope.attempt.count, version: envelope.version))
                return
            }
            // Not in the form this program writes (edited by hand?): read it the slow way.
            let record: JournalRecord
            do {
                record = try decoder.decode(JournalRecord.self, from: Data(line))
            } catch {
                problems.append(JournalProblem(line: number, reason: "not a readable record (\(Self.reason(error))); skipped: \(Self.preview(line))"))
                return
            }
            guard JournalRecord.readableVersions.contains(record.v) else {
                problems.append(JournalProblem(line: number, reason: "written by another version of qfecr (format \(record.v)); skipped"))
                return
            }
            guard record.outTradeNo == record.attempt.outTradeNo else {
                problems.append(JournalProblem(line: number, reason: "out_trade_no \(record.outTradeNo) does not match its attempt \(record.attempt.outTradeNo); skipped"))
                return
            }
            remember(record.outTradeNo, seq: record.seq, .decoded(line: number, record.attempt, version: record.v))
        }

        mutating func remember(_ outTradeNo: String, seq: UInt64, _ candidate: Candidate) {
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

        mutating func torn(_ tail: [UInt8]) {
            lineCount += 1
            endsTorn = true
            problems.append(JournalProblem(line: lineCount,
                                           reason: "incomplete last line (\(tail.count) bytes; the till probably stopped while writing it); skipped"))
        }

        /// Decodes each attempt's latest snapshot, falling back to an earlier line if the latest is
        /// unreadable, and gives it the history its lines hold up to that one.
        mutating func finish(fd: Int32, path: String) throws(JournalError) -> JournalContents {
            var attempts: [PaymentAttempt] = []
            attempts.reserveCapacity(slots.count)
            var lastRecorded: PaymentAttempt?
            for (slotIndex, slot) in slots.enumerated() {
                var found: PaymentAttempt?
                var foundAt = slot.candidates.count
                for (position, candidate) in slot.candidates.enumerated().reversed() {
                    found = try snapshot(candidate, of: slot.outTradeNo, fd: fd, path: path)
                    if found != nil { foundAt = position; break }
                }
                if var found {
                    let earlier = try history(slot.candidates[..<foundAt], of: slot.outTradeNo, fd: fd, path: path)
                    if !Self.holdsWholeHistory(slot.candidates[foundAt]) { found.history = earlier + found.history }
                    attempts.append(found)
                    if slotIndex == lastSlot { lastRecorded = found }
                } else {
                    problems.append(JournalProblem(line: nil, reason: "no readable record is left for \(slot.outTradeNo): check it by hand"))
                }
            }
            problems.sort { ($0.line ?? .max) < ($1.line ?? .max) }
            return JournalContents(attempts: attempts, problems: problems, lastSequence: lastSequence, lineCount: lineCount,
                                   endsTorn: endsTorn, lastRecorded: lastRecorded)
        }

        /// The attempt a line holds, or nil (and the problem noted) when it cannot be read.
        private mutating func snapshot(_ candidate: Candidate, of outTradeNo: String, fd: Int32,
                                       path: String) throws(JournalError) -> PaymentAttempt? {
            switch candidate {
            case .decoded(_, let attempt, _):
                return attempt
            case .onDisk(let line, let offset, let length, _):
                let buffer = try Self.bytes(fd: fd, path: path, offset: offset, length: length)
                do {
                    let attempt = try decoder.decode(PaymentAttempt.self, from: Data(buffer))
                    if attempt.outTradeNo == outTradeNo { return attempt }
                    problems.append(JournalProblem(line: line, reason: "out_trade_no \(outTradeNo) does not match its attempt \(attempt.outTradeNo); skipped"))
                } catch {
                    problems.append(JournalProblem(line: line, reason: "not a readable record (\(Self.reason(error, inside: "attempt"))); skipped: \(Self.preview(buffer[...]))"))
                }
                return nil
            }
        }

        /// Joins the steps of an attempt's lines, oldest first. A format-1 line carries the whole
        /// history so far and replaces what was read before it; an unreadable line loses its steps.
        private mutating func history(_ candidates: ArraySlice<Candidate>, of outTradeNo: String, fd: Int32,
                                      path: String) throws(JournalError) -> [AttemptTransition] {
            var history: [AttemptTransition] = []
            for candidate in candidates {
                let steps: [AttemptTransition]
                switch candidate {
                case .decoded(_, let attempt, _):
                    steps = attempt.history
                case .onDisk(let line, let offset, let length, _):
                    let buffer = try Self.bytes(fd: fd, path: path, offset: offset, length: length)
                    do {
                        // Only the `history` array is decoded: most of a line is the snapshot, read once from the last line.
                        if let array = Self.historyArray(in: buffer) {
                            steps = try decoder.decode([AttemptTransition].self, from: Data(array))
                        } else {
                            steps = try decoder.decode(Steps.self, from: Data(buffer)).history
                        }
                    } catch {
                        problems.append(JournalProblem(line: line, reason: "not a readable record (\(Self.reason(error, inside: "attempt"))); its step is missing from the history of \(outTradeNo)"))
                        continue
                    }
                }
                if Self.holdsWholeHistory(candidate) { history = steps } else { history += steps }
            }
            return history
        }

        /// The bytes of the attempt's `"history":[…]` array. The key cannot occur inside a string (its
        /// quotes would be escaped there) nor in a nested object, so its first occurrence is the one.
        static func historyArray(in bytes: [UInt8]) -> ArraySlice<UInt8>? {
            let key = Array(#""history":["#.utf8)
            guard bytes.count > key.count else { return nil }
            var start: Int?
            for i in 0...(bytes.count - key.count) where bytes[i] == key[0] && bytes[i..<(i + key.count)].elementsEqual(key) {
                start = i + key.count - 1
                break
            }
            guard let open = start else { return nil }
            var depth = 0
            var inString = false
            var escaped = false
            for i in open..<bytes.count {
                let b = bytes[i]
                if inString {
                    if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false }
                    continue
                }
                switch b {
                case 0x22: inString = true
                case 0x5B, 0x7B: depth += 1
                case 0x5D, 0x7D:
                    depth -= 1
                    if depth == 0 { return bytes[open...i] }
                default: break
                }
            }
            return nil
        }

        private static func holdsWholeHistory(_ candidate: Candidate) -> Bool {
            switch candidate {
            case .onDisk(_, _, _, let version), .decoded(_, _, let version): return version == JournalRecord.wholeHistoryVersion
            }
        }

        private static func bytes(fd: Int32, path: String, offset: Int64, length: Int) throws(JournalError) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: length)
            let got = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, length, off_t(offset)) }
            guard got == length else {
                throw JournalError("cannot read the journal \(path) again: \(String(cString: strerror(errno)))")
            }
            return buffer
        }

        /// A quick check that the bytes are one JSON object with balanced brackets and closed strings;
        /// catches cut-short and garbled lines without decoding them.
        static func isBalancedObject(_ bytes: ArraySlice<UInt8>) -> Bool {
            guard bytes.first == UInt8(ascii: "{"), bytes.last == UInt8(ascii: "}") else { return false }
            return bytes.withUnsafeBufferPointer { buffer -> Bool in
                var depth = 0
                var inString = false
                var escaped = false
                let last = buffer.count - 1
                for position in 0..<buffer.count {
                    let b = buffer[position]
                    if inString {
                        if escaped { escaped = false } else if b == 0x5C { escaped = true } else if b == 0x22 { inString = false } else if b < 0x20 { return false }
                        continue
                    }
                    switch b {
                    case 0x22: inString = true
                    case 0x7B, 0x5B: depth += 1
                    case 0x7D, 0x5D:
                        depth -= 1
                        if depth < 0 || (depth == 0 && position != last) { return false }
                    case 0x20, 0x09, 0x0D: break
                    case 0x00..<0x20: return false
                    default: break
                    }
                }
                return depth == 0 && !inString
            }
        }

        static func preview(_ line: ArraySlice<UInt8>) -> String {
            let text = String(decoding: line.prefix(40), as: UTF8.self)
            let printable = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
            return "'" + printable + (line.count > 40 ? "…'" : "'")
        }

        static func reason(_ error: any Error, inside prefix: String? = nil) -> String {
            func path(_ context: DecodingError.Context) -> String {
                ([prefix].compactMap { $0 } + context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue })
                    .joined(separator: ".")
            }
            switch error {
            case DecodingError.keyNotFound(let key, let context):
                return "field \(([prefix].compactMap { $0 } + context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")) missing"
            case DecodingError.typeMismatch(_, let context): return "wrong type at \(path(context))"
            case DecodingError.valueNotFound(_, let context): return "no value at \(path(context))"
            case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
                return "bad value at \(path(context))"
            default: return "not JSON"
            }
        }
    }

    /// The fixed start this program writes on every line:
    /// `{"v":2,"seq":17,"time":"2026-11-21T06:32:01.123Z","out_trade_no":"T01-…","attempt":` … `}`.
    private struct Envelope {
        let version: Int
        let seq: UInt64
        let outTradeNo: String
        /// Where the attempt object is within the line.
        let attempt: Range<Int>

        init?(_ line: ArraySlice<UInt8>) {
            var i = line.startIndex
            func expect(_ text: StaticString) -> Bool {
                let count = text.utf8CodeUnitCount
                guard line.endIndex - i >= count else { return false }
                let matches = text.withUTF8Buffer { literal in
                    literal.indices.allSatisfy { line[i + $0] == literal[$0] }
                }
                if matches { i += count }
                return matches
            }
            func number() -> UInt64? {
                var value: UInt64 = 0
                let start = i
                while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39, i - start < 19 {
                    value = value * 10 + UInt64(line[i] - 0x30)
                    i += 1
                }
                return i > start ? value : nil
            }
            guard expect(#"{"v":"#), let version = number(), version < 1000,
                  expect(#","seq":"#), let seq = number(),
                  expect(#","time":""#) else { return nil }
            // the time: 24 characters, checked when the attempt is decoded no further than this
            guard line.endIndex - i > 24, line[i + 24] == 0x22 else { return nil }
            i += 25
            guard expect(#","out_trade_no":""#) else { return nil }
            let idStart = i
            while i < line.endIndex, line[i] != 0x22, line[i] != 0x5C, line[i] >= 0x20 { i += 1 }
            guard i < line.endIndex, line[i] == 0x22, i > idStart else { return nil }
            let id = String(decoding: line[idStart..<i], as: UTF8.self)
            i += 1
            guard expect(#","attempt":"#), line.last == UInt8(ascii: "}"), line.endIndex - 1 > i else { return nil }
            self.version = Int(version)
            self.seq = seq
            self.outTradeNo = id
            self.attempt = i..<(line.endIndex - 1)
        }
    }
}
