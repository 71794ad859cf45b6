import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

final class SocketAddressTests: XCTestCase {
    /// What `getaddrinfo` and `getnameinfo` make of a numeric host (the way every host went before
    /// addresses written out skipped them).
    private func throughResolver(_ host: String, port: UInt16) throws -> SocketAddress {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        XCTAssertEqual(getaddrinfo(host, String(port), &hints, &list), 0, host)
        defer { freeaddrinfo(list) }
        let entry = try XCTUnwrap(list)
        return try XCTUnwrap(SocketAddress(pointer: entry.pointee.ai_addr, length: entry.pointee.ai_addrlen))
    }

    func testAnAddressWrittenOutReadsAsTheResolverReadsIt() throws {
        for host in ["127.0.0.1", "192.168.1.50", "0.0.0.0", "::1", "::", "fe80::1", "::ffff:10.0.0.1", "2001:db8:0:0:1:0:0:1"] {
            let literal = try XCTUnwrap(SocketAddress.literal(host, port: 9001), host)
            XCTAssertEqual(literal, try throughResolver(host, port: 9001), host)
        }
        XCTAssertEqual(try SocketAddress.resolve(host: "[::1]", port: 9001).map(\.description), ["[::1]:9001"])
        XCTAssertEqual(try SocketAddress.resolve(host: "2001:db8:0:0:1:0:0:1", port: 1).map(\.host), ["2001:db8::1:0:0:1"])
    }

    func testOtherHostsStillGoToTheResolver() throws {
        for host in ["127.1", "localhost", "fe80::1%lo", "1.2.3.04", "example"] {
            XCTAssertNil(SocketAddress.literal(host, port: 9001), host)
        }
        XCTAssertEqual(try SocketAddress.resolve(host: "127.1", port: 9001).map(\.description), ["127.0.0.1:9001"],
                       "the short form getaddrinfo takes")
        XCTAssertFalse(try SocketAddress.resolve(host: "localhost", port: 9001).isEmpty)
    }
}
