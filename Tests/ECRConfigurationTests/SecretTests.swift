import ECRConfiguration
import ECRTransport
import XCTest

final class SecretTests: XCTestCase {
    /// One masked form everywhere: what doctor and the status line show is what a trace shows.
    func testASecretIsShownInTheSameMaskedFormAsOnTheWire() {
        let key = "f46b1f08bec1f39104792cc79ec9aacd"
        let secret = Secret(key)
        XCTAssertEqual(secret.masked, "…aacd")
        XCTAssertEqual("\(secret)", "…aacd")
        XCTAssertEqual(String(reflecting: secret), "Secret(…aacd)")
        XCTAssertEqual(SecretMasker(secrets: [key]).mask("key=\(key)"), "key=\(secret.masked)")
        XCTAssertEqual(Secret("aacd").masked, "…", "a key of 4 characters shows none of them")
    }
}
