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
        let sendsLength = !body.isEmpty || method.caseInsensitiveEquals("POST") || method.caseInsensitiveEquals("PUT")
            || method.caseInsensitiveEquals("PATCH")
        try appendHeaders(headers, contentLength: sendsLength ? body.count : nil, to: &out)
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
        let carriesBody = !HTTPResponse.statusForbidsBody(status)
        try appendHeaders(headers, contentLength: carriesBody ? body.count : nil, to: &out)
        if carriesBody && !headOnly { out += body }
        return out
    }
}

/// The caller's headers less any framing of its own, then `Content-Length` when given, then the blank line.
private func appendHeaders(_ headers: HTTPHeaders, contentLength: Int?, to out: inout [UInt8]) throws {
    for field in headers {
        var name = field.name, value = field.value
        // Each name and value is checked and copied from its bytes in place.
        try name.withUTF8 { name in
            if name.count == 14 || name.count == 17, isFraming(name) { return }
            guard HTTPMessageReader.isToken(name) else { throw HTTPSerializationError.invalidHeaderName(field.name) }
            try value.withUTF8 { value in
                guard HTTPMessageReader.isFieldValue(value) else { throw HTTPSerializationError.invalidHeaderValue(name: field.name) }
                out.append(contentsOf: name)
                out.append(0x3A)
                out.append(0x20)
                out.append(contentsOf: value)
                out.append(0x0D)
                out.append(0x0A)
            }
        }
    }
    if let contentLength {
        out.append(contentsOf: "Content-Length: ".utf8)
        appendDecimal(contentLength, to: &out)
        out.append(0x0D)
        out.append(0x0A)
    }
    out.append(0x0D)
    out.append(0x0A)
}

/// `Content-Length` or `Transfer-Encoding` in any case: the serializer writes the framing itself.
private func isFraming(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
    let framing: StaticString = name.count == 14 ? "content-length" : "transfer-encoding"
    return framing.withUTF8Buffer { framing in
        framing.count == name.count && zip(framing, name).allSatisfy { $0 == asciiLower($1) }
    }
}

private func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    guard value >= 10 else { return out.append(0x30 + UInt8(max(value, 0))) }
    appendDecimal(value / 10, to: &out)
    out.append(0x30 + UInt8(value % 10))
}
