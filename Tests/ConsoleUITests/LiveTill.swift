import ECRConfiguration
import Foundation
import XCTest
import ECRProtocol
import ECREngine
import ECRSimulator
@testable import ConsoleUI

/// A real till host on the in-process simulator (loopback HTTP) with the console's source on it,
/// and a wait that wakes as the loop does.
final class LiveTill {
    let server: SimulatorServer
    let directory: String
    let host: TillHost
    let source: EngineTillSource
    let wake: ConsoleWake

    /// `prepare` runs once the simulator listens and before the till opens its journal: it gets the
    /// HTTP port, the POS-KEY and the journal's directory.
    init(prepare: (UInt16, String, String) async throws -> Void = { _, _, _ in }) async throws {
        let options = SimulatorOptions()
        server = try startLoopbackSimulator()
        let port = try XCTUnwrap(server.endpoints.httpPort)
        directory = NSTemporaryDirectory() + "qfecr-console-source-" + UUID().uuidString
        try await prepare(port, options.posKey, directory)
        var profile = TerminalProfile()
        profile.host = "127.0.0.1"
        profile.port = Int(port)
        profile.posKey = Secret(options.posKey)
        profile.tillId = "T09"
        profile.pollInterval = 0.2
        profile.grace = 2
        profile.paymentTimeout = 10
        profile.journalDirectory = directory
        host = try TillHost(profile: profile)
        source = await EngineTillSource.start(engine: host.engine!, facts: TillFacts(host: host))
        wake = try ConsoleWake()
        source.attach(wake)
    }

    func stop() {
        source.stop()
        let host = self.host
        let stopped = DispatchSemaphore(value: 0)
        Task { await host.stop(); stopped.signal() }
        stopped.wait()
        server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Waits (bounded) until the till satisfies `condition`, woken by the source as the loop is.
    func until(_ what: String, file: StaticString = #filePath, line: UInt = #line, _ condition: (TillState) -> Bool) -> TillState {
        waitForTill(source, wake: wake, what, file: file, line: line, condition)
    }
}
