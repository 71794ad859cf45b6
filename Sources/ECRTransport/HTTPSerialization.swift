/// A message that cannot be put on the wire as given: it would be malformed or open to header injection.
public enum HTTPSerializationError: Error, Sendable, Hashable, CustomStringConvertible {
    case invalidMethod(String)
    case invalidTarget(String)
    case invalidHeaderName(String)
    case invalidHeaderValue(name: String)
    case invalidReason(String)
    case invalidStatus(Int)

    public var description: String {
        switch self {
        case .invalidMethod(let method): "HTTP method \"\(method)\" is not a token"
        case .invalidTarget(let target): "request target \"\(target)\" is empty or holds spaces or control characters"
        case .invalidHeaderName(let name): "header name \"\(name)\" is not a token"
        case .invalidHeaderValue(let name): "the value of header \(name) holds a line break or control character"
        case .invalidReason(let reason): "reason phrase \"\(reason)\" holds a line break or control character"
        case .invalidStatus(let status): "status \(status) is not a three-digit code"
        }
    }
}

// The serializer owns the framing: it always writes Content-Length itself and never sends
// Transfer-Encoding, so a caller cannot produce a message whose length is ambiguous.

extension HTTPRequest {
    /// The request as bytes, with `Content-Length` set from the body.
    public func serialized() throws -> [UInt8] {
        guard HTTPMessageReader.isToken(method.utf8) else { throw HTTPSerializationError.invalidMethod(method) }
        guard !target.isEmpty, target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPSerializationError.invalidTarget(target)
        }
        var out: [UInt8] = []
        out.reserveCapacity(256 + body.count)
        out += method.utf8
        out.append(0x20)
        out += target.utf8
        out.append(0x20)
        out += version.rawValue.utf8
        out += [0x0D, 0x0A]
        var framed = headers
        framed.remove("Transfer-Encoding")
        framed.remove("Content-Length")
        if !body.isEmpty || ["POST", "PUT", "PATCH"].contains(where: { method.caseInsensitiveEquals($0) }) {
            framed.add("Content-Length", String(body.count))
        }
        try appendHeaders(framed, to: &out)
        out += body
        return out
    }
}

extension HTTPResponse {
    /// The response as bytes, with `Content-Length` set from the body. `headOnly` leaves the body
    /// out but keeps its length, as an answer to HEAD must.
    public func serialized(headOnly: Bool = false) throws -> [UInt8] {
        guard (100...999).contains(status) else { throw HTTPSerializationError.invalidStatus(status) }
        guard HTTPMessageReader.isFieldValue(reason.utf8) else { throw HTTPSerializationError.invalidReason(reason) }
        var out = Array("\(version.rawValue) \(status) \(reason)\r\n".utf8)
        var framed = headers
        framed.remove("Transfer-Encoding")
        framed.remove("Content-Length")
        let carriesBody = !HTTPResponse.statusForbidsBody(status)
        if carriesBody { framed.add("Content-Length", String(body.count)) }
        try appendHeaders(framed, to: &out)
        if carriesBody && !headOnly { out += body }
        return out
    }
}

private func appendHeaders(_ headers: HTTPHeaders, to out: inout [UInt8]) throws {
    for field in headers {
        guard HTTPMessageReader.isToken(field.name.utf8) else { throw HTTPSerializationError.invalidHeaderName(field.name) }
        guard HTTPMessageReader.isFieldValue(field.value.utf8) else { throw HTTPSerializationError.invalidHeaderValue(name: field.name) }
        out += field.name.utf8
        out += [0x3A, 0x20]
        out += field.value.utf8
        out += [0x0D, 0x0A]
    }
    out += [0x0D, 0x0A]
}
