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

    /// The packets in bytes captured on a TCP or USB link, one line each (ref, type, data size), for
    /// the log: named as `summary(of:)` names them, an ack in the log's short form.
    public static func fields(of bytes: [UInt8]) -> [String] {
        PacketDecoder.decodeAll(bytes, settings: .init()).map { event in
            if case .ack(let ref) = event { return "ack ref \(PacketHex.literal(ref))" }
            return summary(of: event)
        }
    }

    /// One line for what a packet event is, as the trace and `qfecr decode` name it: `acknowledgement of ref 0x01`.
    public static func summary(of event: PacketDecoder.Event) -> String {
        switch event {
        case .message(let ref, let data): return "message ref \(PacketHex.literal(ref)), \(data.count) bytes of data"
        case .ack(let ref): return "acknowledgement of ref \(PacketHex.literal(ref))"
        case .peerError(let ref, let type): return "an error packet (ref \(PacketHex.literal(ref))): \(type.meaning)"
        case .framingError(let error): return "\(error)"
        case .reassemblyFailed(let ref, let reason): return "message \(PacketHex.literal(ref)) is incomplete: \(reason)"
        }
    }
}

/// One field of a packet as it lay on the wire, for a labelled hex dump.
public struct WirePacketField: Sendable, Hashable {
    public enum Name: String, Sendable, Hashable, CaseIterable {
        case startIndicator = "start indicator"
        case version
        case type
        case ref
        case totalLength = "total length"
        case dataLength = "data length"
        case data
        case endIndicator = "end indicator"
        /// Bytes outside any whole packet (noise, a cut-off packet).
        case unframed = "unframed bytes"
    }

    public let name: Name
    public let bytes: [UInt8]
    /// What the type field's packet is.
    public let kind: PacketKind?
    /// The value of a length field.
    public let length: Int?

    init(name: Name, bytes: [UInt8], kind: PacketKind? = nil, length: Int? = nil) {
        self.name = name
        self.bytes = bytes
        self.kind = kind
        self.length = length
    }

    /// What the value means, in English: the packet's kind, a length in decimal.
    public var meaning: String? { kind?.english ?? length.map { "\($0)" } }
}

extension WirePacket {
    /// How many leading bytes of a capture still arriving are settled: whole packets, and bytes that
    /// cannot begin one. The rest may be a packet whose end has not come yet, no longer than
    /// `longest` (the decoder's limit: a corrupt length field holds nothing back for long).
    public static func settledLength(of bytes: [UInt8], longest: Int = PacketDecoder.Settings().maxPacketLength) -> Int {
        var index = 0
        while index < bytes.count {
            let rest = bytes.count - index
            guard bytes[index] == PacketFormat.marker[0] else { index += 1; continue }
            if rest == 1 { return index }
            guard bytes[index + 1] == PacketFormat.marker[1] else { index += 1; continue }
            if rest < PacketFormat.headerLength { return index }
            let total = PacketHeader(reading: bytes, at: index).totalLength
            guard total >= PacketFormat.overhead else { index += 1; continue }
            if total > rest { if total > longest { index += 1; continue } else { return index } }
            index += Array(bytes[(index + total - PacketFormat.trailerLength)..<(index + total)]) == PacketFormat.marker ? total : 1
        }
        return index
    }

    /// The bytes of a TCP or USB capture cut into packet fields, in order; whatever is not a whole
    /// packet is kept as unframed bytes so the dump shows every byte exactly once. The direction,
    /// when known, tells what each packet is (`kind(of:going:)`).
    public static func layout(of bytes: [UInt8], direction: WireDirection? = nil) -> [WirePacketField] {
        var fields: [WirePacketField] = []
        var loose: [UInt8] = []
        var index = 0
        func flushLoose() {
            if !loose.isEmpty { fields.append(WirePacketField(name: .unframed, bytes: loose)); loose = [] }
        }
        while index < bytes.count {
            let rest = bytes.count - index
            guard rest >= PacketFormat.headerLength, bytes[index] == PacketFormat.marker[0], bytes[index + 1] == PacketFormat.marker[1] else {
                loose.append(bytes[index]); index += 1; continue
            }
            let header = PacketHeader(reading: bytes, at: index)
            let total = header.totalLength
            let end = index + total
            guard total >= PacketFormat.overhead, end <= bytes.count,
                  Array(bytes[(end - PacketFormat.trailerLength)..<end]) == PacketFormat.marker else {
                loose.append(bytes[index]); index += 1; continue
            }
            flushLoose()
            func slice(_ from: Int, _ count: Int) -> [UInt8] { Array(bytes[(index + from)..<(index + from + count)]) }
            fields += [
                WirePacketField(name: .startIndicator, bytes: slice(0, 2)),
                WirePacketField(name: .version, bytes: slice(2, 1)),
                WirePacketField(name: .type, bytes: slice(3, 1), kind: kind(of: header.type, going: direction)),
                WirePacketField(name: .ref, bytes: slice(4, 1)),
                WirePacketField(name: .totalLength, bytes: slice(5, 2), length: total),
                WirePacketField(name: .dataLength, bytes: slice(7, 2), length: header.dataLength),
            ]
            if header.partLength > 0 {
                fields.append(WirePacketField(name: .data, bytes: slice(PacketFormat.headerLength, header.partLength)))
            }
            fields.append(WirePacketField(name: .endIndicator, bytes: slice(total - PacketFormat.trailerLength, 2)))
            index = end
        }
        flushLoose()
        return fields
    }

    /// What a packet is, by its type and the way it went: the terminal carries its answer in a
    /// request-type packet (PROTOCOL.md §6), so a type 10 coming in is an answer. Without a
    /// direction (a bare capture) a type 10 is named as the protocol names it, a request.
    public static func kind(of type: PacketType?, going direction: WireDirection?) -> PacketKind {
        switch type {
        case .request?: return direction == .inbound ? .answer : .request
        case .ack?: return .acknowledgement
        case .some: return .error
        case nil: return .unknown
        }
    }
}
