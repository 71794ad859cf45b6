import ECRSimulator
import Foundation
import XCTest
@testable import ConsoleUI

/// The in-process simulator the source tests drive: loopback HTTP only, a customer who takes 0.2 s.
func startLoopbackSimulator() throws -> SimulatorServer {
    var options = SimulatorOptions()
    options.httpPort = 0
    options.tcpPort = nil
    options.customerDelay = 0.2
    return try SimulatorServer.start(options, log: .silent)
}

/// Waits (bounded, 20 s) until `source`'s till satisfies `condition`, as the loop would: woken by
/// the source through `wake`.
func waitForTill(_ source: any TillSource, wake: ConsoleWake, _ what: String, file: StaticString = #filePath, line: UInt = #line,
                 _ condition: (TillState) -> Bool) -> TillState {
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {
        let till = source.currentTill()
        if condition(till) { return till }
        var fd = pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0)
        _ = poll(&fd, 1, 200)
        _ = wake.drain()
    }
    XCTFail("never: \(what)", file: file, line: line)
    return source.currentTill()
}
