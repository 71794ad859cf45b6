import ECRProtocol

/// Packet framing for the encode/decode tools; the codec itself lives in ECRProtocol.
enum WirePacket {
    static func hex(body: String, ref: UInt8) -> String {
        "(packet codec not yet available)"
    }

    static func data(fromHex text: String) throws -> [UInt8] {
        throw CommandFailure.usage("packet decoding is not available yet")
    }
}
