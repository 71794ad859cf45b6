import ECRTransport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The floor for a round trip on this machine: a new loopback TCP connection, a request the size of
/// an HTTP inquiry written, an answer the size of its reply read until the server closes. Plain
/// blocking POSIX calls on the client, no protocol, no crypto.
func socketBaseline(count: Int, json: Bool) throws {
    let requestSize = 420, answerSize = 700
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    defer { listener.close() }
    let port = listener.port
    let server = Thread {
        let answer = [UInt8](repeating: 0x61, count: answerSize)
        for _ in 0..<count {
            guard let connection = try? listener.accept(deadline: .after(seconds: 10)) else { return }
            var received = 0
            while received < requestSize, let chunk = try? connection.read(maxCount: 4096, deadline: .after(seconds: 5)), !chunk.isEmpty {
                received += chunk.count
            }
            try? connection.write(answer, deadline: .after(seconds: 5))
            connection.close()
        }
    }
    server.start()

    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let request = [UInt8](repeating: 0x62, count: requestSize)
    var buffer = [UInt8](repeating: 0, count: 4096)
    var latencies: [Double] = []
    latencies.reserveCapacity(count)
    let total = try elapsed {
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw BenchUsage("socket: \(String(cString: strerror(errno)))") }
            defer { close(fd) }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else { throw BenchUsage("connect: \(String(cString: strerror(errno)))") }
            guard request.withUnsafeBytes({ write(fd, $0.baseAddress, $0.count) }) == requestSize else {
                throw BenchUsage("short write")
            }
            var got = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                got += n
            }
            guard got == answerSize else { throw BenchUsage("answer of \(got) bytes, expected \(answerSize)") }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
    }
    let sorted = latencies.sorted()
    func rank(_ f: Double) -> Double { sorted[min(sorted.count - 1, max(0, Int((f * Double(sorted.count)).rounded(.up)) - 1))] }
    let mean = sorted.reduce(0, +) / Double(sorted.count)
    let ms = { (s: Double) in String(format: "%.3f", s * 1000) }
    if json {
        print(#"{"count":\#(count),"p50_ms":\#(ms(rank(0.5))),"p99_ms":\#(ms(rank(0.99))),"mean_ms":\#(ms(mean)),"requests_per_second":\#(String(format: "%.1f", Double(count) / total))}"#)
    } else {
        print("bare socket: \(count) round trips, p50 \(ms(rank(0.5))) ms  p99 \(ms(rank(0.99))) ms  mean \(ms(mean)) ms  "
            + String(format: "%.0f", Double(count) / total) + " requests/s")
    }
}

