import ECRTransport

// The server's request parser, fed in pieces (the first byte chooses the size) under small limits,
// so every limit and every split point of the grammar is reached.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let pieces = fuzzPieces(fuzzInput(data, size), modulo: 32) else { return 0 }
    let limits = HTTPLimits(maxHeaderBytes: 512, maxHeaderCount: 16, maxBodyBytes: 1024)
    var parser = HTTPRequestParser(limits: limits)
    do {
        for piece in pieces {
            parser.append(piece)
            while let request = try parser.nextRequest() {
                if request.body.count > limits.maxBodyBytes { fatalError("a body of \(request.body.count) bytes passed the limit") }
                roundTrip(request, limits: limits)
            }
        }
        _ = try parser.finish()
    } catch {
        _ = "\(error)"
    }
    return 0
}

/// A request the parser accepted, written out again, must read back the same.
private func roundTrip(_ request: HTTPRequest, limits: HTTPLimits) {
    guard let bytes = try? request.serialized() else { return }
    var again = HTTPRequestParser(limits: HTTPLimits(maxHeaderBytes: 4 * limits.maxHeaderBytes, maxHeaderCount: 4 * limits.maxHeaderCount,
                                                     maxBodyBytes: limits.maxBodyBytes))
    again.append(bytes)
    do {
        guard let reread = try again.nextRequest() else { fatalError("a serialized request did not read back whole") }
        if reread.method != request.method || reread.target != request.target || reread.body != request.body {
            fatalError("a serialized request read back differently: \(request) → \(reread)")
        }
    } catch {
        fatalError("a serialized request read back as an error: \(error)")
    }
}
