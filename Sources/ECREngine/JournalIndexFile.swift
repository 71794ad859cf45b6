import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `journal.index` on disk: the summary (`JournalIndex`), then the rows, then the list of their blocks.
/// Written whole to a new file, synced, then renamed over the old one: a crash leaves the old index or
/// the new one, never half of one, and a damaged one fails its hashes and is rebuilt.
enum JournalIndexFile {
    static let fileName = "journal.index"
    /// Files being written; a crash may leave one, removed the next time an index is written.
    static let partialPrefix = "journal.index.new-"

    /// The index in `directory`, or nil when there is none. Damage is `JournalIndexStale`.
    static func load(directory: String) throws(JournalIndexStale) -> (index: JournalIndex, table: JournalIDTable)? {
        let path = directory + "/" + fileName
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw JournalIndexStale("the index cannot be opened: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw JournalIndexStale("the index is not a regular file")
        }
        let size = Int64(info.st_size)
        // The summary ends at the first line starting `summary ` (no other line starts so).
        var text: [UInt8] = []
        var summaryEnd: Int?
        var searched = 0
        while summaryEnd == nil, Int64(text.count) < size {
            let want = Int(min(Int64(max(65_536, text.count)), size - Int64(text.count)))
            let more: [UInt8]
            do { more = try JournalAssembly.bytes(fd: fd, path: path, offset: Int64(text.count), length: want) } catch {
                close(fd)
                throw JournalIndexStale("the index cannot be read")
            }
            text += more
            summaryEnd = Self.summaryEnd(in: text, from: max(0, searched - 9))
            searched = text.count
        }
        guard let summaryEnd, let parsed = JournalIndex.parse(summary: text[..<summaryEnd]),
              parsed.layout.rowsStart + parsed.layout.rowsLength + Int64(parsed.layout.blocksLength) == size else {
            close(fd)
            throw JournalIndexStale("the index is damaged or was not written whole")
        }
        return (parsed.index, JournalIDTable(fd: fd, path: path, layout: parsed.layout))
    }

    /// Where the `summary …` line ends (after its newline).
    private static func summaryEnd(in text: [UInt8], from start: Int) -> Int? {
        let key = Array("\nsummary ".utf8)
        guard text.count >= key.count else { return nil }
        var i = start
        while i + key.count <= text.count {
            if text[i] == 0x0A, text[i..<(i + key.count)].elementsEqual(key) {
                guard let newline = text[(i + key.count)...].firstIndex(of: 0x0A) else { return nil }
                return newline + 1
            }
            i += 1
        }
        return nil
    }

    /// Writes `index` with `old`'s rows and `changes` merged in; returns the new file's rows.
    static func write(_ index: JournalIndex, old: JournalIDTable?, changes: [JournalIndex.Row],
                      directory: String) throws(JournalError) -> JournalIDTable {
        let merged: (rows: [UInt8], blocks: [UInt8], count: Int)
        do { merged = try JournalIDTable.merged(old, with: changes) } catch {
            throw JournalError("cannot write the journal index: \(error)")
        }
        var index = index
        index.attempts = merged.count
        let summary = index.summaryText(rowsLength: Int64(merged.rows.count), blocks: merged.blocks)
        removePartials(in: directory)
        let partial = directory + "/" + partialPrefix + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(partial, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw JournalError("cannot write the journal index \(partial): \(String(cString: strerror(errno)))") }
        do throws(JournalError) {
            for part in [summary, merged.rows, merged.blocks] { try writeAll(fd, part, path: partial) }
            guard fsync(fd) == 0 else { throw JournalError("cannot flush the journal index \(partial): \(String(cString: strerror(errno)))") }
            guard rename(partial, directory + "/" + fileName) == 0 else {
                throw JournalError("cannot put the journal index in place: \(String(cString: strerror(errno)))")
            }
        } catch {
            close(fd)
            unlink(partial)
            throw error
        }
        syncDirectory(directory)
        return JournalIDTable(fd: fd, path: directory + "/" + fileName,
                              layout: JournalIDTable.Layout(rowsStart: Int64(summary.count), rowsLength: Int64(merged.rows.count),
                                                            blocksLength: merged.blocks.count,
                                                            blocksHash: JournalIndexText.hash(merged.blocks)))
    }

    /// Removes index files a crash left half-written.
    static func removePartials(in directory: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(partialPrefix) { unlink(directory + "/" + name) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(JournalError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalError("cannot write the journal index \(path): \(String(cString: strerror(errno)))")
            }
            written += n
        }
    }

    static func syncDirectory(_ directory: String) {
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { return }
        fsync(dfd)
        close(dfd)
    }
}
