/// Splits a raw TCP byte stream (no framing) into request bodies: one JSON value each — a quoted
/// Base64 string or an envelope object — or, for bare Base64, a run ended by whitespace or a pause.
struct RawMessageSplitter: Sendable {
    private var buffer: [UInt8] = []

    /// Most a raw request may be before it is refused: bounds memory if a peer never ends one.
    static let maximumSize = 1 << 20

    var hasPartialMessage: Bool { buffer.contains { !Self.isSpace($0) } }
    var isOverflowing: Bool { buffer.count > Self.maximumSize }

    mutating func append(_ bytes: [UInt8]) {
        buffer += bytes
    }

    /// The next complete message, if any.
    mutating func next() -> [UInt8]? {
        guard let start = buffer.firstIndex(where: { !Self.isSpace($0) }) else {
            buffer.removeAll()
            return nil
        }
        guard let end = Self.endOfValue(buffer, from: start) else { return nil }
        let message = Array(buffer[start..<end])
        buffer.removeSubrange(0..<end)
        return message
    }

    /// After a pause: bare Base64 has no terminator of its own, so what has arrived is the message.
    mutating func flush() -> [UInt8]? {
        guard let start = buffer.firstIndex(where: { !Self.isSpace($0) }), buffer[start] != UInt8(ascii: "{"),
              buffer[start] != UInt8(ascii: "\"") else { return nil }
        let end = buffer.lastIndex(where: { !Self.isSpace($0) })! + 1
        let message = Array(buffer[start..<end])
        buffer.removeAll()
        return message
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }

    /// One past the value that starts at `start`, or nil while it is incomplete.
    private static func endOfValue(_ bytes: [UInt8], from start: Int) -> Int? {
        let first = bytes[start]
        if first == UInt8(ascii: "\"") {
            var i = start + 1
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                if bytes[i] == UInt8(ascii: "\"") { return i + 1 }
                i += 1
            }
            return nil
        }
        if first == UInt8(ascii: "{") {
            // Brace depth outside strings; the lenient envelope quotes with ' as well as ".
            var depth = 0
            var quote: UInt8?
            var i = start
            while i < bytes.count {
                let b = bytes[i]
                if let q = quote {
                    if b == UInt8(ascii: "\\") { i += 2; continue }
                    if b == q { quote = nil }
                } else if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") {
                    quote = b
                } else if b == UInt8(ascii: "{") {
                    depth += 1
                } else if b == UInt8(ascii: "}") {
                    depth -= 1
                    if depth == 0 { return i + 1 }
                }
                i += 1
            }
            return nil
        }
        // Bare Base64: up to the first whitespace.
        guard let end = bytes[start...].firstIndex(where: isSpace) else { return nil }
        return end
    }
}
