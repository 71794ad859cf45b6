import Foundation
import XCTest
@testable import ECRTransport

final class TLSContextTests: XCTestCase {
    func testBothRolesRefuseAnythingOlderThanTLS12() throws {
        let chain = try TLSTestChain.make(in: makeScratchDirectory(self))
        XCTAssertEqual(try TLSContext(client: .qfecrDefault).minimumProtocolVersion, 0x0303)
        XCTAssertEqual(try TLSContext(server: chain.serverConfiguration).minimumProtocolVersion, 0x0303)
    }

    /// One shared client context, sessions on several threads at once: each session's verdict is its own.
    func testSessionsSharingAContextKeepTheirOwnVerdicts() throws {
        let directory = try makeScratchDirectory(self)
        let trusted = try TLSTestChain.make(in: directory)
        let stranger = try TLSTestChain.make(in: directory, caName: "someone else's CA")
        let context = try TLSContext(client: trusted.pinnedClientConfiguration)
        let servedChains = [trusted, stranger, trusted, stranger, trusted, stranger]
        let verdicts = LockedBox<[Int: String]>([:])
        let group = DispatchGroup()
        for (index, served) in servedChains.enumerated() {
            let (clientEnd, serverEnd) = makeSocketPair()
            _ = TLSTestServer(descriptor: serverEnd, configuration: served.serverConfiguration, behaviour: .handshakeOnly)
            group.enter()
            Thread {
                let verdict: String
                do {
                    try TLSStream.connect(descriptor: clientEnd, host: "127.0.0.1", context: context, deadline: .after(seconds: 10)).close()
                    verdict = "ok"
                } catch TLSFailure.untrustedChain(let presented, _, _) {
                    verdict = "untrusted " + (presented.last?.subjectCommonName ?? "?")
                } catch {
                    verdict = "\(error)"
                }
                verdicts.mutate { $0[index] = verdict }
                group.leave()
            }.start()
        }
        XCTAssertEqual(group.wait(timeout: .now() + 20), .success)
        XCTAssertEqual((0..<servedChains.count).map { verdicts.value[$0] ?? "none" },
                       ["ok", "untrusted someone else's CA", "ok", "untrusted someone else's CA", "ok", "untrusted someone else's CA"])
    }
}
