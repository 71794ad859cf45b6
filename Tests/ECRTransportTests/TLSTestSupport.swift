import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport
import Synchronization

/// Two connected UNIX stream sockets: TLS needs no network to be tested.
func makeSocketPair(file: StaticString = #filePath, line: UInt = #line) -> (client: Int32, server: Int32) {
    var descriptors: [Int32] = [-1, -1]
    let result = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &descriptors)
    XCTAssertEqual(result, 0, "socketpair: \(String(cString: strerror(errno)))", file: file, line: line)
    return (descriptors[0], descriptors[1])
}

/// A scratch directory removed when the test ends.
func makeScratchDirectory(_ testCase: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-tls-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// A generated CA and a loopback leaf it signed, plus the files a client configuration needs.
struct TLSTestChain {
    let authority: CertificateAuthority
    let leaf: IssuedCertificate
    let caFile: String

    static func make(
        in directory: URL, caName: String = CertificateAuthority.defaultCommonName,
        leafValidity: CertificateValidity = .days(30)
    ) throws -> TLSTestChain {
        let authority = try CertificateAuthority.generate(commonName: caName)
        let leaf = try authority.issue(validity: leafValidity)
        let caFile = directory.appendingPathComponent("ca-\(UUID().uuidString).pem").path
        try authority.write(certificateTo: caFile)
        return TLSTestChain(authority: authority, leaf: leaf, caFile: caFile)
    }

    var serverConfiguration: TLSServerConfiguration { TLSServerConfiguration(issued: leaf) }

    /// Trusts only this chain's CA, pinned on its root.
    var pinnedClientConfiguration: TLSClientConfiguration {
        TLSClientConfiguration(trust: .caFile(caFile), pin: .sha256(.root, authority.certificate.sha256))
    }
}

/// A TLS server on its own thread over one end of a socket pair. After the handshake it reads a
/// 4-byte big-endian length and that many bytes, and answers them reversed, then closes cleanly.
final class TLSTestServer: @unchecked Sendable {
    // Written once by the server thread before `finished` is signalled; read after waiting on it.
    private var outcome: Result<TLSSessionSummary, Error>?
    private let finished = DispatchSemaphore(value: 0)

    enum Behaviour: Sendable {
        /// Reverse-echo one length-prefixed message.
        case reverseEcho
        /// Complete the handshake, then close cleanly (close_notify).
        case handshakeOnly
        /// Complete the handshake, stay silent for a while, then close cleanly.
        case handshakeThenHold(seconds: Double)
        /// Complete the handshake, then do nothing until the test signals `release`.
        case handshakeThenWait(release: DispatchSemaphore)
        /// Complete the handshake, then drop the socket without close_notify, as a crashing peer would.
        case handshakeThenHangUp
    }

    init(descriptor: Int32, configuration: TLSServerConfiguration, behaviour: Behaviour = .reverseEcho,
         deadline: Deadline = .after(seconds: 10)) {
        let thread = Thread { [self] in
            do {
                let context = try TLSContext(server: configuration)
                let stream = try TLSStream.accept(descriptor: descriptor, context: context, deadline: deadline)
                defer { stream.close() }
                let summary = stream.session
                switch behaviour {
                case .reverseEcho:
                    let header = try TLSTestServer.readExactly(4, from: stream, deadline: deadline)
                    let length = header.reduce(0) { $0 << 8 | Int($1) }
                    let body = try TLSTestServer.readExactly(length, from: stream, deadline: deadline)
                    try stream.write(Array(body.reversed()), deadline: deadline)
                    try stream.shutdown(deadline: deadline)
                case .handshakeOnly:
                    break
                case .handshakeThenHold(let seconds):
                    Thread.sleep(forTimeInterval: seconds)
                case .handshakeThenWait(let release):
                    _ = release.wait(timeout: .now() + 10)
                case .handshakeThenHangUp:
                    // Both directions shut at the socket: the close_notify that close() then tries cannot leave.
                    _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR))
                }
                outcome = .success(summary)
            } catch {
                outcome = .failure(error)
            }
            finished.signal()
        }
        thread.start()
    }

    /// The server's session summary, or its error. Fails the test if the server never finishes.
    func result(timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line) -> Result<TLSSessionSummary, Error>? {
        guard finished.wait(timeout: .now() + timeout) == .success else {
            XCTFail("the test server did not finish within \(timeout) s", file: file, line: line)
            return nil
        }
        return outcome
    }

    static func readExactly(_ count: Int, from stream: TLSStream, deadline: Deadline) throws -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < count {
            let chunk = try stream.read(maxCount: min(65_536, count - bytes.count), deadline: deadline)
            if chunk.isEmpty { throw TLSFailure.connectionLost(.read, reason: "peer closed after \(bytes.count) of \(count) bytes") }
            bytes += chunk
        }
        return bytes
    }
}

extension XCTestCase {
    /// Runs a client handshake against `server` and returns its failure, failing the test if it succeeded.
    func expectHandshakeFailure(
        descriptor: Int32, host: String = "127.0.0.1", configuration: TLSClientConfiguration,
        deadline: Deadline = .after(seconds: 10), file: StaticString = #filePath, line: UInt = #line
    ) -> TLSFailure? {
        do {
            let stream = try TLSStream.connect(descriptor: descriptor, host: host, configuration: configuration,
                                               deadline: deadline)
            stream.close()
            XCTFail("the handshake was expected to fail but succeeded", file: file, line: line)
            return nil
        } catch let failure as TLSFailure {
            return failure
        } catch {
            XCTFail("expected a TLSFailure, got \(error)", file: file, line: line)
            return nil
        }
    }
}

/// A value shared between a test and the thread it starts.
final class LockedBox<Value: Sendable>: Sendable {
    private let stored: Mutex<Value>

    init(_ value: Value) { stored = Mutex(value) }

    var value: Value {
        get { stored.withLock { $0 } }
        set { stored.withLock { $0 = newValue } }
    }

    /// Read-modify-write in one locked step (`value[k] = v` would be a separate get and set).
    func mutate(_ body: (inout Value) -> Void) {
        stored.withLock { body(&$0) }
    }
}
