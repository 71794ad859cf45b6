import XCTest
import ECRProtocol

/// The seed §10.10 sample: the plaintext and the complete packet printed for it.
enum PacketSeedSample {
    static let plaintext = #"{"content":"{\"amt\":100,\"channel\":\"wx\",\"funcType\":1,\"mode\":1}","digest":"2f0c4683e25a7b9407265033070e9034"}"#
    static let packetHex = "2f6e011001007f00747b22636f6e74656e74223a227b5c22616d745c223a3130302c5c226368616e6e656c5c223a5c2277785c222c5c2266756e63547970655c223a312c5c226d6f64655c223a317d222c22646967657374223a223266306334363833653235613762393430373236353033333037306539303334227d2f6e"
}

/// SplitMix64: a small seeded generator so "random" chunkings are the same on every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A message of `count` bytes whose content shows where each byte belongs, so a misplaced part shows.
func packetTestMessage(count: Int, salt: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(salt)) }
}

/// Feeds `chunks` at one time and then lets the line go quiet, as a capture replay would.
func packetDecodeEvents(_ chunks: [[UInt8]], at time: Milliseconds = 0) -> [PacketDecoder.Event] {
    var decoder = PacketDecoder()
    var events: [PacketDecoder.Event] = []
    for chunk in chunks { events += decoder.feed(chunk, at: time) }
    return events + decoder.tick(at: time + 10_000)
}

/// One short line per event, so a failed comparison stays readable (messages can be 64 KB).
func packetEventSummary(_ events: [PacketDecoder.Event]) -> String {
    events.map { event -> String in
        switch event {
        case let .message(ref, data):
            let fnv = data.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
            return "message(\(PacketHex.literal(ref)), \(data.count) bytes, fnv \(String(fnv, radix: 16)))"
        case let .ack(ref): return "ack(\(PacketHex.literal(ref)))"
        case let .peerError(ref, type): return "peerError(\(PacketHex.literal(ref)), \(PacketHex.literal(type.rawValue)))"
        case let .framingError(error): return "framingError(\(error))"
        case let .reassemblyFailed(ref, reason): return "reassemblyFailed(\(PacketHex.literal(ref)), \(reason))"
        }
    }.joined(separator: "\n")
}

func assertPacketEvents(
    _ actual: [PacketDecoder.Event], _ expected: [PacketDecoder.Event], _ context: String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    guard actual != expected else { return }
    XCTFail("\(context)\n--- got:\n\(packetEventSummary(actual))\n--- expected:\n\(packetEventSummary(expected))", file: file, line: line)
}
