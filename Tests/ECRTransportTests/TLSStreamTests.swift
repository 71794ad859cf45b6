import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

/// The stream's behaviour at the edges: deadlines, a peer that hangs up, closing twice.
final class TLSStreamTests: XCTestCase {
    func testHandshakeTimesOutWhenThePeerNeverAnswers() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, silentEnd) = makeSocketPair()
        defer { close(silentEnd) }

        let started = Deadline.now
        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: chain.pinnedClientConfiguration, deadline: .after(seconds: 1))
        let elapsed = Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        guard case .timedOut(.handshake)? = failure else {
            return XCTFail("expected a handshake timeout, got \(String(describing: failure))")
        }
        XCTAssertGreaterThanOrEqual(elapsed, 0.9)
        XCTAssertLessThan(elapsed, 2.0, "the deadline bounds the handshake")
        XCTAssertFalse(failure?.requestMayHaveReachedPeer ?? true)
        var byte: UInt8 = 0
        XCTAssertGreaterThan(recv(silentEnd, &byte, 1, Int32(MSG_DONTWAIT)), 0, "the ClientHello was sent")
    }

    func testPeerClosingDuringTheHandshakeIsReportedAsSuch() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        // Read the ClientHello, then hang up without a word, as a terminal with HTTPS off might.
        let hangUp = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = recv(serverEnd, &buffer, buffer.count, 0)
            close(serverEnd)
        }
        hangUp.start()
        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: chain.pinnedClientConfiguration)
        guard case .peerClosedDuringHandshake? = failure else {
            return XCTFail("expected peerClosedDuringHandshake, got \(String(describing: failure))")
        }
        XCTAssertFalse(failure?.requestMayHaveReachedPeer ?? true)
    }

    func testPlainHTTPAnswerToTheHelloIsAHandshakeFailureWithOpenSSLsReason() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        let plainServer = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            _ = recv(serverEnd, &buffer, buffer.count, 0)
            let answer = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)
            _ = send(serverEnd, answer, answer.count, Int32(MSG_NOSIGNAL))
            Thread.sleep(forTimeInterval: 0.5)
            close(serverEnd)
        }
        plainServer.start()
        let failure = expectHandshakeFailure(descriptor: clientEnd, configuration: chain.pinnedClientConfiguration)
        guard case .handshakeFailed(let reason)? = failure else {
            return XCTFail("expected handshakeFailed, got \(String(describing: failure))")
        }
        XCTAssertFalse(reason.isEmpty)
        XCTAssertTrue(failure?.message.contains("HTTPS mode") ?? false)
    }

    func testReadTimesOutAndMayHaveReachedThePeer() throws {
        let (client, server) = try connectedPair(server: .handshakeThenHold(seconds: 0.6))
        defer { client.close() }
        let started = Deadline.now
        XCTAssertThrowsError(try client.read(maxCount: 16, deadline: .after(seconds: 0.3))) { error in
            guard case TLSFailure.timedOut(.read) = error else { return XCTFail("expected read timeout, got \(error)") }
            XCTAssertTrue((error as? TLSFailure)?.requestMayHaveReachedPeer ?? false)
        }
        XCTAssertLessThan(Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9, 1.0)
        _ = server.result()
    }

    func testWritingToAPeerThatHungUpFailsWithoutKillingTheProcess() throws {
        let (client, server) = try connectedPair(server: .handshakeThenHangUp)
        defer { client.close() }
        _ = server.result()
        // Without MSG_NOSIGNAL the first or second write raises SIGPIPE and this test process dies.
        var failure: Error?
        for _ in 0..<20 where failure == nil {
            do { try client.write([UInt8](repeating: 0x41, count: 65_536), deadline: .after(seconds: 2)) } catch { failure = error }
        }
        guard case TLSFailure.connectionLost(.write, _)? = failure else {
            return XCTFail("expected connectionLost while writing, got \(String(describing: failure))")
        }
        XCTAssertTrue((failure as? TLSFailure)?.requestMayHaveReachedPeer ?? false)
    }

    func testPeerHangingUpWithoutCloseNotifyEndsTheStreamAndIsFlagged() throws {
        let (client, server) = try connectedPair(server: .handshakeThenHangUp)
        defer { client.close() }
        _ = server.result()
        XCTAssertEqual(try client.read(maxCount: 16, deadline: .after(seconds: 2)), [])
        XCTAssertTrue(client.peerClosedWithoutNotify)
    }

    func testCloseIsIdempotentAndUseAfterCloseSaysClosed() throws {
        let (client, server) = try connectedPair(server: .handshakeOnly)
        client.close()
        client.close()
        XCTAssertThrowsError(try client.write([1], deadline: .after(seconds: 1))) { error in
            guard case TLSFailure.closed = error else { return XCTFail("expected closed, got \(error)") }
        }
        XCTAssertThrowsError(try client.read(maxCount: 1, deadline: .after(seconds: 1))) { error in
            guard case TLSFailure.closed = error else { return XCTFail("expected closed, got \(error)") }
        }
        _ = server.result()
    }

    func testCloseFromAnotherThreadWakesABlockedReader() throws {
        // The server stays silent throughout, so only close() itself can wake the reader.
        let release = DispatchSemaphore(value: 0)
        let (client, server) = try connectedPair(server: .handshakeThenWait(release: release))
        let readerDone = DispatchSemaphore(value: 0)
        let readerError = LockedBox<Error?>(nil)
        Thread {
            do { _ = try client.read(maxCount: 16, deadline: .after(seconds: 5)) } catch { readerError.value = error }
            readerDone.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.2)
        client.close()
        XCTAssertEqual(readerDone.wait(timeout: .now() + 1), .success, "the reader must not sleep until its deadline")
        guard case TLSFailure.closed? = readerError.value else {
            return XCTFail("expected closed, got \(String(describing: readerError.value))")
        }
        release.signal()
        _ = server.result()
    }

    func testOneThreadReadsWhileAnotherWrites() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        let server = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration)
        let client = try TLSStream.connect(descriptor: clientEnd, host: "127.0.0.1", configuration: chain.pinnedClientConfiguration,
                                           deadline: .after(seconds: 10))
        defer { client.close() }
        let size = 300_000
        let received = LockedBox<Result<[UInt8], Error>?>(nil)
        let readerDone = DispatchSemaphore(value: 0)
        // The reader is waiting in poll() before the first byte is written, and the writer must not be
        // held up by it: the session lock is released while either sleeps.
        Thread {
            received.value = Result { try TLSTestServer.readExactly(size, from: client, deadline: .after(seconds: 20)) }
            readerDone.signal()
        }.start()
        let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        try client.write([0, UInt8(size >> 16), UInt8(size >> 8 & 0xFF), UInt8(size & 0xFF)] + message, deadline: .after(seconds: 20))
        XCTAssertEqual(readerDone.wait(timeout: .now() + 20), .success)
        XCTAssertTrue((try? received.value?.get()) == message.reversed(), "the reverse echo arrived complete")
        if case .failure(let error)? = server.result() { XCTFail("server: \(error)") }
    }

    func testDescriptorIsLeftOpenWhenTheCallerKeepsIt() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        defer { close(clientEnd) }
        let server = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration, behaviour: .handshakeOnly)
        let stream = try TLSStream.connect(descriptor: clientEnd, host: "127.0.0.1", configuration: chain.pinnedClientConfiguration,
                                           deadline: .after(seconds: 10), closesDescriptor: false)
        stream.close()
        XCTAssertNotEqual(fcntl(clientEnd, F_GETFD), -1, "closesDescriptor: false leaves the socket to its owner")
        _ = server.result()
    }

    func testServerCredentialsFromFilesAndBadKey() throws {
        let directory = try makeScratchDirectory(self)
        let chain = try TLSTestChain.make(in: directory)
        let chainFile = directory.appendingPathComponent("leaf.pem").path
        let keyFile = directory.appendingPathComponent("leaf.key").path
        try chain.leaf.write(certificateTo: chainFile, privateKeyTo: keyFile)
        XCTAssertNoThrow(try TLSContext(server: TLSServerConfiguration(certificateChainFile: chainFile, privateKeyFile: keyFile)))

        let otherKey = directory.appendingPathComponent("other.key").path
        try chain.authority.write(certificateTo: directory.appendingPathComponent("ca.pem").path, privateKeyTo: otherKey)
        XCTAssertThrowsError(try TLSContext(server: TLSServerConfiguration(certificateChainFile: chainFile, privateKeyFile: otherKey))) { error in
            guard case TLSFailure.serverCredentialsUnusable = error else { return XCTFail("expected serverCredentialsUnusable, got \(error)") }
        }
        XCTAssertThrowsError(try TLSContext(server: TLSServerConfiguration(certificateChainFile: chainFile, privateKeyFile: directory.path + "/missing.key")))
    }

    /// A completed session; the server side behaves as told after its handshake.
    private func connectedPair(server behaviour: TLSTestServer.Behaviour) throws -> (TLSStream, TLSTestServer) {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        let (clientEnd, serverEnd) = makeSocketPair()
        let server = TLSTestServer(descriptor: serverEnd, configuration: chain.serverConfiguration, behaviour: behaviour)
        let client = try TLSStream.connect(descriptor: clientEnd, host: "127.0.0.1", configuration: chain.pinnedClientConfiguration,
                                           deadline: .after(seconds: 10))
        return (client, server)
    }
}
