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
    public var sortedKeys: [String] {
        fields.keys.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) { $0.value < $1.value } }
    }

    /// `{amt=100,channel='card_payment',func_type=1001}`: the exact text the digest covers.
    public func formatted() throws(ContentError) -> String {
        var out = "{"
        for (i, key) in sortedKeys.enumerated() {
            try Content.checkKey(key)
            if i > 0 { out += "," }
            out += key
            out += "="
            switch fields[key]! {
            case .string(let s):
                try Content.checkFormattable(s, field: key)
                out += "'" + s + "'"
            case .number(let n):
                out += ContentValue.canonicalNumber(n)
            case .null:
                out += "''"
            }
        }
        return out + "}"
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
    /// by the terminal's reader as an escape, or refused, so the digests would not agree.
    private static let forbidden: Set<Character> = ["'", "{", "}", ",", "=", "\\"]

    private static func checkFormattable(_ text: String, field: String) throws(ContentError) {
        if let bad = text.first(where: { forbidden.contains($0) || $0.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } }) {
            throw .unformattableCharacter(field: field, character: bad)
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
            return "field '\(field)' contains '\(character)', which the terminal's request format cannot carry: remove it"
        case .nestedValue(let field):
            return "field '\(field)' holds a nested value, but request content is a flat map of strings and numbers"
        }
    }
}
