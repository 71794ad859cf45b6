import XCTest
@testable import ConsoleUI

final class ConsoleUISmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertTrue(true)
    }
}
