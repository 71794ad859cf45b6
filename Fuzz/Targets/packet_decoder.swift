import ECRProtocol

// The USB/TCP packet decoder, fed the input in pieces at advancing times so that stalled packets
// and reassembly deadlines are exercised as well as framing. The first byte chooses the piece size.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPacketDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    guard let pieces = fuzzPieces(bytes, modulo: 64) else { return 0 }
    var decoder = PacketDecoder(settings: PacketDecoder.Settings(maxPacketLength: 512, maxMessageLength: 2048))
    var now: Milliseconds = 0
    for piece in pieces {
        check(decoder.feed(Array(piece), at: now), settings: decoder.settings)
        now += Milliseconds(piece.first! % 8) * 100
    }
    check(decoder.tick(at: .max), settings: decoder.settings)
    check(PacketDecoder.decodeAll(Array(bytes.dropFirst())), settings: PacketDecoder.Settings())
    return 0
}

private func check(_ events: [PacketDecoder.Event], settings: PacketDecoder.Settings) {
    for case .message(let ref, let data) in events {
        if data.count > settings.maxMessageLength {
            fatalError("a message of \(data.count) bytes passed a limit of \(settings.maxMessageLength)")
        }
        // What was read, framed again, must read back as the same one message.
        guard let packets = try? PacketEncoder().encodeRequest(data, ref: ref) else { continue }
        let again = PacketDecoder.decodeAll(packets.flatMap { $0 })
        if again != [.message(ref: ref, data: data)] { fatalError("a message framed again read back as \(again)") }
    }
}
