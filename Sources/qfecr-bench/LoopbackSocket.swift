import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain blocking POSIX sockets on 127.0.0.1, for the baselines and the canned terminal: no poll,
/// no deadlines, no protocol, so they cost what the kernel costs and little more.
enum LoopbackSocket {
    /// A listening socket on a free loopback port.
    static func listen() throws -> (fd: Int32, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound, Glibc.listen(fd, 64) == 0 else { close(fd); throw failure("bind") }
        return (fd, UInt16(bigEndian: address.sin_port))
    }

    static func connect(port: UInt16) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw failure("socket") }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw failure("connect") }
        return fd
    }

    /// Writes all of `bytes`.
    static func send(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw failure("send") }
            offset += n
        }
    }

    /// Reads until the peer closes; returns the byte count.
    static func drain(_ fd: Int32, into buffer: inout [UInt8]) -> Int {
        var total = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return total }
            total += n
        }
    }

    /// Reads one HTTP message (head, then Content-Length bytes of body) into `buffer`; false when
    /// the peer closed first or the message does not fit.
    static func readMessage(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var count = 0
        while count < buffer.count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + count, $0.count - count, 0) }
            if n <= 0 { return false }
            count += n
            if let (headEnd, length) = head(buffer, count: count), count - headEnd >= length { return true }
        }
        return false
    }

    /// Where the head ends and the Content-Length it gives, once the head is whole.
    private static func head(_ bytes: [UInt8], count: Int) -> (end: Int, length: Int)? {
        guard count >= 4 else { return nil }
        var end = -1
        for i in 3..<count where bytes[i] == 0x0A && bytes[i - 1] == 0x0D && bytes[i - 2] == 0x0A && bytes[i - 3] == 0x0D {
            end = i + 1
            break
        }
        guard end > 0 else { return nil }
        let name = Array("\ncontent-length:".utf8)
        var i = 0
        while i + name.count <= end {
            if (0..<name.count).allSatisfy({ lowered(bytes[i + $0]) == name[$0] }) {
                var j = i + name.count, length = 0
                while j < end, bytes[j] == 0x20 { j += 1 }
                while j < end, bytes[j] >= 0x30, bytes[j] <= 0x39 { length = length * 10 + Int(bytes[j] - 0x30); j += 1 }
                return (end, length)
            }
            i += 1
        }
        return (end, 0)
    }

    private static func lowered(_ byte: UInt8) -> UInt8 { (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private static func failure(_ call: String) -> BenchUsage {
        BenchUsage("\(call): \(String(cString: strerror(errno)))")
    }
}
