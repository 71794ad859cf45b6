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
        let scan = try JournalScan.read(fd: fd, path: path)
        var assembly = JournalAssembly(fd: fd, path: path)
        var attempts: [PaymentAttempt] = []
        attempts.reserveCapacity(scan.slots.count)
        var lastRecorded: PaymentAttempt?
        for (slotIndex, slot) in scan.slots.enumerated() {
            guard let found = try assembly.attempt(slot.candidates, of: slot.outTradeNo) else { continue }
            attempts.append(found)
            if slotIndex == scan.lastSlot { lastRecorded = found }
        }
        let problems = (scan.problems + assembly.problems + [scan.tornProblem].compactMap { $0 }).sorted { ($0.line ?? .max) < ($1.line ?? .max) }
        return JournalContents(attempts: attempts, problems: problems, lastSequence: scan.lastSequence,
                               lineCount: scan.lineCount + (scan.endsTorn ? 1 : 0), endsTorn: scan.endsTorn, lastRecorded: lastRecorded)
    }
}
