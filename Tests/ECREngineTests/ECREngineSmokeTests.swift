import XCTest
@testable import ECREngine

final class ECREngineSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertTrue(true)
    }
}
