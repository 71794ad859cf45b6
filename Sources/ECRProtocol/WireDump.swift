/// A hex dump cut into rows, shared by the console's exchange detail and the `--trace` file (each
/// puts its own labels and colours on them). On a packet link the bytes are cut into packet fields,
/// a long field wrapped over several rows; otherwise `perRow` bytes a row with their offset.
public enum WireDump {
    /// One row of a packet dump: the first row of a field carries its name and meaning.
    public struct PacketRow: Sendable, Hashable {
        public let field: WirePacketField.Name
        /// False for the rows that continue a long field (its label is left blank).
        public let firstOfField: Bool
        /// True for the first row of a packet after the first one (a blank line goes before it).
        public let startsLaterPacket: Bool
        public let bytes: [UInt8]
        /// What the packet is, on the type field's first row only.
        public let kind: PacketKind?
        /// The field's meaning in English (the packet's kind, a length in decimal), on its first row only.
        public let meaning: String?

        /// The row's bytes as printable ASCII, `.` for the rest, to stand beside the hex.
        public var printable: String { WireDump.printable(bytes) }
    }

    /// One row of a plain dump.
    public struct PlainRow: Sendable, Hashable {
        public let offset: Int
        public let bytes: [UInt8]

        /// The offset in hex, at least 4 digits: `00A0`.
        public var offsetText: String {
            let digits = String(offset, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }

        public var printable: String { WireDump.printable(bytes) }
    }

    /// Every byte exactly once, in order, field by field; the direction, when known, names what
    /// each packet is (an answer coming in, a request going out).
    public static func packetRows(_ bytes: [UInt8], perRow: Int, direction: WireDirection? = nil) -> [PacketRow] {
        let perRow = max(1, perRow)
        var rows: [PacketRow] = []
        for (index, field) in WirePacket.layout(of: bytes, direction: direction).enumerated() {
            var offset = 0
            repeat {
                let chunk = Array(field.bytes[offset..<min(field.bytes.count, offset + perRow)])
                rows.append(PacketRow(field: field.name, firstOfField: offset == 0,
                                      startsLaterPacket: offset == 0 && index > 0 && field.name == .startIndicator,
                                      bytes: chunk, kind: offset == 0 ? field.kind : nil,
                                      meaning: offset == 0 ? field.meaning : nil))
                offset += perRow
            } while offset < field.bytes.count
        }
        return rows
    }

    public static func plainRows(_ bytes: [UInt8], perRow: Int) -> [PlainRow] {
        let perRow = max(1, perRow)
        return stride(from: 0, to: bytes.count, by: perRow).map { offset in
            PlainRow(offset: offset, bytes: Array(bytes[offset..<min(bytes.count, offset + perRow)]))
        }
    }

    static func printable(_ bytes: [UInt8]) -> String {
        String(bytes.map { $0 >= 0x20 && $0 < 0x7F ? Character(UnicodeScalar($0)) : "." })
    }
}
