import XCTest
@testable import QfecrCommands

final class QfecrCommandsSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertTrue(true)
    }
}
