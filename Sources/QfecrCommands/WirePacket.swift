import ECRProtocol

/// Packet framing for the encode/decode tools; the codec itself lives in ECRProtocol.
enum WirePacket {
    static func hex(body: String, ref: UInt8) throws -> String {
        do {
            let parts = try PacketEncoder().encodeRequest(Array(body.utf8), ref: ref)
            return PacketHex.render(parts.flatMap { $0 })
        } catch {
            throw CommandFailure.usage("cannot build the packet: \(error)")
        }
    }

    /// The data of the request message in a captured packet stream; framing problems are errors.
    static func data(fromHex text: String) throws -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try PacketHex.parse(text) } catch { throw CommandFailure.usage("--packet: \(error)") }
        var messages: [[UInt8]] = []
        var problems: [String] = []
        for event in PacketDecoder.decodeAll(bytes, settings: .init()) {
            switch event {
            case .message(_, let data): messages.append(data)
            case .ack(let ref): problems.append("an ack (ref \(PacketHex.literal(ref))) carries no request")
            case .peerError(let ref, let type): problems.append("an error packet (ref \(PacketHex.literal(ref))): \(type.meaning)")
            case .framingError(let error): problems.append("\(error)")
            case .reassemblyFailed(let ref, let reason): problems.append("message \(PacketHex.literal(ref)) is incomplete: \(reason)")
            }
        }
        guard let first = messages.first else {
            throw CommandFailure.usage("no complete request packet found" + (problems.isEmpty ? "" : ": " + problems.joined(separator: "; ")))
        }
        guard messages.count == 1 else { throw CommandFailure.usage("the hex holds \(messages.count) messages: pass one packet at a time") }
        return first
    }
}
