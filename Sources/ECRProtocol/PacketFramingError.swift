/// Bytes the decoder could not take as a packet. The decoder reports each one and carries on from the
/// next possible start marker, so none of these stops the link by itself.
public enum PacketFramingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Bytes that were not part of any packet, counted up to the next start marker (or a quiet line).
    case garbageSkipped(byteCount: Int)
    /// A start marker followed by a version other than 0x01: not a packet this side understands.
    case unsupportedVersion(UInt8)
    /// Length fields no real packet can have.
    case impossibleLength(PacketHeader, PacketLengthProblem)
    /// The bytes where the end marker should be are something else: a byte was lost or added.
    case badEndMarker(PacketHeader, found: [UInt8])
    /// The line went quiet before the packet was complete. `header` is nil when not even the
    /// 9 header bytes arrived.
    case truncated(PacketHeader?, receivedByteCount: Int)
    /// A well-framed packet whose type byte the protocol does not define; it is skipped whole.
    case unknownType(PacketHeader)

    /// The header of the rejected packet, when enough of it was read to trust its fields.
    public var header: PacketHeader? {
        switch self {
        case .garbageSkipped, .unsupportedVersion: return nil
        case let .impossibleLength(header, _), let .badEndMarker(header, _), let .unknownType(header): return header
        case let .truncated(header, _): return header
        }
    }

    /// The ref to answer with a format error (0x31): only broken *requests* are answered, so that two
    /// sides never trade error packets about error packets.
    public var requestRefToAnswer: UInt8? {
        guard let header, header.type == .request else { return nil }
        return header.ref
    }

    public var description: String {
        switch self {
        case let .garbageSkipped(count):
            return "skipped \(count) byte(s) that were not part of a packet: line noise, a wrong baud rate, or a peer not speaking the packet format (TCP raw mode?)"
        case let .unsupportedVersion(version):
            return "a packet marker was followed by version \(PacketHex.literal(version)), not 0x01: not a packet this program understands (line noise, or newer terminal firmware)"
        case let .impossibleLength(header, problem):
            return "\(header): \(problem); the packet was dropped"
        case let .badEndMarker(header, found):
            return "\(header): expected end marker 2F 6E, found \(PacketHex.render(found)): bytes were lost or added on the line; check the cable and line settings"
        case let .truncated(header?, received):
            return "\(header): only \(received) of \(header.totalLength) bytes arrived before the line went quiet; check the cable and line settings"
        case let .truncated(nil, received):
            return "a packet stopped after \(received) byte(s), before its header was complete; check the cable and line settings"
        case let .unknownType(header):
            return "\(header): the type byte is not one the protocol defines (0x10, 0x20, 0x30–0x35); the packet was skipped"
        }
    }
}

/// Why a packet's length fields cannot be right.
public enum PacketLengthProblem: Sendable, Equatable, CustomStringConvertible {
    /// Total length below the 11 bytes of markers and header fields.
    case totalBelowOverhead
    /// Total length above the largest packet this side accepts (a setting).
    case totalAboveLimit(limit: Int)
    /// The data length says less than the packet physically carries.
    case dataLengthBelowPartLength
    /// Only requests may be split; an ack or error packet declaring more data than it carries is broken.
    case splitNonRequest
    /// A part of a split message that carries no data would never complete the message.
    case emptyPart
    /// A split message declared longer than this side accepts (a setting).
    case messageAboveLimit(limit: Int)

    public var description: String {
        switch self {
        case .totalBelowOverhead:
            return "total length is below the \(PacketFormat.overhead) bytes every packet needs"
        case let .totalAboveLimit(limit):
            return "total length is above the \(limit)-byte packet limit (raise the maximum packet length setting if the terminal really sends packets this big)"
        case .dataLengthBelowPartLength:
            return "the data length field is smaller than the data the packet carries"
        case .splitNonRequest:
            return "an ack or error packet declares more data than it carries; only requests may be split"
        case .emptyPart:
            return "a part of a split message carries no data"
        case let .messageAboveLimit(limit):
            return "the split message declares more than the \(limit)-byte message limit"
        }
    }
}
