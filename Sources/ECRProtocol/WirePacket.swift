/// Packet framing for the encode/decode tools and the wire log; the codec itself is PacketEncoder/PacketDecoder.
public enum WirePacket {
    /// Why a packet could not be built or read, in words for the technician.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static func hex(body: String, ref: UInt8) throws(Problem) -> String {
        do {
            let parts = try PacketEncoder().encodeRequest(Array(body.utf8), ref: ref)
            return PacketHex.render(parts.flatMap { $0 })
        } catch {
            throw Problem(description: "cannot build the packet: \(error)")
        }
    }

    /// The data of the request message in a captured packet stream; framing problems are errors.
    public static func data(fromHex text: String) throws(Problem) -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try PacketHex.parse(text) } catch { throw Problem(description: "--packet: \(error)") }
        var messages: [[UInt8]] = []
        var problems: [String] = []
        for event in PacketDecoder.decodeAll(bytes, settings: .init()) {
            switch event {
            case .message(_, let data): messages.append(data)
            default: problems.append(describe(event))
            }
        }
        guard let first = messages.first else {
            throw Problem(description: "no complete request packet found" + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; ")))
        }
        guard messages.count == 1 else { throw Problem(description: "the hex holds \(messages.count) messages: pass one packet at a time") }
        return first
    }

    /// The packets in bytes captured on a TCP or USB link, one line each (ref, type, data size), for the log.
    public static func fields(of bytes: [UInt8]) -> [String] {
        PacketDecoder.decodeAll(bytes, settings: .init()).map { event in
            switch event {
            case .message(let ref, let data): return "message ref \(PacketHex.literal(ref)), \(data.count) bytes of data"
            case .ack(let ref): return "ack ref \(PacketHex.literal(ref))"
            default: return describe(event)
            }
        }
    }

    private static func describe(_ event: PacketDecoder.Event) -> String {
        switch event {
        case .message(let ref, _): return "message ref \(PacketHex.literal(ref))"
        case .ack(let ref): return "an ack (ref \(PacketHex.literal(ref))) carries no request"
        case .peerError(let ref, let type): return "an error packet (ref \(PacketHex.literal(ref))): \(type.meaning)"
        case .framingError(let error): return "\(error)"
        case .reassemblyFailed(let ref, let reason): return "message \(PacketHex.literal(ref)) is incomplete: \(reason)"
        }
    }
}
