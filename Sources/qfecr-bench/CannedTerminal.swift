import ECRTransport
import Foundation

/// A stand-in terminal that costs next to nothing: it answers every HTTP POST at once with the same
/// inquiry answer, one connection at a time. Against it, a client's round trip is mostly the
/// client's own work, so qfecr, the Python client and the bare socket can be compared fairly.
/// Prints its port, then serves until killed (the bench script stops it) or an hour has passed.
func cannedTerminal() throws {
    let data = #"{\"respcd\":\"0000\",\"respmsg\":\"success\",\"resperr\":\"\",\"syssn\":\"20261201000000000001\",\"txamt\":100,"#
        + #"\"txcurrcd\":\"344\",\"out_trade_no\":\"BENCH-0001\",\"busicd\":\"800208\",\"cancel\":0,\"allow_refund_amt\":100}"#
    let body = Array((#"{"respcd":"6000","respmsg":"query success","resperr":"","data":""# + data + #""}"#).utf8)
    let answer = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    FileHandle.standardOutput.write(Data("canned terminal on 127.0.0.1:\(listener.port)\n".utf8))
    let end = Deadline.after(seconds: 3600)
    while !end.hasPassed {
        guard let connection = try? listener.accept(deadline: .after(seconds: 1)) else { continue }
        serve(connection, answer: answer)
        connection.close()
    }
}

/// Reads one request (headers, then Content-Length bytes of body) and writes the answer.
private func serve(_ connection: TCPConnection, answer: [UInt8]) {
    var received: [UInt8] = []
    let separator = Array("\r\n\r\n".utf8)
    let deadline = Deadline.after(seconds: 5)
    while true {
        guard let chunk = try? connection.read(maxCount: 8192, deadline: deadline), !chunk.isEmpty else { return }
        received += chunk
        guard let end = received.firstRange(of: separator) else { continue }
        let head = String(decoding: received[..<end.lowerBound], as: UTF8.self).lowercased()
        let length = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
            .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
        if received.count - end.upperBound >= length { break }
    }
    try? connection.write(answer, deadline: .after(seconds: 5))
}
