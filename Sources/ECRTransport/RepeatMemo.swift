import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The last value made for a key, kept for an exact repeat. A payment's polling sends the very same
/// inquiry every second or two (no time in it, a fixed IV), and until the sale changes the terminal
/// sends the very same answer: writing the one out and reading the other again would give the same
/// bytes and the same reading. Any other key is made afresh and kept in its place. What is made
/// must depend on the key alone (and on what the owner holds fixed, such as its POS-KEY).
final class RepeatMemo<Key: Equatable & Sendable, Value: Sendable>: Sendable {
    private let last = Mutex<(key: Key, value: Value)?>(nil)

    init() {}

    func value<Failure: Error>(for key: Key, _ make: () throws(Failure) -> Value) throws(Failure) -> Value {
        if let kept = last.withLock({ $0 }), kept.key == key { return kept.value }
        let value = try make()
        last.withLock { $0 = (key, value) }
        return value
    }
}

/// Bytes as a memo's key, compared with `memcmp`: an answer of several hundred bytes is compared on
/// every poll, and the element-by-element `==` of an array cost more than a third of reading it.
struct MemoBytes: Equatable, Sendable {
    let bytes: [UInt8]

    static func == (lhs: MemoBytes, rhs: MemoBytes) -> Bool {
        guard lhs.bytes.count == rhs.bytes.count else { return false }
        return lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in left.count == 0 || memcmp(left.baseAddress!, right.baseAddress!, left.count) == 0 }
        }
    }
}
