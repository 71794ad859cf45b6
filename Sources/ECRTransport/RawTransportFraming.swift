/// Where a terminal's answer ends on a raw TCP link (no packets, PROTOCOL.md §6): one complete JSON
/// object, or one complete JSON string (quoted Base64); bare Base64 has no end of its own, so it
/// ends when the terminal closes the connection.
enum RawTransportFraming {
    /// An answer bigger than this is no terminal's: stop reading instead of filling memory.
    static let maximumAnswerBytes = 1 << 20

    /// The length of the first complete answer at the start of `bytes` (leading whitespace counted),
    /// or nil while more bytes are needed.
    static func completeAnswerLength(_ bytes: [UInt8]) -> Int? {
        guard let start = bytes.firstIndex(where: { !isSpace($0) }) else { return nil }
        switch bytes[start] {
        case UInt8(ascii: "{"): return endOfObject(bytes, from: start)
        case UInt8(ascii: "\""): return endOfString(bytes, from: start)
        default: return nil
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// One past the closing quote of the string opening at `start`.
    private static func endOfString(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// One past the brace closing the object opening at `start`; braces inside strings do not count.
    private static func endOfObject(_ bytes: [UInt8], from start: Int) -> Int? {
        var depth = 0
        var index = start
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let end = endOfString(bytes, from: index) else { return nil }
                index = end
                continue
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { return index + 1 }
            default:
                break
            }
            index += 1
        }
        return nil
    }
}
