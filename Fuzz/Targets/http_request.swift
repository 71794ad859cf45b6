import ECRTransport

// The server's request parser, fed in pieces (the first byte chooses the size) under small limits,
// so every limit and every split point of the grammar is reached.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let piece = Int(first % 32) + 1
    let limits = HTTPLimits(maxHeaderBytes: 512, maxHeaderCount: 16, maxBodyBytes: 1024)
    var parser = HTTPRequestParser(limits: limits)
    var start = 1
    do {
        while start < bytes.count {
            let end = min(start + piece, bytes.count)
            parser.append(bytes[start..<end])
            start = end
            while let request = try parser.nextRequest() {
                if request.body.count > limits.maxBodyBytes { fatalError("a body of \(request.body.count) bytes passed the limit") }
                _ = try? request.serialized()
            }
        }
        _ = try parser.finish()
    } catch {
        _ = "\(error)"
    }
    return 0
}
