/// Replaces every occurrence of the profile's secrets (POS-KEY, cloud client key) in observed bytes
/// with the secret's masked form (`…aacd`). The protocol never sends a secret, so this is
/// defence in depth: a terminal or a test server that echoes one must not put it into a log.
///
/// Matching ignores ASCII case (a key may come back upper-cased). A secret split across two reads
/// is not recognised: each event is masked on its own.
public struct SecretMasker: Sendable {
    private let secrets: [[UInt8]]

    /// Empty secrets are ignored; longer secrets are masked first, so one inside another is no problem.
    public init(secrets: [String]) {
        self.secrets = Set(secrets.filter { !$0.isEmpty }).map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    /// What a secret is shown as wherever it is shown: `…aacd`, its last 4 characters; a secret
    /// of 4 characters or fewer shows none of them.
    public static func maskedForm(of secret: String) -> String {
        secret.count > 4 ? "…" + secret.suffix(4) : "…"
    }

    public var isEmpty: Bool { secrets.isEmpty }

    public func mask(_ bytes: [UInt8]) -> [UInt8] {
        guard !secrets.isEmpty else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        scanning: while index < bytes.count {
            for secret in secrets where Self.matches(secret, in: bytes, at: index) {
                out += Array(Self.maskedForm(of: String(decoding: secret, as: UTF8.self)).utf8)
                index += secret.count
                continue scanning
            }
            out.append(bytes[index])
            index += 1
        }
        return out
    }

    public func mask(_ text: String) -> String {
        String(decoding: mask(Array(text.utf8)), as: UTF8.self)
    }

    private static func matches(_ secret: [UInt8], in bytes: [UInt8], at start: Int) -> Bool {
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

/// Passes wire events and notes on with the secrets masked.
public struct SecretMaskingObserver: WireNoteObserver {
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
}
