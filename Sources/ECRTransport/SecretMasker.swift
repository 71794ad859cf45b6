import Foundation

/// Replaces every occurrence of the profile's secrets (POS-KEY, cloud client key, notification key)
/// with its masked form (`…aacd`). The protocol never sends a secret, so this is
/// defence in depth: a terminal or a test server that echoes one must not put it into a log, the
/// screen, `--json` or the journal.
///
/// Matching ignores ASCII case (a key may come back upper-cased), and a secret echoed as hex or as
/// Base64 of its bytes is masked too. A secret split across two reads is not recognised: each event
/// is masked on its own.
public struct SecretMasker: Sendable {
    /// What to look for, and what to show instead.
    private let patterns: [(bytes: [UInt8], shown: [UInt8])]
    /// Which bytes (lower-cased) start a pattern, for patterns of one byte.
    private let starts: [Bool]
    /// Which pairs of bytes (lower-cased, first << 8 | second) start a pattern, as a 65,536-bit set:
    /// a key of hex digits starts with bytes found all over an answer, a pair of them far less often.
    private let pairs: [UInt64]
    private let hasOneBytePattern: Bool
    /// No text shorter than this can hold a secret: most of an answer's strings are passed over whole.
    private let shortestPattern: Int

    /// Empty secrets are ignored; longer patterns are masked first, so one inside another is no problem.
    public init(secrets: [String]) {
        var patterns: [(bytes: [UInt8], shown: [UInt8])] = []
        for secret in Set(secrets.filter { !$0.isEmpty }) {
            let shown = Array(Self.maskedForm(of: secret).utf8)
            let bytes = Array(secret.utf8)
            patterns.append((bytes, shown))
            // Encoded forms only of real keys: a short test secret's hex could match unrelated bytes.
            guard bytes.count >= 8 else { continue }
            patterns.append((Array(bytes.map { String(format: "%02x", $0) }.joined().utf8), shown))
            patterns.append((Array(Data(bytes).base64EncodedString().utf8), shown))
        }
        self.patterns = patterns.sorted { $0.bytes.count > $1.bytes.count }
        var starts = [Bool](repeating: false, count: 256)
        var pairs = [UInt64](repeating: 0, count: 1024)
        for pattern in patterns {
            starts[Int(Self.lowered(pattern.bytes[0]))] = true
            if pattern.bytes.count > 1 {
                let pair = Int(Self.lowered(pattern.bytes[0])) << 8 | Int(Self.lowered(pattern.bytes[1]))
                pairs[pair >> 6] |= 1 << UInt64(pair & 63)
            }
        }
        self.starts = starts
        self.pairs = pairs
        hasOneBytePattern = patterns.contains { $0.bytes.count == 1 }
        shortestPattern = patterns.map(\.bytes.count).min() ?? Int.max
    }

    /// What a secret is shown as wherever it is shown: `…aacd`, its last 4 characters; a secret
    /// of 4 characters or fewer shows none of them.
    public static func maskedForm(of secret: String) -> String {
        secret.count > 4 ? "…" + secret.suffix(4) : "…"
    }

    public var isEmpty: Bool { patterns.isEmpty }

    public func mask(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.withUnsafeBufferPointer(containsSecret) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        scanning: while index < bytes.count {
            for pattern in patterns where Self.matches(pattern.bytes, in: bytes, at: index) {
                out += pattern.shown
                index += pattern.bytes.count
                continue scanning
            }
            out.append(bytes[index])
            index += 1
        }
        return out
    }

    public func mask(_ text: String) -> String {
        guard !patterns.isEmpty else { return text }
        // Read in place (a native string's bytes need no copy), and left as it is when nothing
        // matches: decoding again would cost a copy for every string shown.
        var text = text
        guard text.withUTF8(containsSecret) else { return text }
        return String(decoding: mask(Array(text.utf8)), as: UTF8.self)
    }

    func containsSecret(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !patterns.isEmpty, !bytes.isEmpty, bytes.count >= shortestPattern else { return false }
        if hasOneBytePattern {
            for index in bytes.indices where starts[Int(Self.lowered(bytes[index]))] {
                for pattern in patterns where Self.matches(pattern.bytes, in: bytes, at: index) { return true }
            }
            return false
        }
        return pairs.withUnsafeBufferPointer { pairs in
            var previous = Int(Self.lowered(bytes[0]))
            // A pattern starting later than this would run past the end.
            for index in 1...(bytes.count - shortestPattern + 1) {
                let next = Int(Self.lowered(bytes[index]))
                let pair = previous << 8 | next
                previous = next
                guard pairs[pair >> 6] & (1 << UInt64(pair & 63)) != 0 else { continue }
                for pattern in patterns where Self.matches(pattern.bytes, in: bytes, at: index - 1) { return true }
            }
            return false
        }
    }

    private static func matches<Bytes: RandomAccessCollection<UInt8>>(_ secret: [UInt8], in bytes: Bytes, at start: Int) -> Bool
        where Bytes.Index == Int {
        guard bytes.count - start >= secret.count else { return false }
        for offset in 0..<secret.count where lowered(bytes[start + offset]) != lowered(secret[offset]) {
            return false
        }
        return true
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}

/// Passes wire events, notes and exchange reports on with the secrets masked.
public struct SecretMaskingObserver: WireNoteObserver, WireReportObserver {
    public let inner: any WireObserver
    public let masker: SecretMasker

    public init(_ inner: any WireObserver, masker: SecretMasker) {
        self.inner = inner
        self.masker = masker
    }

    public func observe(_ event: WireEvent) {
        inner.observe(WireEvent(direction: event.direction, label: event.label, timestamp: event.timestamp,
                                bytes: masker.mask(event.bytes)))
    }

    public func observe(note: WireNote) {
        guard let noting = inner as? any WireNoteObserver else { return }
        noting.observe(note: WireNote(label: note.label, timestamp: note.timestamp, text: masker.mask(note.text)))
    }

    /// Timings and certificates hold no secret of ours; the report goes on as it is.
    public func observe(report: WireExchangeReport) {
        (inner as? any WireReportObserver)?.observe(report: report)
    }
}
