/// Hex text for packets: what `qfecr decode --packet HEX` reads and what logs print.
public enum PacketHex {
    /// `2F 6E 01 10 …`: uppercase pairs separated by single spaces.
    public static func render<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map(pair).joined(separator: " ")
    }

    /// Reads hex digits, case-insensitive; whitespace anywhere (spaces, tabs, line breaks) is ignored.
    public static func parse(_ text: String) throws(PacketHexError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        var digitCount = 0
        for (offset, character) in text.enumerated() {
            if character.isWhitespace { continue }
            guard let value = character.hexDigitValue, character.isASCII else {
                throw .notHex(character: character, position: offset + 1)
            }
            digitCount += 1
            if let h = high {
                bytes.append(h << 4 | UInt8(value))
                high = nil
            } else {
                high = UInt8(value)
            }
        }
        if high != nil { throw .oddDigitCount(digitCount) }
        return bytes
    }

    /// `0x7F`, the way refs and type bytes appear in messages.
    public static func literal(_ byte: UInt8) -> String { "0x" + pair(byte) }

    private static func pair(_ byte: UInt8) -> String {
        let digits = String(byte, radix: 16, uppercase: true)
        return digits.count == 1 ? "0" + digits : digits
    }
}

public enum PacketHexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `position` counts characters from 1, whitespace included, so it matches what the user typed.
    case notHex(character: Character, position: Int)
    case oddDigitCount(Int)

    public var description: String {
        switch self {
        case let .notHex(character, position):
            return "character \(position) (\"\(character)\") is not a hex digit: give the packet as hex pairs such as 2F 6E 01 …, spaces allowed"
        case let .oddDigitCount(count):
            return "the hex text has \(count) digits, an odd number: every byte needs two digits, so one is missing or extra (check the start and the end)"
        }
    }
}
