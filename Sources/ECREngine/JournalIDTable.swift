import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The index found not to match the journal (or itself): it is rebuilt from the lines, never trusted.
struct JournalIndexStale: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ reason: String) { description = reason }
}

/// The rows of `journal.index`: one line per attempt, sorted by out_trade_no, kept on disk. A lookup
/// reads the list of blocks once (64 rows each, with their hash), then one block. So a journal of
/// years answers "is this out_trade_no used?" without holding its ids in memory.
final class JournalIDTable: Sendable {
    /// Where the rows and their block list are in the index file.
    struct Layout: Sendable, Equatable {
        var rowsStart: Int64
        var rowsLength: Int64
        var blocksLength: Int
        var blocksHash: UInt64
    }

    struct Block: Sendable, Equatable {
        /// The first row's out_trade_no as written (escaped): rows sort by these bytes.
        var firstKey: [UInt8]
        /// Offset within the rows.
        var offset: Int64
        var length: Int
        var count: Int
        var hash: UInt64
    }

    static let rowsPerBlock = 64

    private let fd: Int32
    let path: String
    let layout: Layout
    private let loaded = Mutex<[Block]?>(nil)

    /// Takes the descriptor: it stays open as long as the table, so the table reads the same file
    /// even after a newer index replaces it on disk.
    init(fd: Int32, path: String, layout: Layout) {
        self.fd = fd
        self.path = path
        self.layout = layout
    }

    deinit { close(fd) }

    static func key(_ outTradeNo: String) -> [UInt8] { Array(JournalIndexText.escape(outTradeNo).utf8) }

    var isEmpty: Bool { layout.rowsLength == 0 }

    /// The row of `outTradeNo`, or nil when the index knows no such attempt.
    func row(_ outTradeNo: String) throws(JournalIndexStale) -> JournalIndex.Row? {
        let key = Self.key(outTradeNo)
        let blocks = try self.blocks()
        var low = 0, high = blocks.count
        while low < high {
            let middle = (low + high) / 2
            if blocks[middle].firstKey.lexicographicallyPrecedes(key) || blocks[middle].firstKey == key {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low > 0 else { return nil }
        for line in try rows(of: blocks[low - 1]) {
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard let first = fields.first, first.elementsEqual(key) else { continue }
            guard let row = JournalIndexText.row(fields.map { Substring(String(decoding: $0, as: UTF8.self)) }) else {
                throw JournalIndexStale("a row of the index cannot be read")
            }
            return row
        }
        return nil
    }

    /// Every row, in out_trade_no order.
    func forEachRow(_ body: (JournalIndex.Row) throws(JournalIndexStale) -> Void) throws(JournalIndexStale) {
        for block in try blocks() {
            for line in try rows(of: block) {
                let fields = String(decoding: line, as: UTF8.self).split(separator: " ", omittingEmptySubsequences: false)
                guard let row = JournalIndexText.row(fields) else { throw JournalIndexStale("a row of the index cannot be read") }
                try body(row)
            }
        }
    }

    private func rows(of block: Block) throws(JournalIndexStale) -> [ArraySlice<UInt8>] {
        let bytes = try read(at: layout.rowsStart + block.offset, length: block.length)
        guard JournalIndexText.hash(bytes) == block.hash, bytes.last == 0x0A else { throw JournalIndexStale("a block of the index is damaged") }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count == block.count else { throw JournalIndexStale("a block of the index is damaged") }
        return lines
    }

    func blocks() throws(JournalIndexStale) -> [Block] {
        if let known = loaded.withLock({ $0 }) { return known }
        let bytes = try read(at: layout.rowsStart + layout.rowsLength, length: layout.blocksLength)
        guard JournalIndexText.hash(bytes) == layout.blocksHash else { throw JournalIndexStale("the index's list of blocks is damaged") }
        var blocks: [Block] = []
        var expected: Int64 = 0
        for line in bytes.split(separator: 0x0A) {
            let fields = line.split(separator: 0x20, omittingEmptySubsequences: false)
            guard fields.count == 5, let offset = Int64(String(decoding: fields[1], as: UTF8.self)),
                  let length = Int(String(decoding: fields[2], as: UTF8.self)), let count = Int(String(decoding: fields[3], as: UTF8.self)),
                  let hash = UInt64(String(decoding: fields[4], as: UTF8.self)), offset == expected, length > 0, count > 0
            else { throw JournalIndexStale("the index's list of blocks is damaged") }
            blocks.append(Block(firstKey: Array(fields[0]), offset: offset, length: length, count: count, hash: hash))
            expected += Int64(length)
        }
        guard expected == layout.rowsLength else { throw JournalIndexStale("the index's list of blocks does not cover its rows") }
        loaded.withLock { $0 = blocks }
        return blocks
    }

    private func read(at offset: Int64, length: Int) throws(JournalIndexStale) -> [UInt8] {
        guard length > 0 else { return [] }
        do { return try JournalAssembly.bytes(fd: fd, path: path, offset: offset, length: length) } catch {
            throw JournalIndexStale("the index is shorter than it says")
        }
    }

    // MARK: Writing

    /// The rows and block list of a new index: `old`'s rows with `changes` (sorted by key) put in
    /// place of theirs, in one pass.
    static func merged(_ old: JournalIDTable?, with changes: [JournalIndex.Row]) throws(JournalIndexStale) -> (rows: [UInt8], blocks: [UInt8], count: Int) {
        var writer = Writer()
        var pending = changes.map { (key: key($0.outTradeNo), row: $0) }[...]
        if let old {
            try old.forEachRow { (row) throws(JournalIndexStale) in
                let key = Self.key(row.outTradeNo)
                while let next = pending.first, next.key.lexicographicallyPrecedes(key) {
                    writer.add(next.row)
                    pending = pending.dropFirst()
                }
                if let next = pending.first, next.key == key {
                    writer.add(next.row)
                    pending = pending.dropFirst()
                } else {
                    writer.add(row)
                }
            }
        }
        for change in pending { writer.add(change.row) }
        writer.closeBlock()
        return (writer.rows, writer.blocks, writer.count)
    }

    private struct Writer {
        var rows: [UInt8] = []
        var blocks: [UInt8] = []
        var count = 0
        private var blockStart = 0
        private var blockCount = 0
        private var blockKey: [UInt8] = []

        mutating func add(_ row: JournalIndex.Row) {
            if blockCount == 0 { blockKey = key(row.outTradeNo) }
            rows.append(contentsOf: (JournalIndexText.row(row) + "\n").utf8)
            blockCount += 1
            count += 1
            if blockCount == JournalIDTable.rowsPerBlock { closeBlock() }
        }

        mutating func closeBlock() {
            guard blockCount > 0 else { return }
            let hash = JournalIndexText.hash(rows[blockStart...])
            blocks.append(contentsOf: blockKey)
            blocks.append(contentsOf: " \(blockStart) \(rows.count - blockStart) \(blockCount) \(hash)\n".utf8)
            blockStart = rows.count
            blockCount = 0
        }
    }
}
