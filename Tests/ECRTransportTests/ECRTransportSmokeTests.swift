import XCTest
@testable import ECRTransport

final class ECRTransportSmokeTests: XCTestCase {
    func testModuleLinks() {
        XCTAssertTrue(true)
    }
}
