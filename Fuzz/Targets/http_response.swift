import ECRTransport

// The client's response parser, as for a POST and as for a HEAD, fed in pieces (the first byte
// chooses the size and the method).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPResponseParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = fuzzInput(data, size)
    guard let pieces = fuzzPieces(bytes, modulo: 32) else { return 0 }
    let limits = HTTPLimits(maxHeaderBytes: 512, maxHeaderCount: 16, maxBodyBytes: 1024)
    var parser = HTTPResponseParser(limits: limits, requestMethod: bytes[0] & 0x80 == 0 ? "POST" : "HEAD")
    do {
        var responses: [HTTPResponse] = []
        for piece in pieces {
            parser.append(piece)
            while let response = try parser.nextResponse() { responses.append(response) }
        }
        if let last = try parser.finish() { responses.append(last) }
        for response in responses where response.body.count > limits.maxBodyBytes {
            fatalError("a body of \(response.body.count) bytes passed the limit")
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}
