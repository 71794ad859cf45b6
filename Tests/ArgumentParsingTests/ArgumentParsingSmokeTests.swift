import XCTest
@testable import ArgumentParsing

final class ArgumentParsingSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertTrue(true)
    }
}
