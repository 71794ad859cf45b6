import ECRTransport

// The client's response parser, as for a POST and as for a HEAD, fed in pieces (the first byte
// chooses the size and the method).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPResponseParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let piece = Int(first % 32) + 1
    let limits = HTTPLimits(maxHeaderBytes: 512, maxHeaderCount: 16, maxBodyBytes: 1024)
    var parser = HTTPResponseParser(limits: limits, requestMethod: first & 0x80 == 0 ? "POST" : "HEAD")
    var start = 1
    do {
        while start < bytes.count {
            let end = min(start + piece, bytes.count)
            parser.append(bytes[start..<end])
            start = end
            while let response = try parser.nextResponse() {
                if response.body.count > limits.maxBodyBytes { fatalError("a body of \(response.body.count) bytes passed the limit") }
            }
        }
        if let response = try parser.finish(), response.body.count > limits.maxBodyBytes {
            fatalError("a body of \(response.body.count) bytes passed the limit")
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}
