import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 socket address, as the kernel wants it and as a technician reads it.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    public enum Family: Sendable, Hashable {
        case ipv4
        case ipv6
    }

    public let family: Family
    /// Numeric host: `192.168.1.50`, `::1`.
    public let host: String
    public let port: UInt16
    let storage: [UInt8]

    /// `192.168.1.50:9001`, `[::1]:9001`.
    public var description: String { Self.endpoint(host: host, port: port) }

    /// A host and port written the way URLs write them (IPv6 literals in brackets).
    public static func endpoint(host: String, port: UInt16) -> String {
        // A byte test: Foundation's substring search here cost more than the rest of the line.
        host.utf8.contains(UInt8(ascii: ":")) ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    init?(pointer: UnsafePointer<sockaddr>, length: socklen_t) {
        let family = Int32(pointer.pointee.sa_family)
        guard family == AF_INET || family == AF_INET6 else { return nil }
        var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let status = getnameinfo(pointer, length, &text, socklen_t(text.count), &service, socklen_t(service.count),
                                 NI_NUMERICHOST | NI_NUMERICSERV)
        guard status == 0 else { return nil }
        self.family = family == AF_INET ? .ipv4 : .ipv6
        self.host = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.port = UInt16(String(decoding: service.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)) ?? 0
        self.storage = Array(UnsafeRawBufferPointer(start: pointer, count: Int(length)))
    }

    init?(storage: inout sockaddr_storage, length: socklen_t) {
        let made = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(pointer: $0, length: length) }
        }
        guard let made else { return nil }
        self = made
    }

    var addressFamily: Int32 { family == .ipv4 ? AF_INET : AF_INET6 }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        storage.withUnsafeBytes { raw in
            body(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
    }

    /// The local or remote address of a socket.
    static func of(socket fd: Int32, peer: Bool) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let status = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                peer ? getpeername(fd, $0, &length) : getsockname(fd, $0, &length)
            }
        }
        guard status == 0 else { return nil }
        return SocketAddress(storage: &storage, length: length)
    }

    /// Every address `host` stands for, in the order the resolver prefers. Numeric hosts skip DNS;
    /// `[::1]` brackets are accepted. A nil host with `passive` means "any address".
    public static func resolve(host: String?, port: UInt16, passive: Bool = false) throws -> [SocketAddress] {
        let bare = host.map(Self.stripBrackets)
        // An address written out needs no resolver: the usual terminal host, asked on every request.
        if let bare, let literal = literal(bare, port: port) { return [literal] }
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_NUMERICSERV | (passive ? AI_PASSIVE : 0)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(bare, String(port), &hints, &list)
        guard status == 0, let first = list else {
            let detail = status == EAI_SYSTEM ? errnoText(errno) : String(cString: gai_strerror(status))
            throw IOFailure.nameResolutionFailed(host: host ?? "*", detail: detail)
        }
        defer { freeaddrinfo(first) }
        var addresses: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let pointer = entry.pointee.ai_addr,
               let address = SocketAddress(pointer: pointer, length: entry.pointee.ai_addrlen),
               !addresses.contains(address) {
                addresses.append(address)
            }
            cursor = entry.pointee.ai_next
        }
        guard !addresses.isEmpty else {
            throw IOFailure.nameResolutionFailed(host: host ?? "*", detail: "no IPv4 or IPv6 address")
        }
        return addresses
    }

    /// A plain IPv4 or IPv6 address (as `inet_pton` reads it; anything else, such as a scope or the
    /// short forms `getaddrinfo` also takes, goes to the resolver), shown as `getnameinfo` shows it.
    static func literal(_ host: String, port: UInt16) -> SocketAddress? {
        var v4 = sockaddr_in()
        if inet_pton(AF_INET, host, &v4.sin_addr) == 1 {
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            return numeric(v4)
        }
        var v6 = sockaddr_in6()
        if inet_pton(AF_INET6, host, &v6.sin6_addr) == 1 {
            v6.sin6_family = sa_family_t(AF_INET6)
            v6.sin6_port = port.bigEndian
            return numeric(v6)
        }
        return nil
    }

    private static func numeric<Address>(_ address: Address) -> SocketAddress? {
        withUnsafePointer(to: address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { SocketAddress(numeric: $0, length: socklen_t(MemoryLayout<Address>.size)) }
        }
    }

    /// An address without a scope, its host text from `inet_ntop` (the form `getnameinfo` gives it).
    private init?(numeric pointer: UnsafePointer<sockaddr>, length: socklen_t) {
        let family = Int32(pointer.pointee.sa_family)
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let shown: UnsafePointer<CChar>?
        if family == AF_INET {
            let address = UnsafeRawPointer(pointer).assumingMemoryBound(to: sockaddr_in.self)
            port = UInt16(bigEndian: address.pointee.sin_port)
            shown = withUnsafePointer(to: address.pointee.sin_addr) { inet_ntop(AF_INET, $0, &text, socklen_t(text.count)) }
        } else {
            let address = UnsafeRawPointer(pointer).assumingMemoryBound(to: sockaddr_in6.self)
            port = UInt16(bigEndian: address.pointee.sin6_port)
            shown = withUnsafePointer(to: address.pointee.sin6_addr) { inet_ntop(AF_INET6, $0, &text, socklen_t(text.count)) }
        }
        guard shown != nil else { return nil }
        self.family = family == AF_INET ? .ipv4 : .ipv6
        host = String(cString: text)
        storage = Array(UnsafeRawBufferPointer(start: pointer, count: Int(length)))
    }

    static func stripBrackets(_ host: String) -> String {
        if host.hasPrefix("["), host.hasSuffix("]") { return String(host.dropFirst().dropLast()) }
        return host
    }
}
