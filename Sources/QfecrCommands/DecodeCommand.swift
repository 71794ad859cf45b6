import Foundation
import ArgumentParsing
import ECRProtocol
import ECRTransport

/// `qfecr decode [--packet HEX | --body TEXT]`: what captured requests and answers say, and whether
/// a request's digest checks out. Standard input may hold one body or packet, `qfecr encode`'s
/// output, a console export or a `--trace` file; each message in it is decoded in turn.
enum DecodeCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let posKey = try? Secrets.posKey(parsed: nil, io: io, purpose: "decrypt")
        let items: [DecodeInput.Item]
        do throws(DecodeInput.Unreadable) {
            if let hex = parsed.option("packet") {
                items = try DecodeInput.items(fromPacketHex: hex)
            } else if let text = parsed.option("body") {
                items = [DecodeInput.Item(place: "", summary: nil, message: Array(text.utf8), isProblem: false)]
            } else {
                items = try DecodeInput.items(fromText: String(decoding: io.readStandardInput(), as: UTF8.self))
            }
        } catch {
            throw CommandFailure.usage(error.description)
        }
        // A capture is the terminal's text too: shown cleaned, never with the key.
        let masker = SecretMasker(secrets: [posKey].compactMap { $0 })
        let messages = items.filter { $0.message != nil }
        if items.count == 1, let only = messages.first, let body = only.message {
            // One message: the lines alone (and a packet's size first), as scripts read them.
            let decoding: WireMessageDecoding
            do { decoding = try WireMessageDecoding.inspect(body, posKey: posKey) } catch {
                // Piped text that is no message at all may have been meant as any of decode's inputs.
                if case .notAMessage(let preview, let why) = error, parsed.option("body") == nil, only.summary == nil {
                    throw CommandFailure.usage("cannot decode '\(preview)': \(why); \(DecodeInput.expected)")
                }
                throw CommandFailure.usage("cannot decode: \(error.description)")
            }
            if parsed.option("packet") != nil { io.out("packet: \(body.count) bytes of data") }
            for line in decoding.lines { io.out(masker.clean(line)) }
            return decoding.digestDiffers ? .declined : .ok
        }
        var failed = 0
        var digestDiffers = false
        for item in items {
            io.out(masker.clean("--- " + [item.place, item.summary ?? ""].filter { !$0.isEmpty }.joined(separator: ": ")))
            if item.isProblem { failed += 1 }
            guard let body = item.message else { continue }
            do {
                let decoding = try WireMessageDecoding.inspect(body, posKey: posKey)
                digestDiffers = digestDiffers || decoding.digestDiffers
                for line in decoding.lines { io.out(masker.clean(line)) }
            } catch {
                failed += 1
                io.out(masker.clean("cannot decode: \(error.description)"))
            }
        }
        if failed > 0 {
            io.err("qfecr: \(failed) of \(items.count) captures could not be decoded (each is marked \"cannot decode\" or named above)")
            return .usage
        }
        return digestDiffers ? .declined : .ok
    }
}

/// A packet the tools cannot build or read is a usage error, in the decoder's words.
func usage<Value>(_ work: () throws(WirePacket.Problem) -> Value) throws(CommandFailure) -> Value {
    do { return try work() } catch { throw .usage(error.description) }
}
