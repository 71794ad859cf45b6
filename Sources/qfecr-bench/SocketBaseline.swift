import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The floor for a round trip on this machine: a new loopback TCP connection, a request written, the
/// answer read. Plain blocking POSIX calls on the client, no protocol, no crypto.
///
/// Without `port`, against a server thread in this process that reads 420 bytes, answers 700 (the
/// sizes of an HTTP inquiry and its answer) and closes: the floor itself. With `port`, an HTTP POST of
/// `body` to the server there (the canned terminal, the simulator), read up to the answer's end, so
/// the bare client and qfecr are timed against the same server doing the same work.
func socketBaseline(count: Int, port: UInt16?, body: [UInt8], json: Bool) throws {
    let requestSize = 420, answerSize = 700
    var request = [UInt8](repeating: 0x62, count: requestSize)
    var target = port ?? 0
    if let port {
        // The head qfecr sends for an inquiry, and the same body.
        request = Array(("POST /api/pos/query_transaction HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
            + "Connection: close\r\nContent-Length: \(body.count)\r\n\r\n").utf8) + body
    } else {
        let (listener, listening) = try LoopbackSocket.listen()
        target = listening
        let server = Thread {
            defer { close(listener) }
            let answer = [UInt8](repeating: 0x61, count: answerSize)
            var buffer = [UInt8](repeating: 0, count: 4096)
            for _ in 0..<count {
                let fd = accept(listener, nil, nil)
                guard fd >= 0 else { return }
                var received = 0
                while received < requestSize {
                    let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { break }
                    received += n
                }
                try? LoopbackSocket.send(fd, answer)
                close(fd)
            }
        }
        server.start()
    }

    var buffer = [UInt8](repeating: 0, count: 16 * 1024)
    var latencies: [Double] = []
    latencies.reserveCapacity(count)
    var failures = 0
    let total = try elapsed {
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            let fd = try LoopbackSocket.connect(port: target)
            defer { close(fd) }
            try LoopbackSocket.send(fd, request)
            if port != nil {
                // Read up to the answer's end, as qfecr does, not until the server closes.
                guard LoopbackSocket.readMessage(fd, into: &buffer) else { failures += 1; continue }
            } else {
                let got = LoopbackSocket.drain(fd, into: &buffer)
                guard got == answerSize else { throw BenchUsage("answer of \(got) bytes, expected \(answerSize)") }
            }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }
    guard !latencies.isEmpty else { throw BenchUsage("no answer from port \(target)") }
    let sorted = latencies.sorted()
    func rank(_ f: Double) -> Double { sorted[min(sorted.count - 1, max(0, Int((f * Double(sorted.count)).rounded(.up)) - 1))] }
    let mean = sorted.reduce(0, +) / Double(sorted.count)
    let ms = { (s: Double) in String(format: "%.3f", s * 1000) }
    if json {
        print(#"{"count":\#(count),"answered":\#(latencies.count),"p50_ms":\#(ms(rank(0.5))),"p99_ms":\#(ms(rank(0.99))),"mean_ms":\#(ms(mean)),"requests_per_second":\#(String(format: "%.1f", Double(count) / total))}"#)
    } else {
        print("bare socket: \(latencies.count) of \(count) round trips, p50 \(ms(rank(0.5))) ms  p99 \(ms(rank(0.99))) ms  mean \(ms(mean)) ms  "
            + String(format: "%.0f", Double(count) / total) + " requests/s" + (failures > 0 ? ", \(failures) unanswered" : ""))
    }
}
