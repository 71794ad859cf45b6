/// Builds packets. A message longer than `maxDataPerPacket` is split into parts that share one ref;
/// every part's data-length field carries the whole message's length (the older Chinese seed:
/// "报文数据长度为总长度"), while its total-length field describes the part itself. A receiver knows
/// it has the whole message when the data it has gathered for that ref reaches the declared length.
public struct PacketEncoder: Sendable {
    /// Data bytes per packet before splitting; the spec recommends 1024.
    public var maxDataPerPacket: Int

    public init(maxDataPerPacket: Int = PacketFormat.defaultMaxDataPerPacket) {
        self.maxDataPerPacket = maxDataPerPacket
    }

    /// Largest part size whose total length still fits the 2-byte field.
    public static let largestPartSize = PacketFormat.maxLengthFieldValue - PacketFormat.overhead

    /// The packets that carry `message`, in sending order. An empty message is one packet with no data.
    public func encodeRequest(_ message: [UInt8], ref: UInt8) throws(PacketEncodingError) -> [[UInt8]] {
        guard PacketRefCounter.isValid(ref) else { throw .refOutOfRange(ref) }
        guard (1...Self.largestPartSize).contains(maxDataPerPacket) else {
            throw .partSizeOutOfRange(maxDataPerPacket)
        }
        guard message.count <= PacketFormat.maxLengthFieldValue else {
            throw .messageTooLong(byteCount: message.count)
        }
        guard !message.isEmpty else {
            return [packet(type: .request, ref: ref, declaredLength: 0, part: [])]
        }
        return stride(from: 0, to: message.count, by: maxDataPerPacket).map { start in
            let end = min(start + maxDataPerPacket, message.count)
            return packet(type: .request, ref: ref, declaredLength: message.count, part: message[start..<end])
        }
    }

    /// The acknowledgement of a received request: echoes its ref, carries no data.
    /// Any ref byte is echoed as received, even one outside 0x01…0x7F.
    public func encodeAck(ref: UInt8) -> [UInt8] {
        packet(type: .ack, ref: ref, declaredLength: 0, part: [])
    }

    /// An error answer to a received request: echoes its ref, carries no data.
    /// - Precondition: `type.isError` (a caller bug otherwise).
    public func encodeError(_ type: PacketType, ref: UInt8) -> [UInt8] {
        precondition(type.isError, "\(type) is not an error packet type")
        return packet(type: type, ref: ref, declaredLength: 0, part: [])
    }

    private func packet(type: PacketType, ref: UInt8, declaredLength: Int, part: ArraySlice<UInt8>) -> [UInt8] {
        let total = PacketFormat.overhead + part.count
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total)
        bytes += PacketFormat.marker
        bytes += [PacketFormat.version, type.rawValue, ref]
        bytes += [UInt8(total >> 8), UInt8(total & 0xFF)]
        bytes += [UInt8(declaredLength >> 8), UInt8(declaredLength & 0xFF)]
        bytes += part
        bytes += PacketFormat.marker
        return bytes
    }
}

public enum PacketEncodingError: Error, Sendable, Equatable, CustomStringConvertible {
    case refOutOfRange(UInt8)
    case partSizeOutOfRange(Int)
    case messageTooLong(byteCount: Int)

    public var description: String {
        switch self {
        case let .refOutOfRange(ref):
            return "packet ref \(PacketHex.literal(ref)) is outside 0x01…0x7F; refs must come from a PacketRefCounter"
        case let .partSizeOutOfRange(size):
            return "packet part size \(size) is not usable: set it between 1 and \(PacketEncoder.largestPartSize) (the spec recommends 1024)"
        case let .messageTooLong(count):
            return "the message is \(count) bytes but the packet format can carry at most \(PacketFormat.maxLengthFieldValue); it cannot be sent over serial/TCP packets — shorten the request"
        }
    }
}
