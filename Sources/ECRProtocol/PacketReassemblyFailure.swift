/// Why a split message was abandoned. Whoever owns the link answers the sender with a
/// reassembly error packet (0x35) carrying the message's ref.
public enum PacketReassemblyFailure: Sendable, Equatable, CustomStringConvertible {
    /// The next part's header did not arrive within this many milliseconds of the previous part.
    case timedOut(afterMilliseconds: Milliseconds)
    /// A request with another ref arrived while parts were still missing.
    case interrupted(byRef: UInt8)
    /// A part with the same ref declared another message length, or would overfill the declared length.
    case inconsistentPart(declaredLength: Int, partDeclaredLength: Int, gathered: Int, partLength: Int)
    /// A part with this ref arrived broken (see the framing error reported just before).
    case corruptPart

    public var description: String {
        switch self {
        case let .timedOut(ms):
            return "the next part did not start within \(ms) ms"
        case let .interrupted(ref):
            return "a new request (ref \(PacketHex.literal(ref))) arrived before the missing parts"
        case let .inconsistentPart(declared, partDeclared, gathered, partLength):
            return "a part declared a \(partDeclared)-byte message and carried \(partLength) byte(s) while \(gathered) of \(declared) bytes were gathered"
        case .corruptPart:
            return "one of its parts arrived broken"
        }
    }
}

/// A split message being gathered: the data so far and when the next part must have started.
struct PacketReassembly: Sendable {
    let ref: UInt8
    let declaredLength: Int
    var data: [UInt8]
    /// Nil while a part with this ref is arriving: the header came in time, the rest is the line's pace.
    var nextPartDeadline: Milliseconds?
}
