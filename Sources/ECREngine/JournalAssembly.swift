import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Turns an attempt's journal lines back into the attempt: the snapshot from its last readable line,
/// and the history its lines hold up to that one (a line holds only the steps since the previous
/// one). What cannot be read is noted in `problems`, never thrown.
struct JournalAssembly {
    let fd: Int32
    let path: String
    let decoder = JournalRecord.decoder()
    var problems: [JournalProblem] = []

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    /// What an earlier line adds to an attempt's history.
    private struct Steps: Decodable {
        let history: [AttemptTransition]
    }

    /// The attempt from its lines (oldest first), falling back to an earlier line when the latest is
    /// unreadable. `whole` says the lines are all the attempt has; when false (the first ones are
    /// elsewhere), an attempt with no readable line is not reported as lost.
    mutating func attempt(_ candidates: [JournalCandidate], of outTradeNo: String, whole: Bool = true) throws(JournalError) -> PaymentAttempt? {
        var found: PaymentAttempt?
        var foundAt = candidates.count
        for (position, candidate) in candidates.enumerated().reversed() {
            found = try snapshot(candidate, of: outTradeNo)
            if found != nil { foundAt = position; break }
        }
        guard var found else {
            if whole { problems.append(JournalProblem(line: nil, reason: "no readable record is left for \(outTradeNo): check it by hand")) }
            return nil
        }
        let earlier = try history(candidates[..<foundAt], of: outTradeNo)
        if !candidates[foundAt].holdsWholeHistory { found.history = earlier + found.history }
        return found
    }

    /// The attempt a line holds, or nil (and the problem noted) when it cannot be read.
    private mutating func snapshot(_ candidate: JournalCandidate, of outTradeNo: String) throws(JournalError) -> PaymentAttempt? {
        switch candidate.payload {
        case .decoded(let attempt):
            return attempt
        case .onDisk(let offset, let length):
            let buffer = try Self.bytes(fd: fd, path: path, offset: offset, length: length)
            do {
                let attempt = try decoder.decode(PaymentAttempt.self, from: Data(buffer))
                if attempt.outTradeNo == outTradeNo { return attempt }
                problems.append(JournalProblem(line: candidate.line, reason: "out_trade_no \(outTradeNo) does not match its attempt \(attempt.outTradeNo); skipped"))
            } catch {
                problems.append(JournalProblem(line: candidate.line, reason: "not a readable record (\(Self.reason(error, inside: "attempt"))); skipped: \(Self.preview(buffer[...]))"))
            }
            return nil
        }
    }

    /// Joins the steps of an attempt's lines, oldest first. A format-1 line carries the whole
    /// history so far and replaces what was read before it; an unreadable line loses its steps.
    private mutating func history(_ candidates: ArraySlice<JournalCandidate>, of outTradeNo: String) throws(JournalError) -> [AttemptTransition] {
        var history: [AttemptTransition] = []
        for candidate in candidates {
            let steps: [AttemptTransition]
            switch candidate.payload {
            case .decoded(let attempt):
                steps = attempt.history
            case .onDisk(let offset, let length):
                let buffer = try Self.bytes(fd: fd, path: path, offset: offset, length: length)
                do {
                    // Only the `history` array is decoded: most of a line is the snapshot, read once from the last line.
                    if let array = Self.historyArray(in: buffer) {
                        steps = try decoder.decode([AttemptTransition].self, from: Data(array))
                    } else {
                        steps = try decoder.decode(Steps.self, from: Data(buffer)).history
                    }
                } catch {
                    problems.append(JournalProblem(line: candidate.line, reason: "not a readable record (\(Self.reason(error, inside: "attempt"))); its step is missing from the history of \(outTradeNo)"))
                    continue
                }
            }
            if candidate.holdsWholeHistory { history = steps } else { history += steps }
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

    static func bytes(fd: Int32, path: String, offset: Int64, length: Int) throws(JournalError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: length)
        var got = 0
        while got < length {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, length - got, off_t(offset + Int64(got))) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw JournalError("cannot read the journal \(path) again: \(n < 0 ? String(cString: strerror(errno)) : "it is shorter than before")")
            }
            got += n
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
