/// Money as integer cents. Dollars appear only when text is parsed or rendered.
public struct Amount: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let cents: Int64

    public init(cents: Int64) {
        self.cents = cents
    }

    /// 999,999.99 — the largest sale the console accepts unless configured otherwise.
    public static let defaultMaximum = Amount(cents: 99_999_999)
    public static let zero = Amount(cents: 0)

    /// Beyond any real amount (15 digits of cents, as `parseCents` reads them): a journal line or
    /// answer with more is damaged or crafted, and is refused before any arithmetic can overflow.
    public static let recordLimit: Int64 = 999_999_999_999_999

    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.cents < rhs.cents }
    public static func + (lhs: Amount, rhs: Amount) -> Amount { Amount(cents: lhs.cents + rhs.cents) }
    public static func - (lhs: Amount, rhs: Amount) -> Amount { Amount(cents: lhs.cents - rhs.cents) }

    /// `self - other`, or nil where Int64 would overflow: for amounts that came from outside.
    public func subtracting(_ other: Amount) -> Amount? {
        let (result, overflow) = cents.subtractingReportingOverflow(other.cents)
        return overflow ? nil : Amount(cents: result)
    }

    /// `self + other`, or nil where Int64 would overflow: for amounts that came from outside.
    public func adding(_ other: Amount) -> Amount? {
        let (result, overflow) = cents.addingReportingOverflow(other.cents)
        return overflow ? nil : Amount(cents: result)
    }

    enum CodingKeys: String, CodingKey { case cents }

    /// Reads `{"cents":N}` and refuses an N no till could have written (see `recordLimit`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let cents = try container.decode(Int64.self, forKey: .cents)
        guard cents.magnitude <= UInt64(Amount.recordLimit) else {
            throw DecodingError.dataCorruptedError(forKey: .cents, in: container,
                                                   debugDescription: "\(cents) cents is beyond any real amount")
        }
        self.cents = cents
    }

    /// Display form with two decimals: `12.50`, `0.07`, `-3.00`.
    public var display: String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    public var description: String { display }

    /// The number form the request content uses: a JSON number without trailing zeros
    /// (`100`, `10.5`, `0.07`), so the digest matches what the terminal computes.
    public var contentNumber: String {
        let sign = cents < 0 ? "-" : ""
        let magnitude = cents.magnitude
        let whole = magnitude / 100
        let fraction = magnitude % 100
        if fraction == 0 { return "\(sign)\(whole)" }
        if fraction % 10 == 0 { return "\(sign)\(whole).\(fraction / 10)" }
        return "\(sign)\(whole).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Parses what a cashier types or a script passes: dollars with up to two decimals.
    public static func parse(_ text: String, maximum: Amount = .defaultMaximum) throws(AmountError) -> Amount {
        let amount = try parseDollars(text)
        guard amount.cents != 0 else { throw .zero }
        guard amount <= maximum else { throw .aboveMaximum(text: text, maximum: maximum) }
        return amount
    }

    /// Reads a dollar number as it appears on the wire (`10.5`, `"0.05"`, `100`), zero allowed.
    public static func parseWire(_ text: String) throws(AmountError) -> Amount {
        try parseDollars(text)
    }

    /// Reads integer cents as QFPay sends them in responses (`txamt`, `allow_refund_amt`): `1050` or `"1050"`.
    public static func parseCents(_ text: String) -> Amount? {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.count <= 15, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let value = Int64(trimmed) else { return nil }
        return Amount(cents: value)
    }

    private static func parseDollars(_ text: String) throws(AmountError) -> Amount {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty else { throw .empty }
        let bytes = Array(trimmed.utf8)
        if bytes.contains(0x20) || bytes.contains(0x09) { throw .spaceInside(text: text) }
        if bytes.first == UInt8(ascii: "-") { throw .negative(text: text) }
        if bytes.contains(UInt8(ascii: "e")) || bytes.contains(UInt8(ascii: "E")) { throw .exponent(text: text) }
        if bytes.contains(UInt8(ascii: ",")) { throw .groupingSeparator(text: text) }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .notANumber(text: text) }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        let allDigits: (Substring) -> Bool = { $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        guard !whole.isEmpty, allDigits(whole), allDigits(fraction) else { throw .notANumber(text: text) }
        if parts.count == 2 && fraction.isEmpty { throw .notANumber(text: text) }
        guard fraction.count <= 2 else { throw .tooManyDecimals(text: text) }
        let significantWhole = whole.drop(while: { $0 == "0" })
        guard significantWhole.count <= 13, let dollars = Int64(whole) else {
            throw .aboveMaximum(text: text, maximum: .defaultMaximum)
        }
        let paddedFraction = fraction + String(repeating: "0", count: 2 - fraction.count)
        let centsPart = Int64(paddedFraction) ?? 0
        return Amount(cents: dollars * 100 + centsPart)
    }
}

/// Why an amount was refused, worded so the cashier knows what to type instead.
public enum AmountError: Error, Sendable, Equatable, CustomStringConvertible {
    case empty
    case zero
    case negative(text: String)
    case tooManyDecimals(text: String)
    case exponent(text: String)
    case spaceInside(text: String)
    case groupingSeparator(text: String)
    case notANumber(text: String)
    case aboveMaximum(text: String, maximum: Amount)

    public var description: String {
        switch self {
        case .empty:
            return "no amount given: type the amount in dollars, e.g. 12.50"
        case .zero:
            return "the amount is zero: a sale needs at least 0.01"
        case .negative(let text):
            return "amount '\(text)' is negative: to give money back, refund the original sale instead"
        case .tooManyDecimals(let text):
            return "amount '\(text)' has more than 2 decimals: use dollars and cents, e.g. 12.35"
        case .exponent(let text):
            return "amount '\(text)' uses an exponent: write it out in dollars, e.g. 1200.00"
        case .spaceInside(let text):
            return "amount '\(text)' contains a space: type the digits without spaces, e.g. 1200.50"
        case .groupingSeparator(let text):
            return "amount '\(text)' contains a comma: type it without thousands separators, e.g. 1200.50"
        case .notANumber(let text):
            return "amount '\(text)' is not a number: use digits and at most one '.', e.g. 12.50"
        case .aboveMaximum(let text, let maximum):
            return "amount '\(text)' is above the maximum of \(maximum.display): check the amount, or raise max_amount in the configuration"
        }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\n" || f == "\r" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\n" || l == "\r" { s = s.dropLast() }
        return String(s)
    }
}

/// The bytes `trimmingSpaces` takes off a text's ends: space, tab, LF and CR.
@inline(__always)
func isSpaceByte(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
}

extension Array where Element == UInt8 {
    /// Without spaces, tabs, LFs and CRs at either end; no copy.
    var trimmingSpaceBytes: ArraySlice<UInt8> {
        var slice = self[...]
        while let first = slice.first, isSpaceByte(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpaceByte(last) { slice = slice.dropLast() }
        return slice
    }
}
