import ECRProtocol

/// The terminal's first checks on a request body, in the order a terminal makes them:
/// method, decryption, digest, then the content's fields.
enum RequestGate {
    enum Refusal: Error, Equatable {
        case notPost(String)
        case undecryptable(String)
        case denied(String)
        case badParameters(String)

        var response: ECRResponse {
            switch self {
            case .notPost(let method):
                return ECRResponse(outer: .notPost, respmsg: "request method must be POST",
                                   resperr: "the terminal got \(method); send POST with Content-Type: application/json")
            case .undecryptable(let why):
                return ECRResponse(outer: .decryptionFailed, respmsg: "decryption failed", resperr: why)
            case .denied(let why):
                return ECRResponse(outer: .denied, respmsg: "request denied", resperr: why)
            case .badParameters(let why):
                return ECRResponse(outer: .badParameters, respmsg: "incorrect parameters", resperr: why)
            }
        }
    }

    static func admit(_ request: TerminalRequest, posKey: String) throws(Refusal) -> ECRRequest {
        guard request.method.uppercased() == "POST" else { throw .notPost(request.method) }
        let envelope: DecodedEnvelope
        do {
            envelope = try EnvelopeDecoder.decode(request.body, posKey: posKey)
        } catch {
            // Anything that went wrong inside an encrypted body is a decryption failure to the terminal.
            guard looksPlain(request.body) else {
                throw .undecryptable("the body does not decrypt to an envelope with this terminal's POS-KEY")
            }
            switch error {
            case .missingDigest: throw .denied("the envelope has no digest")
            default: throw .badParameters(error.description)
            }
        }
        guard envelope.digestMatches(posKey: posKey) else {
            throw .denied("the digest does not match the content with this terminal's POS-KEY")
        }
        let ecrRequest: ECRRequest
        do { ecrRequest = try ECRRequest(content: envelope.content) } catch { throw .badParameters(error.description) }
        if let path = request.path, Operation(httpPath: path) != ecrRequest.operation {
            throw .badParameters("func_type \(ecrRequest.operation.funcType) (\(ecrRequest.operation.displayName)) does not belong on \(path): use \(ecrRequest.operation.httpPath)")
        }
        return ecrRequest
    }

    private static func looksPlain(_ body: [UInt8]) -> Bool {
        body.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{")
    }
}
