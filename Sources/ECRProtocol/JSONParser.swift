#if canImport(Glibc)
import Glibc
#endif

/// Why a JSON (or lenient envelope) text could not be read; `offset` is in UTF-8 bytes.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    public var description: String { "not valid JSON at byte \(offset): \(reason)" }
}

/// Parses JSON. In lenient mode it also reads what the terminal's Android JSON reader accepts:
/// unquoted keys, `=` between key and value, single-quoted strings (PROTOCOL.md §2), and numbers
/// with leading zeros (a code such as `0000` sent as a number).
public struct JSONParser {
    public static let maximumDepth = 32

    /// The text being read, borrowed for the length of one `parse` call: every answer a terminal
    /// sends is read here, so each byte is looked at without a bounds check of its own.
    private let bytes: UnsafeBufferPointer<UInt8>
    private let lenient: Bool
    private var index = 0
    /// Where strings with escapes are unescaped: made at the first one, as long as the rest of the
    /// text (no later string can be longer, and an escape never yields more bytes than it takes),
    /// and freed when `parse` returns.
    private var scratch: UnsafeMutableBufferPointer<UInt8>?

    private init(bytes: UnsafeBufferPointer<UInt8>, lenient: Bool) {
        self.bytes = bytes
        self.lenient = lenient
    }

    public static func parse(_ text: String, lenient: Bool = false) throws(JSONParseError) -> JSONValue {
        var text = text
        // `withUTF8` rethrows untyped errors, so the outcome is carried out as a value.
        return try text.withUTF8 { bytes in
            Result { () throws(JSONParseError) -> JSONValue in try parse(buffer: bytes, lenient: lenient) }
        }.get()
    }

    public static func parse(_ bytes: [UInt8], lenient: Bool = false) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (bytes) throws(JSONParseError) -> JSONValue in try parse(buffer: bytes, lenient: lenient) }
    }

    public static func parse(_ bytes: ArraySlice<UInt8>, lenient: Bool = false) throws(JSONParseError) -> JSONValue {
        try bytes.withUnsafeBufferPointer { (bytes) throws(JSONParseError) -> JSONValue in try parse(buffer: bytes, lenient: lenient) }
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>, lenient: Bool) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: buffer, lenient: lenient)
        defer { parser.scratch?.deallocate() }
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.index == buffer.count else { throw parser.failure("unexpected text after the value") }
        return value
    }

    private func failure(_ reason: String) -> JSONParseError {
        JSONParseError(offset: index, reason: reason)
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { index += 1 }
    }

    private mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth < JSONParser.maximumDepth else { throw failure("nested too deeply") }
        guard let b = current else { throw failure("unexpected end of text") }
        switch b {
        case UInt8(ascii: "{"): return try parseObject(depth: depth)
        case UInt8(ascii: "["): return try parseArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try parseString(quote: b))
        case UInt8(ascii: "'") where lenient: return .string(try parseString(quote: b))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default:
            if try consumeWord("true") { return .bool(true) }
            if try consumeWord("false") { return .bool(false) }
            if try consumeWord("null") { return .null }
            throw failure("unexpected character '\(Character(Unicode.Scalar(b)))'")
        }
    }

    private mutating func consumeWord(_ word: StaticString) throws(JSONParseError) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count,
              memcmp(bytes.baseAddress! + index, word.utf8Start, count) == 0 else { return false }
        index += count
        return true
    }

    private mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var members: [JSONObject.Member] = []
        members.reserveCapacity(16)
        skipWhitespace()
        if current == UInt8(ascii: "}") { index += 1; return .object(JSONObject()) }
        while true {
            skipWhitespace()
            let key = try parseKey()
            skipWhitespace()
            guard let sep = current, sep == UInt8(ascii: ":") || (lenient && sep == UInt8(ascii: "=")) else {
                throw failure("expected ':' after key '\(key)'")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue(depth: depth + 1)
            // Lengths first: most keys differ in length, and that needs no string comparison.
            let keyLength = key.utf8.count
            guard !members.contains(where: { $0.key.utf8.count == keyLength && $0.key == key }) else {
                throw failure("duplicate key '\(key)'")
            }
            members.append(JSONObject.Member(key: key, value: value))
            skipWhitespace()
            guard let next = current else { throw failure("unexpected end of text in an object") }
            index += 1
            if next == UInt8(ascii: "}") { return .object(JSONObject(distinct: members)) }
            guard next == UInt8(ascii: ",") else { index -= 1; throw failure("expected ',' or '}' in an object") }
        }
    }

    private mutating func parseKey() throws(JSONParseError) -> String {
        guard let b = current else { throw failure("unexpected end of text, expected a key") }
        if b == UInt8(ascii: "\"") || (lenient && b == UInt8(ascii: "'")) { return try parseString(quote: b, isKey: true) }
        guard lenient else { throw failure("expected a quoted key") }
        let start = index
        while let c = current, isBareKeyByte(c) { index += 1 }
        guard index > start else { throw failure("expected a key") }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private func isBareKeyByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x2D
    }

    private mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        index += 1
        var items: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") { index += 1; return .array(items) }
        while true {
            skipWhitespace()
            items.append(try parseValue(depth: depth + 1))
            skipWhitespace()
            guard let next = current else { throw failure("unexpected end of text in an array") }
            index += 1
            if next == UInt8(ascii: "]") { return .array(items) }
            guard next == UInt8(ascii: ",") else { index -= 1; throw failure("expected ',' or ']' in an array") }
        }
    }

    private mutating func parseNumber() throws(JSONParseError) -> String {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, first >= 0x30, first <= 0x39 else { throw failure("a number needs digits") }
        if first == 0x30 && !lenient {
            index += 1
        } else {
            while let c = current, c >= 0x30, c <= 0x39 { index += 1 }
        }
        if current == UInt8(ascii: ".") {
            index += 1
            let fracStart = index
            while let c = current, c >= 0x30, c <= 0x39 { index += 1 }
            guard index > fracStart else { throw failure("a number needs digits after '.'") }
        }
        if let e = current, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            index += 1
            if let s = current, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
            let expStart = index
            while let c = current, c >= 0x30, c <= 0x39 { index += 1 }
            guard index > expStart else { throw failure("a number needs digits in its exponent") }
        }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
    }

    private mutating func parseString(quote: UInt8, isKey: Bool = false) throws(JSONParseError) -> String {
        index += 1
        let start = index
        let end = bytes.count
        // The plain run up to the closing quote, a backslash or a control character, in one tight loop.
        while index < end {
            let b = bytes[index]
            if b == quote || b == UInt8(ascii: "\\") || b < 0x20 { break }
            index += 1
        }
        guard index < end else { throw failure("unterminated string") }
        if bytes[index] == quote {
            // No escapes: decoded straight from the input.
            defer { index += 1 }
            let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
            if isKey, let name = JSONKeyNames.known(run) { return name }
            return String(decoding: run, as: UTF8.self)
        }
        if bytes[index] < 0x20 { throw failure("control character inside a string") }
        return try parseEscapedString(quote: quote, from: start)
    }

    /// The rest of a string from its first backslash (at `index`), unescaped into the parser's
    /// scratch buffer and decoded once: an escape always yields whole scalars, so this reads the
    /// same as decoding each run on its own.
    private mutating func parseEscapedString(quote: UInt8, from start: Int) throws(JSONParseError) -> String {
        if scratch == nil { scratch = .allocate(capacity: bytes.count - start) }
        let out = scratch!
        var written = index - start
        _ = out.initialize(from: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        let end = bytes.count
        while true {
            guard index < end else { throw failure("unterminated string") }
            let b = bytes[index]
            index += 1
            if b == quote { break }
            if b < 0x20 { index -= 1; throw failure("control character inside a string") }
            guard b == UInt8(ascii: "\\") else {
                out[written] = b
                written += 1
                continue
            }
            guard index < end else { throw failure("unterminated escape") }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"), UInt8(ascii: "/"): out[written] = e
            case UInt8(ascii: "b"): out[written] = 0x08
            case UInt8(ascii: "f"): out[written] = 0x0C
            case UInt8(ascii: "n"): out[written] = 0x0A
            case UInt8(ascii: "r"): out[written] = 0x0D
            case UInt8(ascii: "t"): out[written] = 0x09
            case UInt8(ascii: "u"):
                var code = try parseHex4()
                if (0xD800...0xDBFF).contains(code) {
                    guard current == UInt8(ascii: "\\"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "u") else {
                        throw failure("unpaired surrogate in a string")
                    }
                    index += 2
                    let low = try parseHex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw failure("unpaired surrogate in a string") }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let scalar = Unicode.Scalar(code) else { throw failure("invalid \\u escape") }
                for unit in UTF8.encode(scalar)! {
                    out[written] = unit
                    written += 1
                }
                continue
            default:
                index -= 1
                throw failure("invalid escape in a string")
            }
            written += 1
        }
        return String(decoding: UnsafeBufferPointer(rebasing: out[0..<written]), as: UTF8.self)
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw failure("short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let digit: UInt32
            switch c {
            case 0x30...0x39: digit = UInt32(c - 0x30)
            case 0x41...0x46: digit = UInt32(c - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(c - 0x61 + 10)
            default: throw failure("invalid hex digit in \\u escape")
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }
}
