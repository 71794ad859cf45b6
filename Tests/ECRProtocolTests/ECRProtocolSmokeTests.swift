import XCTest
@testable import ECRProtocol

final class ECRProtocolSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertTrue(true)
    }
}
