/// A JSON value that keeps number literals as their exact text, so amounts never pass through `Double`.
public enum JSONValue: Sendable, Hashable {
    case string(String)
    /// The literal text of a JSON number, e.g. `100`, `10.5`, `-3e2`.
    case number(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object(JSONObject)

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// A string, or a number's literal text: the terminal sends amounts and codes either way.
    public var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }

    public var objectValue: JSONObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// Strict JSON text. Object members keep their stored order.
    public func serialized() -> String {
        // Written as UTF-8 and made a string once: appending to a String scalar by scalar cost the
        // simulator most of an inquiry.
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func write(to out: inout [UInt8]) {
        switch self {
        case .string(let s): JSONValue.writeQuoted(s, to: &out)
        case .number(let n):
            // Never a literal strict JSON refuses; text that is no number at all stays text.
            if let number = JSONValue.strictNumber(n) { out += number.utf8 } else { JSONValue.writeQuoted(n, to: &out) }
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .null: out += "null".utf8
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.writeQuoted(member.key, to: &out)
                out.append(UInt8(ascii: ":"))
                member.value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The literal as strict JSON writes it: leading zeros dropped (`0726` → `726`, `-000` → `-0`),
    /// which a lenient reader may have kept; nil when it is not a number at all.
    static func strictNumber(_ literal: String) -> String? {
        // Most literals are strict already (`100`, `0`): kept as they are.
        let bytes = literal.utf8
        if let first = bytes.first, first != 0x30 || bytes.count == 1, bytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return literal
        }
        var rest = literal.utf8[...]
        func digits() -> Int {
            let count = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }.count
            rest = rest.dropFirst(count)
            return count
        }
        let sign = rest.first == UInt8(ascii: "-") ? "-" : ""
        rest = rest.dropFirst(sign.count)
        let whole = rest
        let wholeCount = digits()
        guard wholeCount > 0 else { return nil }
        let tail = rest
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            guard digits() > 0 else { return nil }
        }
        if let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if let s = rest.first, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { rest = rest.dropFirst() }
            guard digits() > 0 else { return nil }
        }
        guard rest.isEmpty else { return nil }
        let significant = whole.prefix(wholeCount).drop { $0 == 0x30 }
        return sign + (significant.isEmpty ? "0" : String(decoding: significant, as: UTF8.self)) + String(decoding: tail, as: UTF8.self)
    }

    /// `s` quoted: `"`, `\\` and control characters escaped, the rest copied as its UTF-8 bytes in runs.
    static func writeQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var run = 0
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out += UnsafeBufferPointer(rebasing: bytes[run..<i])
                run = i + 1
                // Two bytes appended, not a string's: an answer's record, escaped into it, has ~80 quotes.
                let short: UInt8? = switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): byte
                case 0x0A: UInt8(ascii: "n")
                case 0x0D: UInt8(ascii: "r")
                case 0x09: UInt8(ascii: "t")
                case 0x08: UInt8(ascii: "b")
                case 0x0C: UInt8(ascii: "f")
                default: nil
                }
                if let short {
                    out.append(UInt8(ascii: "\\"))
                    out.append(short)
                } else {
                    let hex = String(byte, radix: 16)
                    out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
                }
            }
            out += UnsafeBufferPointer(rebasing: bytes[run...])
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// A JSON object that remembers member order (wire dumps stay readable) and finds members by key.
public struct JSONObject: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
    }

    public private(set) var members: [Member]

    public init(_ members: [(String, JSONValue)] = []) {
        self.members = []
        // Room for all at once: a terminal's inquiry record has 22 members.
        self.members.reserveCapacity(members.count)
        for (k, v) in members { self[k] = v }
    }

    /// Members whose keys are known to differ (the parser refuses a duplicate as it reads).
    init(distinct members: [Member]) {
        self.members = members
    }

    public var keys: [String] { members.map(\.key) }
    public var isEmpty: Bool { members.isEmpty }

    public subscript(key: String) -> JSONValue? {
        get { members.first(where: { $0.key == key })?.value }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append(Member(key: key, value: newValue))
            }
        }
    }
}
