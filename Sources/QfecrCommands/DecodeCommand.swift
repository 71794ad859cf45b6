import Foundation
import ArgumentParsing
import ECRProtocol
import ECRTransport

/// `qfecr decode [--packet HEX | --body TEXT]`: what a captured request says, and whether its digest checks out.
enum DecodeCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let posKey = try? Secrets.posKey(parsed: nil, io: io, purpose: "decrypt")
        let body: [UInt8]
        if let hex = parsed.option("packet") {
            body = try usage { () throws(WirePacket.Problem) in try WirePacket.data(fromHex: hex) }
            io.out("packet: \(body.count) bytes of data")
        } else if let text = parsed.option("body") {
            body = Array(text.utf8)
        } else {
            let input = io.readStandardInput()
            var text = String(decoding: input, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            // `qfecr encode … | qfecr decode` works: take the packet or body line of encode's output.
            let lines = text.split(separator: "\n").map(String.init)
            if let packet = lines.first(where: { $0.hasPrefix("packet: ") }) {
                text = String(packet.dropFirst("packet: ".count))
            } else if let body = lines.first(where: { $0.hasPrefix("body: ") }) {
                text = String(body.dropFirst("body: ".count))
            }
            guard !text.isEmpty else { throw CommandFailure.usage("nothing to decode: pass --packet HEX, --body TEXT, or pipe the body in") }
            body = text.hasPrefix("2f6e") || text.hasPrefix("2F6E") || text.hasPrefix("2f 6e") || text.hasPrefix("2F 6E")
                ? try usage { () throws(WirePacket.Problem) in try WirePacket.data(fromHex: text) } : Array(text.utf8)
        }
        let decoding: WireDecoding
        do {
            decoding = try WireDecoding.inspect(body: body, posKey: posKey)
        } catch {
            throw CommandFailure.usage("cannot decode: \(error.description)")
        }
        // A capture is the terminal's text too: shown cleaned, never with the key.
        let masker = SecretMasker(secrets: [posKey].compactMap { $0 })
        for line in decoding.lines { io.out(masker.clean(line)) }
        return decoding.digest == .differs ? .declined : .ok
    }
}

/// A packet the tools cannot build or read is a usage error, in the decoder's words.
func usage<Value>(_ work: () throws(WirePacket.Problem) -> Value) throws(CommandFailure) -> Value {
    do { return try work() } catch { throw .usage(error.description) }
}
