import Foundation

/// Makes out_trade_no values: till id, local time to the second, and a sequence number,
/// e.g. `T01-20261121143201-0042`. ASCII, at most 32 characters, never the same twice on this till:
/// the sequence continues from the journal across restarts, and every id the journal holds is skipped.
public struct OutTradeNoGenerator: Sendable {
    public static let maximumTillIDLength = 12
    static let minimumSequenceDigits = 4

    public let tillID: String
    public let timeZone: TimeZone
    private(set) var lastSequence: Int
    private var used: Set<String>
    /// Ids the journal holds besides `used` (looked up there, not held in memory).
    private let known: (@Sendable (String) -> Bool)?
    private let sequenceDigits: Int

    /// `used` is every out_trade_no the journal knows; the sequence continues after the highest one
    /// this till made.
    public init(tillID: String, timeZone: TimeZone, used: Set<String>) throws(EngineRefusal) {
        try Self.checkTillID(tillID)
        self.tillID = tillID
        self.timeZone = timeZone
        self.used = used
        known = nil
        // till id + "-" + 14 digits of time + "-" + sequence ≤ 32
        sequenceDigits = 32 - tillID.utf8.count - 16
        lastSequence = used.compactMap { Self.sequence(of: $0, tillID: tillID) }.max() ?? 0
    }

    /// `highestSequence` is the highest sequence this till id used in the journal; `known` says
    /// whether the journal holds an id.
    public init(tillID: String, timeZone: TimeZone, highestSequence: Int,
                known: @escaping @Sendable (String) -> Bool) throws(EngineRefusal) {
        try Self.checkTillID(tillID)
        self.tillID = tillID
        self.timeZone = timeZone
        used = []
        self.known = known
        sequenceDigits = 32 - tillID.utf8.count - 16
        lastSequence = highestSequence
    }

    static func checkTillID(_ tillID: String) throws(EngineRefusal) {
        let ok = !tillID.isEmpty && tillID.utf8.count <= maximumTillIDLength && tillID.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x5F
        }
        guard ok else {
            throw .invalidSetting("till id '\(tillID)' must be 1–\(maximumTillIDLength) letters, digits, '-' or '_'")
        }
    }

    /// The sequence part of an id this till made, or nil for anyone else's id.
    static func sequence(of outTradeNo: String, tillID: String) -> Int? {
        let prefix = tillID + "-"
        guard outTradeNo.hasPrefix(prefix) else { return nil }
        let rest = outTradeNo.utf8.dropFirst(prefix.utf8.count)
        guard rest.count > 15 else { return nil }
        let stamp = rest.prefix(14)
        guard stamp.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), rest.dropFirst(14).first == UInt8(ascii: "-") else { return nil }
        let digits = rest.dropFirst(15)
        guard digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    /// The till id and sequence of an id in the form this program makes (`T01-20261121143201-0042`).
    static func parts(of outTradeNo: String) -> (tillID: String, sequence: Int)? {
        let bytes = Array(outTradeNo.utf8)
        guard let dash = bytes.lastIndex(of: UInt8(ascii: "-")), dash >= 16, dash < bytes.count - 1,
              bytes[(dash - 15)] == UInt8(ascii: "-") else { return nil }
        let tillID = String(decoding: bytes[..<(dash - 15)], as: UTF8.self)
        guard !tillID.isEmpty, let sequence = sequence(of: outTradeNo, tillID: tillID) else { return nil }
        return (tillID, sequence)
    }

    /// Marks an id as taken (e.g. one the cashier typed).
    public mutating func markUsed(_ outTradeNo: String) {
        used.insert(outTradeNo)
    }

    public func isUsed(_ outTradeNo: String) -> Bool { used.contains(outTradeNo) || known?(outTradeNo) == true }

    /// A fresh id for `date`, recorded as used.
    public mutating func next(at date: Date) -> String {
        let stamp = Self.stamp(date, timeZone: timeZone)
        let modulus = Self.power10(sequenceDigits)
        while true {
            lastSequence = (lastSequence + 1) % modulus
            var digits = String(lastSequence)
            if digits.count < Self.minimumSequenceDigits {
                digits = String(repeating: "0", count: Self.minimumSequenceDigits - digits.count) + digits
            }
            let candidate = "\(tillID)-\(stamp)-\(digits)"
            if !isUsed(candidate) {
                used.insert(candidate)
                return candidate
            }
        }
    }

    static func stamp(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ v: Int?) -> String { let n = v ?? 0; return n < 10 ? "0\(n)" : "\(n)" }
        let year = c.year ?? 0
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return yearText + two(c.month) + two(c.day) + two(c.hour) + two(c.minute) + two(c.second)
    }

    private static func power10(_ digits: Int) -> Int {
        var value = 1
        for _ in 0..<min(digits, 18) { value *= 10 }
        return value
    }
}
