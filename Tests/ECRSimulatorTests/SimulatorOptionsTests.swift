import XCTest
@testable import ECRSimulator

final class SimulatorOptionsTests: XCTestCase {
    func testDefaultsAreLoopbackAndDocumentedPorts() throws {
        let options = SimulatorOptions()
        XCTAssertEqual(options.host, "127.0.0.1")
        XCTAssertEqual(options.httpPort, 9001)
        XCTAssertEqual(options.tcpPort, 9002)
        XCTAssertEqual(options.customerDelay, 2)
        XCTAssertEqual(options.mode, .sync)
        let settings = try options.terminalSettings()
        XCTAssertNil(settings.scenario)
        XCTAssertFalse(settings.encryptAnswers)
    }

    func testRefusals() {
        func refused(_ change: (inout SimulatorOptions) -> Void, _ fragment: String, line: UInt = #line) {
            var options = SimulatorOptions()
            change(&options)
            XCTAssertThrowsError(try options.validate(), line: line) { error in
                XCTAssertTrue("\(error)".contains(fragment), "\(error)", line: line)
            }
        }
        refused({ $0.posKey = "short" }, "16, 24 or 32")
        refused({ $0.customerDelay = -1 }, "--customer-delay")
        refused({ $0.httpPort = 70000 }, "not a port")
        refused({ $0.tcpPort = 9001 }, "share port 9001")
        refused({ $0.tlsCertificateFile = "/c.pem" }, "--tls-key")
        refused({ $0.notifyURL = "http://127.0.0.1:1/n" }, "--notify-key")
        refused({ $0.writeCAPath = "/tmp/ca.pem" }, "--https-port")
        refused({ $0.httpsPort = 0; $0.writeCAPath = "/tmp/ca.pem"; $0.tlsCertificateFile = "c"; $0.tlsKeyFile = "k" }, "generated CA")
        refused({ $0.notifyURL = "ftp://x"; $0.notifyKey = "k" }, "not an http(s) URL")
        refused({ $0.httpPort = nil; $0.tcpPort = nil }, "every listener is off")
        var anyPorts = SimulatorOptions()
        anyPorts.httpPort = 0
        anyPorts.tcpPort = 0
        anyPorts.cloudPort = 0
        XCTAssertNoThrow(try anyPorts.validate(), "several listeners may all ask for any free port")
    }

    func testScenarioErrorsSurfaceWithFileAndLine() throws {
        let path = NSTemporaryDirectory() + "qfecr-scenario-\(UUID().uuidString).txt"
        try Data("approve\nexplode\n".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var options = SimulatorOptions()
        options.scenarioFile = path
        XCTAssertThrowsError(try options.terminalSettings()) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path):2: unknown outcome 'explode'"), "\(error)")
        }
    }
}
