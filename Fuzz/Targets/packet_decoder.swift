import ECRProtocol

// The USB/TCP packet decoder, fed the input in pieces at advancing times so that stalled packets
// and reassembly deadlines are exercised as well as framing. The first byte chooses the piece size.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPacketDecoder(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let piece = Int(first % 64) + 1
    let input = Array(bytes.dropFirst())
    var decoder = PacketDecoder(settings: PacketDecoder.Settings(maxPacketLength: 512, maxMessageLength: 2048))
    var now: Milliseconds = 0
    var start = 0
    while start < input.count {
        let end = min(start + piece, input.count)
        let events = decoder.feed(Array(input[start..<end]), at: now)
        check(events, settings: decoder.settings)
        now += Milliseconds(input[start] % 8) * 100
        start = end
    }
    check(decoder.tick(at: .max), settings: decoder.settings)
    check(PacketDecoder.decodeAll(input), settings: PacketDecoder.Settings())
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
