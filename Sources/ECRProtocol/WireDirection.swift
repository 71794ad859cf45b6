/// Which way bytes crossed the wire, seen from the register. What a packet is depends on it: the
/// terminal carries its answer in a packet of the request type (PROTOCOL.md §6).
public enum WireDirection: String, Sendable, Hashable {
    /// Received from the peer.
    case inbound = "in"
    /// Sent to the peer.
    case outbound = "out"
}
