import XCTest
@testable import ECRSimulator

final class ECRSimulatorSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertTrue(true)
    }
}
