import Foundation

/// What `journal.index` says about the journal up to a point (`coverage`): where each day's lines
/// start, which attempts are not final, which lines are damaged, the highest numbers used, and — in
/// the rows, sorted by out_trade_no — where every attempt's lines are. Everything in it can be
/// rebuilt from the journal's lines, and it is, whenever it is missing, damaged or does not match.
/// Pure: no I/O (`JournalIndexFile` reads and writes it).
struct JournalIndex: Sendable, Equatable {
    static let format = 1

    /// How much of the journal the index describes, and how to tell it is still that journal.
    struct Coverage: Sendable, Equatable {
        /// Offset just after the last line described.
        var bytes: Int64 = 0
        var lines = 0
        var device: UInt64 = 0
        var inode: UInt64 = 0
        /// Where the last line described starts, and a hash of its bytes (newline included).
        var lastLine: Int64 = 0
        var lastLineHash: UInt64 = 0
        /// The journal's modification time when the index was written (nanoseconds): a journal of
        /// just these lines modified since was changed in place (edited by hand), not appended to.
        var modified: Int64 = 0
    }

    /// A run of consecutive lines written on one UTC day.
    struct Chunk: Sendable, Equatable {
        /// yyyymmdd; 0 when the first lines of the journal carry no readable time.
        var day: Int32
        var offset: Int64
        /// The number of its first line.
        var line: Int
        /// How many attempts have their first line here.
        var firsts = 0
        /// When those attempts were created (milliseconds since 1970): history ranges pick chunks by
        /// these, not by the day, so a clock set wrong picks the right lines still.
        var earliest = Int64.max
        var latest = Int64.min

        mutating func count(createdAt: Date?) {
            firsts += 1
            guard let createdAt else { return }
            let millis = Int64((createdAt.timeIntervalSince1970 * 1000).rounded(.down))
            earliest = min(earliest, millis)
            latest = max(latest, millis)
        }

        func created(from start: Date?, to end: Date?) -> Bool {
            guard firsts > 0 else { return false }
            // An attempt whose time could not be read counts as possibly anywhere.
            guard earliest <= latest else { return true }
            if let start, Double(latest) < (start.timeIntervalSince1970 * 1000).rounded(.down) { return false }
            if let end, Double(earliest) >= (end.timeIntervalSince1970 * 1000).rounded(.up) { return false }
            return true
        }
    }

    /// Where one attempt's lines are: from its first to its last (other attempts' lines may lie between).
    struct Row: Sendable, Equatable {
        var outTradeNo: String
        var first: Int64
        /// The number of its first line.
        var line: Int
        var last: Int64
        /// The terminal's id once known, and for a refund the sale's: lookups by syssn read these.
        var syssn: String?
        var refundOf: String?
    }

    var coverage = Coverage()
    var lastSequence: UInt64 = 0
    /// The highest out_trade_no sequence of each till id that made ids in the journal.
    var tillSequences: [String: Int] = [:]
    var chunks: [Chunk] = []
    /// The attempts not final, whatever their day or terminal: start-up resumes them without a scan.
    var open: [Row] = []
    var problems: [JournalProblem] = []
    /// How many attempts the journal holds.
    var attempts = 0
}

// MARK: Text

/// The index is text, one record a line, so a technician can read it (`head journal.index`). Fields are
/// separated by one space; in strings, bytes up to space, `%` and DEL are written `%XX`, an empty
/// string is `%` and a missing one `-`.
enum JournalIndexText {
    static func escape(_ text: String) -> String {
        if text.isEmpty { return "%" }
        if text == "-" { return "%2D" }
        var out: [UInt8] = []
        for byte in text.utf8 {
            if byte <= 0x20 || byte == 0x25 || byte == 0x7F {
                out.append(0x25)
                out.append(contentsOf: (byte < 0x10 ? "0" : "").utf8)
                out.append(contentsOf: String(byte, radix: 16, uppercase: true).utf8)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func unescape(_ field: Substring) -> String? {
        if field == "%" { return "" }
        let bytes = Array(field.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x25 {
                guard i + 2 < bytes.count, let value = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
                else { return nil }
                out.append(value)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func optional(_ text: String?) -> String { text.map(escape) ?? "-" }

    static func unescapeOptional(_ field: Substring) -> String?? {
        field == "-" ? .some(nil) : unescape(field).map { .some($0) }
    }

    /// FNV-1a, 64 bits: enough to tell a damaged or half-written index from a whole one.
    static func hash<Bytes: Sequence>(_ bytes: Bytes, into seed: UInt64 = 0xCBF2_9CE4_8422_2325) -> UInt64 where Bytes.Element == UInt8 {
        var value = seed
        for byte in bytes {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01B3
        }
        return value
    }

    static func row(_ row: JournalIndex.Row) -> String {
        "\(escape(row.outTradeNo)) \(row.first) \(row.line) \(row.last) \(optional(row.syssn)) \(optional(row.refundOf))"
    }

    static func row(_ fields: [Substring]) -> JournalIndex.Row? {
        guard fields.count == 6, let id = unescape(fields[0]), let first = Int64(fields[1]), let line = Int(fields[2]),
              let last = Int64(fields[3]), let syssn = unescapeOptional(fields[4]), let refundOf = unescapeOptional(fields[5]),
              first >= 0, last >= first, line > 0 else { return nil }
        return JournalIndex.Row(outTradeNo: id, first: first, line: line, last: last, syssn: syssn, refundOf: refundOf)
    }
}

extension JournalIndex {
    static let magic = "qfecr-journal-index"

    /// The summary, at the start of the file: everything but the rows and their blocks, ending with
    /// `summary HASH` over the lines before it. The rows follow it, then the list of their blocks.
    func summaryText(rowsLength: Int64, blocks: [UInt8]) -> [UInt8] {
        var lines = ["\(Self.magic) \(Self.format)",
                     "covers \(coverage.bytes) \(coverage.lines) \(coverage.device) \(coverage.inode) \(coverage.lastLine) \(coverage.lastLineHash) \(coverage.modified)",
                     "sequence \(lastSequence)",
                     "attempts \(attempts)"]
        for (till, sequence) in tillSequences.sorted(by: { $0.key < $1.key }) {
            lines.append("till \(JournalIndexText.escape(till)) \(sequence)")
        }
        for chunk in chunks {
            lines.append("chunk \(chunk.day) \(chunk.offset) \(chunk.line) \(chunk.firsts) \(chunk.earliest) \(chunk.latest)")
        }
        for row in open { lines.append("open " + JournalIndexText.row(row)) }
        for problem in problems {
            lines.append("problem \(problem.line.map(String.init) ?? "-") \(JournalIndexText.escape(problem.reason))")
        }
        lines.append("rows \(rowsLength)")
        lines.append("blocks \(blocks.count) \(JournalIndexText.hash(blocks))")
        var bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        bytes.append(contentsOf: "summary \(JournalIndexText.hash(bytes))\n".utf8)
        return bytes
    }

    /// Reads a summary; nil when it is not one this program wrote whole (then the index is rebuilt).
    /// `text` is everything up to and including the `summary` line.
    static func parse(summary text: ArraySlice<UInt8>) -> (index: JournalIndex, layout: JournalIDTable.Layout)? {
        guard let summaryStart = text.dropLast().lastIndex(of: 0x0A).map({ $0 + 1 }) else { return nil }
        let body = text[text.startIndex..<summaryStart]
        let summaryLine = String(decoding: text[summaryStart...].dropLast(), as: UTF8.self)
        guard text.last == 0x0A, summaryLine == "summary \(JournalIndexText.hash(body))" else { return nil }
        var index = JournalIndex()
        var rowsLength: Int64?
        var blocks: (length: Int, hash: UInt64)?
        var sawCoverage = false
        for (number, line) in body.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().enumerated() {
            let fields = String(decoding: line, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
            guard let kind = fields.first else { return nil }
            let rest = Array(fields.dropFirst())
            if number == 0 {
                guard kind == Self.magic, rest == ["\(format)"] else { return nil }
                continue
            }
            switch kind {
            case "covers":
                guard rest.count == 7, let bytes = Int64(rest[0]), let lines = Int(rest[1]), let device = UInt64(rest[2]),
                      let inode = UInt64(rest[3]), let lastLine = Int64(rest[4]), let hash = UInt64(rest[5]),
                      let modified = Int64(rest[6]) else { return nil }
                index.coverage = Coverage(bytes: bytes, lines: lines, device: device, inode: inode, lastLine: lastLine,
                                          lastLineHash: hash, modified: modified)
                sawCoverage = true
            case "sequence":
                guard rest.count == 1, let value = UInt64(rest[0]) else { return nil }
                index.lastSequence = value
            case "attempts":
                guard rest.count == 1, let value = Int(rest[0]) else { return nil }
                index.attempts = value
            case "till":
                guard rest.count == 2, let till = JournalIndexText.unescape(rest[0]), let value = Int(rest[1]) else { return nil }
                index.tillSequences[till] = value
            case "chunk":
                guard rest.count == 6, let day = Int32(rest[0]), let offset = Int64(rest[1]), let line = Int(rest[2]),
                      let firsts = Int(rest[3]), let earliest = Int64(rest[4]), let latest = Int64(rest[5]) else { return nil }
                index.chunks.append(Chunk(day: day, offset: offset, line: line, firsts: firsts, earliest: earliest, latest: latest))
            case "open":
                guard let row = JournalIndexText.row(rest) else { return nil }
                index.open.append(row)
            case "problem":
                guard rest.count == 2, let reason = JournalIndexText.unescape(rest[1]) else { return nil }
                let number = rest[0] == "-" ? nil : Int(rest[0])
                guard number != nil || rest[0] == "-" else { return nil }
                index.problems.append(JournalProblem(line: number, reason: reason))
            case "rows":
                guard rest.count == 1, let value = Int64(rest[0]) else { return nil }
                rowsLength = value
            case "blocks":
                guard rest.count == 2, let length = Int(rest[0]), let hash = UInt64(rest[1]) else { return nil }
                blocks = (length, hash)
            default:
                return nil
            }
        }
        guard sawCoverage, let rowsLength, let blocks, rowsLength >= 0, blocks.length >= 0 else { return nil }
        let rowsStart = Int64(text.count)
        return (index, JournalIDTable.Layout(rowsStart: rowsStart, rowsLength: rowsLength, blocksLength: blocks.length,
                                             blocksHash: blocks.hash))
    }
}
