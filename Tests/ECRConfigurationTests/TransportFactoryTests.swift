import ECRProtocol
import ECRTransport
import Foundation
import XCTest
@testable import ECRConfiguration

final class TransportFactoryTests: XCTestCase {
    private let key = "f46b1f08bec1f39104792cc79ec9aacd"

    private func profile(_ kind: TransportKind, _ change: (inout TerminalProfile) -> Void = { _ in }) -> TerminalProfile {
        var profile = TerminalProfile()
        profile.transport = kind
        profile.host = "192.168.1.50"
        profile.device = "/dev/ttyUSB0"
        profile.posKey = Secret(key)
        profile.cloudAppCode = "APPCODE"
        profile.cloudClientKey = Secret("CLIENTKEY0123456789")
        profile.terminalId = "DEVICE01"
        change(&profile)
        return profile
    }

    private func error(_ profile: TerminalProfile, file: StaticString = #filePath, line: UInt = #line) -> TransportConfigurationError? {
        do {
            let transport = try TransportFactory.make(profile: profile, observer: nil)
            XCTFail("expected a configuration error, got \(transport.endpointDescription)", file: file, line: line)
            return nil
        } catch {
            XCTAssertFalse(error.description.contains(key), "a secret in an error message", file: file, line: line)
            XCTAssertFalse(error.description.contains("CLIENTKEY0123456789"), "a secret in an error message", file: file, line: line)
            return error
        }
    }

    func testEachKindMakesItsTransport() throws {
        let expected: [(TransportKind, String)] = [
            (.http, "HTTP 192.168.1.50:9001"), (.https, "HTTPS 192.168.1.50:9001"), (.tcp, "TCP 192.168.1.50:9002"),
            (.serial, "serial /dev/ttyUSB0 9600"), (.cloud, "cloud https://openapi-hk.qfapi.com"),
        ]
        for (kind, description) in expected {
            let transport = try TransportFactory.make(profile: profile(kind) { $0.pin = .none }, observer: nil)
            XCTAssertEqual(transport.endpointDescription, description)
        }
        let raw = try TransportFactory.make(profile: profile(.tcp) { $0.tcpFraming = .raw; $0.port = 7000 }, observer: nil)
        XCTAssertEqual(raw.endpointDescription, "TCP 192.168.1.50:7000 (raw)")
    }

    func testMissingHostSaysWhereToSetIt() {
        for kind in [TransportKind.http, .https, .tcp] {
            XCTAssertEqual(error(profile(kind) { $0.host = nil }), .missingHost(kind))
        }
        XCTAssertTrue(error(profile(.http) { $0.host = " " })?.description.contains("set host in the configuration or pass --host") ?? false)
    }

    func testMissingDeviceAndBadBaud() {
        XCTAssertEqual(error(profile(.serial) { $0.device = nil }), .missingDevice)
        XCTAssertEqual(error(profile(.serial) { $0.baud = 1234 }), .unsupportedBaud(1234))
    }

    func testMissingOrUnusablePOSKey() {
        XCTAssertEqual(error(profile(.tcp) { $0.posKey = nil }), .missingPOSKey)
        XCTAssertTrue(error(profile(.http) { $0.posKey = nil })?.description.contains("set QFECR_KEY") ?? false)
        XCTAssertEqual(error(profile(.serial) { $0.posKey = Secret("short-key") }), .unusablePOSKey(characters: 9))
        XCTAssertNoThrow(try TransportFactory.make(profile: profile(.http) { $0.posKey = Secret("short-key"); $0.encryption = false },
                                                   observer: nil), "without encryption the key only feeds the digest")
    }

    func testCloudNeedsAppCodeClientKeyAndTerminalId() {
        XCTAssertEqual(error(profile(.cloud) { $0.cloudAppCode = nil }), .missingCloudSetting(.appCode))
        XCTAssertEqual(error(profile(.cloud) { $0.cloudClientKey = nil }), .missingCloudSetting(.clientKey))
        XCTAssertEqual(error(profile(.cloud) { $0.terminalId = "" }), .missingCloudSetting(.terminalId))
        XCTAssertTrue(error(profile(.cloud) { $0.cloudBaseURL = "http://openapi-hk.qfapi.com" })?.description.contains("https") ?? false)
        XCTAssertNoThrow(try TransportFactory.make(profile: profile(.cloud) { $0.posKey = nil }, observer: nil), "the cloud needs no POS-KEY")
    }

    func testUnreadableCAFileAndBadPinAreConfigurationErrors() {
        let unreadable = error(profile(.https) { $0.caFile = "/nonexistent/ca3.crt" })
        XCTAssertTrue(unreadable?.description.contains("/nonexistent/ca3.crt") ?? false, unreadable?.description ?? "")
        XCTAssertEqual(error(profile(.https) { $0.pin = .sha256("12:34") }), .invalidPin("12:34"))
    }

    func testMaskerCoversEverySecretOfTheProfile() {
        var profile = profile(.http)
        profile.notifyKey = Secret("NOTIFYKEY987654")
        let masker = TransportFactory.masker(for: profile)
        XCTAssertEqual(masker.mask("\(key) CLIENTKEY0123456789 NOTIFYKEY987654"), "…aacd …6789 …7654")
    }
}
