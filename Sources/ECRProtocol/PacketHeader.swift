/// The 9 header bytes of a packet, read as they are, before any judgement on their consistency.
public struct PacketHeader: Sendable, Equatable, CustomStringConvertible {
    public let version: UInt8
    /// The raw type byte; `type` is nil when it is not one the protocol defines.
    public let typeCode: UInt8
    public let ref: UInt8
    /// Whole packet, start marker to end marker.
    public let totalLength: Int
    /// For a single packet, the data it carries; for a part of a split message, the whole message's length.
    public let dataLength: Int

    public init(version: UInt8 = PacketFormat.version, typeCode: UInt8, ref: UInt8, totalLength: Int, dataLength: Int) {
        self.version = version
        self.typeCode = typeCode
        self.ref = ref
        self.totalLength = totalLength
        self.dataLength = dataLength
    }

    /// Reads a header from the 9 bytes at `start`, which must begin with the start marker.
    init<Bytes: RandomAccessCollection>(reading bytes: Bytes, at start: Bytes.Index) where Bytes.Element == UInt8 {
        func byte(_ offset: Int) -> UInt8 { bytes[bytes.index(start, offsetBy: offset)] }
        self.init(
            version: byte(2),
            typeCode: byte(3),
            ref: byte(4),
            totalLength: Int(byte(5)) << 8 | Int(byte(6)),
            dataLength: Int(byte(7)) << 8 | Int(byte(8))
        )
    }

    public var type: PacketType? { PacketType(rawValue: typeCode) }

    /// Data bytes physically inside this packet.
    public var partLength: Int { totalLength - PacketFormat.overhead }

    /// A part of a split message: it carries less than the message length it declares.
    public var isSplitPart: Bool { dataLength > partLength }

    public var description: String {
        let typeText = type.map { "\($0)" } ?? "unknown type \(PacketHex.literal(typeCode))"
        return "packet ref \(PacketHex.literal(ref)), \(typeText), total length \(totalLength), data length \(dataLength)"
    }
}
