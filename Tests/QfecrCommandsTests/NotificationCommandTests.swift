import ECRSimulator
import ECRTransport
import Foundation
import XCTest
@testable import QfecrCommands

/// `qfecr pay --notify-listen`: the simulator's cloud posts a signed notification, and the payment
/// resolves from it instead of waiting for the next poll.
final class NotificationCommandTests: XCTestCase {
    private var scratch: URL!
    private let notifyKey = "notify-key-for-the-command-tests"

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-notifycmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let scratch { try? FileManager.default.removeItem(at: scratch) }
    }

    private func freePort() throws -> UInt16 {
        let listener = try TCPListener(host: "127.0.0.1", port: 0)
        defer { listener.close() }
        return listener.port
    }

    private func environment() -> [String: String] {
        ["HOME": scratch.path, "XDG_CONFIG_HOME": scratch.appendingPathComponent("config").path,
         "XDG_DATA_HOME": scratch.appendingPathComponent("data").path,
         "QFECR_CLIENT_KEY": SimulatorOptions().clientKey, "QFECR_NOTIFY_KEY": notifyKey]
    }

    private func cloudConfig(cloudPort: UInt16, extra: [String] = []) throws -> String {
        let options = SimulatorOptions()
        let lines = ["transport = cloud", "cloud_base_url = http://127.0.0.1:\(cloudPort)", "cloud_app_code = \(options.appCode)",
                     "terminal_id = \(options.deviceId)", "connect_timeout = 2", "request_timeout = 5",
                     // A poll a minute: the payment can only settle this fast through the notification.
                     "poll_interval = 60"] + extra
        let path = scratch.appendingPathComponent("config").path
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    func testPayResolvesFromTheSimulatorsNotification() throws {
        let listenPort = try freePort()
        var options = SimulatorOptions()
        options.httpPort = nil
        options.tcpPort = nil
        options.cloudPort = 0
        options.customerDelay = 0.2
        options.notifyURL = "http://127.0.0.1:\(listenPort)/notify"
        options.notifyKey = notifyKey
        let server = try SimulatorServer.start(options, log: .silent)
        defer { server.stop() }
        let config = try cloudConfig(cloudPort: try XCTUnwrap(server.endpoints.cloudPort), extra: ["till_id = T01"])

        let started = Date()
        let run = CommandRun(["pay", "12.30", "--channel", "alipay", "--json", "--config", config,
                              "--notify-listen", "127.0.0.1:\(listenPort)"], environment: environment())
        XCTAssertEqual(run.exitCode, 0, run.stdout + run.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 30, "settled by the notification, not by a poll a minute later")
        XCTAssertTrue(run.stdout.contains("\"state\":\"approved\""), run.stdout)
        XCTAssertTrue(run.stderr.contains("notification for T01-"), run.stderr)
        XCTAssertFalse(run.stdout.contains(notifyKey) || run.stderr.contains(notifyKey))
    }

    func testAListenAddressWithoutAKeyIsAConfigurationError() throws {
        var environment = environment()
        environment["QFECR_NOTIFY_KEY"] = nil
        let config = try cloudConfig(cloudPort: 9, extra: ["notify_listen = 127.0.0.1:\(try freePort())"])
        let run = CommandRun(["pay", "1.00", "--channel", "alipay", "--config", config], environment: environment)
        XCTAssertEqual(run.exitCode, 4, run.stdout + run.stderr)
        XCTAssertTrue(run.stderr.contains("notify_key") && run.stderr.contains("QFECR_NOTIFY_KEY"), run.stderr)
        XCTAssertTrue(run.stdout.isEmpty, "nothing was sent")
    }
}
