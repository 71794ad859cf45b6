import Synchronization

/// The last value made for a key, kept for an exact repeat. A payment's polling sends the very same
/// inquiry every second or two (no time in it, a fixed IV): writing it out again would give the
/// same bytes. Any other key is made afresh and kept in its place. What is made must depend on the
/// key alone (and on what the owner holds fixed, such as its POS-KEY). Answers are not kept: a
/// terminal stamps each with the second it was given (`server_time`), so a till polling every
/// second or two would never see one again.
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

