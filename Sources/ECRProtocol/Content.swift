/// One value of the request content: a string or a number (PROTOCOL.md §1).
public enum ContentValue: Sendable, Hashable {
    case string(String)
    /// A number as its canonical literal: no trailing zeros (`100`, `10.5`, `0.07`).
    case number(String)
    case null

    public static func integer(_ value: Int) -> ContentValue { .number(String(value)) }
    public static func amount(_ amount: Amount) -> ContentValue { .number(amount.contentNumber) }

    /// A number literal in its canonical form: `100.0` → `100`, `10.50` → `10.5`, `0100` → `100`.
    public static func canonicalNumber(_ literal: String) -> String {
        // The usual number, a plain whole one (`4001`, `100`), is already canonical.
        let utf8 = literal.utf8
        if let first = utf8.first, first != UInt8(ascii: "0") || utf8.count == 1,
           utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return literal
        }
        let literal = JSONValue.strictNumber(literal) ?? literal
        guard let dot = literal.firstIndex(of: "."), !literal.contains("e"), !literal.contains("E") else {
            return literal == "-0" ? "0" : literal
        }
        var text = literal
        while text.last == "0" { text.removeLast() }
        if text.last == "." { text.removeLast() }
        if text == "-0" { return "0" }
        _ = dot
        return text
    }

    /// The text of a string, or a number's literal.
    public var text: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        case .null: return nil
        }
    }

    var asJSON: JSONValue {
        switch self {
        case .string(let s): return .string(s)
        case .number(let n): return .number(n)
        case .null: return .null
        }
    }
}

/// The flat map a request carries, with the formatted form its digest is computed on.
public struct Content: Sendable, Hashable {
    public private(set) var fields: [String: ContentValue]

    public init(_ fields: [String: ContentValue] = [:]) {
        self.fields = fields
    }

    public subscript(key: String) -> ContentValue? {
        get { fields[key] }
        set { fields[key] = newValue }
    }

    /// Keys in Unicode code point order (`moveToBack` sorts after `func_type`, before `out_trade_no`).
    /// UTF-8 byte order is code point order, so the bytes are compared as they are stored.
    public var sortedKeys: [String] {
        fields.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// `{amt=100,channel='card_payment',func_type=1001}`: the exact text the digest covers.
    public func formatted() throws(ContentError) -> String {
        String(decoding: try formattedBytes(), as: UTF8.self)
    }

    /// The formatted content as UTF-8, built without an intermediate string (it is on every request's path).
    public func formattedBytes() throws(ContentError) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(160)
        // Sorted as pairs, so no key is looked up again.
        let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
        for (i, (key, value)) in sorted.enumerated() {
            try Content.checkKey(key)
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += key.utf8
            out.append(UInt8(ascii: "="))
            switch value {
            case .string(let s):
                try Content.checkFormattable(s, field: key)
                out.append(UInt8(ascii: "'"))
                out += s.utf8
                out.append(UInt8(ascii: "'"))
            case .number(let n):
                out += ContentValue.canonicalNumber(n).utf8
            case .null:
                out += [UInt8(ascii: "'"), UInt8(ascii: "'")]
            }
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Strict JSON object with keys in the same order as the formatted content.
    public var json: JSONValue {
        .object(JSONObject(sortedKeys.map { ($0, fields[$0]!.asJSON) }))
    }

    /// Builds content from a decoded JSON object; nested values are refused (content is flat).
    public init(json object: JSONObject) throws(ContentError) {
        var fields: [String: ContentValue] = [:]
        for member in object.members {
            try Self.checkKey(member.key)
            switch member.value {
            case .string(let s): fields[member.key] = .string(s)
            case .number(let n): fields[member.key] = .number(ContentValue.canonicalNumber(n))
            case .null: fields[member.key] = .null
            case .bool(let b): fields[member.key] = .number(b ? "1" : "0")
            case .array, .object: throw .nestedValue(field: member.key)
            }
        }
        self.fields = fields
    }

    /// Besides the format's own punctuation: a backslash or a control character would be read back
    /// by the terminal's reader as an escape, or refused, so the digests would not agree. All of
    /// them are ASCII, and a UTF-8 byte below 0x80 is always an ASCII character of its own, so the
    /// bytes are checked directly — also where a combining mark follows the character.
    private static func isUnformattable(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00..<0x20, 0x7F, UInt8(ascii: "'"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ","),
             UInt8(ascii: "="), UInt8(ascii: "\\"):
            return true
        default:
            return false
        }
    }

    private static func checkFormattable(_ text: String, field: String) throws(ContentError) {
        if let bad = text.utf8.first(where: isUnformattable) {
            throw .unformattableCharacter(field: field, character: Character(Unicode.Scalar(bad)))
        }
    }

    /// Keys are written bare, so they must be what the terminal's reader takes as a bare key:
    /// letters, digits, `_` and `-` (every key of the protocol is).
    private static func checkKey(_ key: String) throws(ContentError) {
        let plain = !key.isEmpty && key.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D
        }
        if !plain { throw .unformattableKey(key) }
    }
}

public enum ContentError: Error, Sendable, Equatable, CustomStringConvertible {
    case unformattableCharacter(field: String, character: Character)
    case nestedValue(field: String)
    case unformattableKey(String)

    public var description: String {
        switch self {
        case .unformattableKey(let key):
            return "field name '\(key)' is not a plain name (letters, digits, '_' and '-'), which the terminal's request format cannot carry"
        case .unformattableCharacter(let field, let character):
            // A control character is named, not printed: printed, it would break the line it is on.
            let shown = character.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
                ? "'\(character)'" : character.unicodeScalars.map { scalar in
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                }.joined(separator: " ")
            return "field '\(field)' contains \(shown), which the terminal's request format cannot carry: remove it"
        case .nestedValue(let field):
            return "field '\(field)' holds a nested value, but request content is a flat map of strings and numbers"
        }
    }
}
