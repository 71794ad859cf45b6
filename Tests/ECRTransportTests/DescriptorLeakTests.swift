import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

/// Every path that opens a descriptor must give it back: success, each kind of failure, and a close
/// that races a blocked reader. The count in /proc/self/fd must come back to where it started.
final class DescriptorLeakTests: XCTestCase {
    private func oneRoundOfEverything() throws {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }

        for _ in 0..<10 {
            let client = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
            let accepted = try XCTUnwrap(listener.accept(deadline: .after(seconds: 2)))
            try client.write([1, 2, 3], deadline: .after(seconds: 1))
            _ = try readBytes(accepted, count: 3, deadline: .after(seconds: 1))
            accepted.close()
            client.close()
            client.close()
        }

        let closedPort: UInt16 = try {
            let spare = try TCPListener(host: "127.0.0.1", port: 0)
            defer { spare.close() }
            return spare.port
        }()
        for _ in 0..<10 {
            XCTAssertEqual(expectIOFailure { try TCPConnection.connect(host: "127.0.0.1", port: closedPort, timeout: 1) }?.kind,
                           .connectionRefused)
            XCTAssertEqual(expectIOFailure { try TCPListener(host: "127.0.0.1", port: listener.port) }?.kind, .addressInUse)
            XCTAssertEqual(expectIOFailure { try SerialPort(path: "/dev/ttyUSB-qfecr-missing") }?.kind, .noSuchDevice)
            XCTAssertEqual(expectIOFailure { try SerialPort(path: "/dev/null") }?.kind, .notATerminal)
        }
        XCTAssertEqual(expectIOFailure { try TCPConnection.connect(host: "no-such-terminal.invalid", port: 1, timeout: 1) }?.kind,
                       .nameResolutionFailed)

        // A close that lands while another thread sleeps in poll(): the descriptor is released late.
        for _ in 0..<5 {
            let client = try TCPConnection.connect(host: "127.0.0.1", port: listener.port, timeout: 2)
            let accepted = try XCTUnwrap(listener.accept(deadline: .after(seconds: 2)))
            let reader = try BackgroundPeer { _ = try client.read(maxCount: 10, deadline: .after(seconds: 5)) }
            usleep(20_000)
            client.close()
            XCTAssertEqual((reader.finish() as? IOFailure)?.kind, .closedLocally)
            accepted.close()
        }

        for _ in 0..<3 {
            let pty = try PseudoTerminal()
            let port = try SerialPort(path: pty.slavePath)
            try port.write([0x2F, 0x6E], deadline: .after(seconds: 1))
            _ = try readBytes(pty, count: 2, deadline: .after(seconds: 1))
            port.close()
            pty.close()
        }

        let server = HTTPServer(listener: try TCPListener(host: "127.0.0.1", port: 0),
                                configuration: HTTPServerConfiguration(requestTimeout: 2)) { _, _ in .text(200, "SUCCESS") }
        try server.start()
        for _ in 0..<5 {
            let connection = try TCPConnection.connect(host: "127.0.0.1", port: server.port, timeout: 2)
            let response = try HTTPClient.exchange(HTTPRequest(method: "GET", target: "/", headers: ["Host": "t"]),
                                                   over: connection, deadline: .after(seconds: 2))
            XCTAssertEqual(response.bodyText, "SUCCESS")
            connection.close()
        }
        server.stop()
    }

    func testNoDescriptorLeaksAcrossConnectsFailuresAndCloses() throws {
        // One round first, so lazily opened process-wide descriptors are not counted as leaks.
        try oneRoundOfEverything()
        let before = openDescriptorCount()
        for _ in 0..<3 { try oneRoundOfEverything() }
        XCTAssertEqual(openDescriptorCount(), before)
    }
}
