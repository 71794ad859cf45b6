import Foundation
import XCTest
@testable import ConsoleUI

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
