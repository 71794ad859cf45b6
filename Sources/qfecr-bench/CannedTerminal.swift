import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A stand-in terminal that costs next to nothing: it answers every HTTP POST at once with the same
/// inquiry answer, one connection at a time, on plain blocking sockets (as the bare-socket server
/// does). Against it, a client's round trip is mostly the client's own work, so qfecr, the Python
/// client and a bare client can be compared fairly. Prints its port, then serves until killed (the
/// bench script stops it) or an hour has passed.
func cannedTerminal() throws {
    let data = #"{\"respcd\":\"0000\",\"respmsg\":\"success\",\"resperr\":\"\",\"syssn\":\"20261201000000000001\",\"txamt\":100,"#
        + #"\"txcurrcd\":\"344\",\"out_trade_no\":\"BENCH-0001\",\"busicd\":\"800208\",\"cancel\":0,\"allow_refund_amt\":100}"#
    let body = Array((#"{"respcd":"6000","respmsg":"query success","resperr":"","data":""# + data + #""}"#).utf8)
    let answer = Array("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n".utf8) + body
    let (listener, port) = try LoopbackSocket.listen()
    // accept() and the accepted connections' reads give up after a second (Linux copies the
    // option to accepted sockets), so a stalled client holds nothing and the hour is kept.
    var second = timeval(tv_sec: 1, tv_usec: 0)
    setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &second, socklen_t(MemoryLayout<timeval>.size))
    FileHandle.standardOutput.write(Data("canned terminal on 127.0.0.1:\(port)\n".utf8))
    let end = Date().addingTimeInterval(3600)
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while Date() < end {
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { continue }
        if LoopbackSocket.readMessage(fd, into: &buffer) { try? LoopbackSocket.send(fd, answer) }
        close(fd)
    }
}
