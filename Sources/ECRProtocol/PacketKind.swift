/// What a packet is, from its type byte and the way it went (`WirePacket.kind(of:going:)`): kept
/// as a value so each screen can word it in its own language.
public enum PacketKind: String, Sendable, Hashable, CaseIterable {
    case request
    /// The terminal's answer, carried in a request-type packet coming in (PROTOCOL.md §6).
    case answer
    case acknowledgement
    case error
    /// A type byte the protocol does not define.
    case unknown

    /// The word the trace, `qfecr decode` and the English console print.
    public var english: String { rawValue }
}
