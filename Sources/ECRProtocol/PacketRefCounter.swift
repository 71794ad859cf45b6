/// Hands out packet refs 0x01…0x7F in turn, wrapping 0x7F → 0x01; 0x00 is never used.
public struct PacketRefCounter: Sendable, Equatable {
    public static let first: UInt8 = 0x01
    public static let last: UInt8 = 0x7F

    /// The ref the next `take()` returns.
    public private(set) var next: UInt8

    /// - Precondition: `startingAt` is within 0x01…0x7F (a caller bug otherwise).
    public init(startingAt ref: UInt8 = PacketRefCounter.first) {
        precondition(Self.isValid(ref), "packet refs run 0x01…0x7F, got \(PacketHex.literal(ref))")
        next = ref
    }

    public static func isValid(_ ref: UInt8) -> Bool { (first...last).contains(ref) }

    public mutating func take() -> UInt8 {
        let ref = next
        next = ref == Self.last ? Self.first : ref + 1
        return ref
    }
}
