/// The fixed layout of a packet (PROTOCOL.md §6; checked against the seed §10.10 vector):
///
///     2F 6E | 01 | type | ref | total length (2, BE) | data length (2, BE) | data | 2F 6E
///
/// The header is the 9 bytes before the data; the trailer is the 2-byte end marker.
/// Total length counts the whole packet, both markers included.
public enum PacketFormat {
    /// `/n` in ASCII; starts and ends every packet.
    public static let marker: [UInt8] = [0x2F, 0x6E]
    public static let version: UInt8 = 0x01
    public static let headerLength = 9
    public static let trailerLength = 2
    /// Bytes of a packet that are not data.
    public static let overhead = headerLength + trailerLength
    /// Both length fields are 2 bytes wide.
    public static let maxLengthFieldValue = 0xFFFF
    /// The part size the spec asks senders to split at.
    public static let defaultMaxDataPerPacket = 1024
}

/// A monotonic time in milliseconds, supplied by the owner of a decoder or link:
/// the packet layer has no clock of its own, so tests can drive time exactly.
public typealias Milliseconds = UInt64

extension Milliseconds {
    /// `self + delay`, pinned at the maximum instead of trapping.
    func advanced(byMilliseconds delay: Milliseconds) -> Milliseconds {
        let (sum, overflow) = addingReportingOverflow(delay)
        return overflow ? .max : sum
    }
}
