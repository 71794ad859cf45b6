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
    public var problems: [JournalProblem]
    /// The highest sequence number seen; the next record gets a higher one.
    public var lastSequence: UInt64
    public var lineCount: Int
    /// True when the file does not end with a newline (a torn last write).
    var endsTorn: Bool

    public static let empty = JournalContents(attempts: [], problems: [], lastSequence: 0, lineCount: 0, endsTorn: false)
}

/// Reads a journal once, front to back, in large chunks: a 100,000-line history costs one pass.
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
        var builder = Builder()
        var pending: [UInt8] = []
        var offset: off_t = 0
        let chunkSize = 1 << 20
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, chunkSize, offset) }
            if count < 0 {
                if errno == EINTR { continue }
                throw JournalError("cannot read the journal \(path): \(String(cString: strerror(errno)))")
            }
            if count == 0 { break }
            offset += off_t(count)
            var start = 0
            for i in 0..<count where chunk[i] == 0x0A {
                if pending.isEmpty {
                    builder.add(chunk[start..<i])
                } else {
                    pending.append(contentsOf: chunk[start..<i])
                    builder.add(pending[...])
                    pending.removeAll(keepingCapacity: true)
                }
                start = i + 1
            }
            pending.append(contentsOf: chunk[start..<count])
        }
        if !pending.isEmpty {
            builder.torn(pending)
        }
        return builder.contents
    }

    /// Collects records line by line; the latest snapshot per out_trade_no wins.
    private struct Builder {
        let decoder = JournalRecord.decoder()
        var index: [String: Int] = [:]
        var contents = JournalContents.empty

        mutating func add(_ line: ArraySlice<UInt8>) {
            contents.lineCount += 1
            let number = contents.lineCount
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                return  // a blank line: written to close a torn one, not a record
            }
            let record: JournalRecord
            do {
                record = try decoder.decode(JournalRecord.self, from: Data(line))
            } catch {
                contents.problems.append(JournalProblem(line: number, reason: "not a readable record (\(Self.reason(error))); skipped: \(Self.preview(line))"))
                return
            }
            guard record.v == JournalRecord.currentVersion else {
                contents.problems.append(JournalProblem(line: number, reason: "written by another version of qfecr (format \(record.v)); skipped"))
                return
            }
            guard record.outTradeNo == record.attempt.outTradeNo else {
                contents.problems.append(JournalProblem(line: number, reason: "out_trade_no \(record.outTradeNo) does not match its attempt \(record.attempt.outTradeNo); skipped"))
                return
            }
            contents.lastSequence = max(contents.lastSequence, record.seq)
            if let at = index[record.outTradeNo] {
                contents.attempts[at] = record.attempt
            } else {
                index[record.outTradeNo] = contents.attempts.count
                contents.attempts.append(record.attempt)
            }
        }

        mutating func torn(_ tail: [UInt8]) {
            contents.lineCount += 1
            contents.endsTorn = true
            contents.problems.append(JournalProblem(line: contents.lineCount,
                                                    reason: "incomplete last line (\(tail.count) bytes; the till probably stopped while writing it); skipped"))
        }

        static func preview(_ line: ArraySlice<UInt8>) -> String {
            let text = String(decoding: line.prefix(40), as: UTF8.self)
            let printable = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
            return "'" + printable + (line.count > 40 ? "…'" : "'")
        }

        static func reason(_ error: any Error) -> String {
            switch error {
            case DecodingError.keyNotFound(let key, _): return "field \(key.stringValue) missing"
            case DecodingError.typeMismatch(_, let context): return "wrong type at \(Self.path(context))"
            case DecodingError.valueNotFound(_, let context): return "no value at \(Self.path(context))"
            case DecodingError.dataCorrupted(let context) where !context.codingPath.isEmpty:
                return "bad value at \(Self.path(context))"
            default: return "not JSON"
            }
        }

        static func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
    }
}
