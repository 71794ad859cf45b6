import ECRProtocol

/// A capture read back event by event, one `WireStreamReader` for each link and direction: the two
/// directions of a link, and several links, interleave in one capture. Pure: the `--trace` file
/// feeds it as the transports report bytes, and `qfecr decode` as it reads a trace file back.
public struct WireCaptureReader: Sendable {
    /// One direction of one link, written `out 127.0.0.1:9002` in a trace.
    public struct Side: Sendable, Hashable, CustomStringConvertible {
        public let direction: WireEvent.Direction
        /// Which link, as in `WireEvent.label`.
        public let label: String

        public var description: String { "\(direction.rawValue) \(label)" }
    }

    private var readers: [Side: WireStreamReader] = [:]

    public init() {}

    /// What the event's bytes complete on their side of their link.
    public mutating func feed(_ event: WireEvent) -> (side: Side, pieces: [WireStreamReader.Piece]) {
        let side = Side(direction: event.direction, label: event.label)
        var reader = readers[side] ?? WireStreamReader()
        let pieces = reader.feed(event.bytes)
        readers[side] = reader
        return (side, pieces)
    }

    /// The capture ended: what each side still held, sides in the order of their names.
    public mutating func finish() -> [(side: Side, pieces: [WireStreamReader.Piece])] {
        let sides = readers.keys.sorted { $0.description < $1.description }
        let held = sides.map { side in (side: side, pieces: readers[side]?.finish() ?? []) }
        readers = [:]
        return held
    }
}
