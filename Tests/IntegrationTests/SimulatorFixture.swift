import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import Synchronization
import XCTest

/// A simulator on loopback with every listener on a kernel-chosen port, its log kept for the test,
/// and profiles that point each transport at it the way `qfecr --profile` would.
final class SimulatorFixture: Sendable {
    let server: SimulatorServer
    /// Files the fixture writes (the HTTPS CA); removed by `stop`.
    let scratch: URL

    private let recorder: LogRecorder

    /// Starts HTTP, HTTPS (generated CA), TCP, a serial pseudo-terminal and the ECR Cloud.
    /// The customer takes `customerDelay` seconds; `mode` is `--mode`.
    init(customerDelay: Double, mode: AnswerMode = .sync) throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-it-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var options = SimulatorOptions()
        options.httpPort = 0
        options.httpsPort = 0
        options.tcpPort = 0
        options.cloudPort = 0
        options.serial = true
        options.customerDelay = customerDelay
        options.mode = mode
        options.quiet = false
        let recorder = LogRecorder()
        self.recorder = recorder
        do {
            server = try SimulatorServer.start(options, log: SimulatorLog(quiet: false, stamped: false, sink: { recorder.record($0) }))
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
    }

    /// Ends every listener and removes the scratch files.
    func stop() {
        server.stop()
        try? FileManager.default.removeItem(at: scratch)
    }

    var endpoints: SimulatorServer.Endpoints { server.endpoints }

    /// The simulator's log so far: one line per request answered (or left unanswered) and per thing the customer did.
    var logLines: [String] { recorder.lines }

    /// A profile for the simulator as `qfecr --profile` would load it. `.tcp` uses packets unless changed.
    func profile(_ kind: TransportKind) throws -> TerminalProfile {
        var profile = TerminalProfile()
        profile.transport = kind
        profile.host = endpoints.host
        profile.posKey = Secret(TerminalSettings.defaultPOSKey)
        profile.connectTimeout = 2
        profile.requestTimeout = 5
        profile.paymentTimeout = 10
        switch kind {
        case .http: profile.port = Int(try XCTUnwrap(endpoints.httpPort))
        case .https:
            profile.port = Int(try XCTUnwrap(endpoints.httpsPort))
            let caFile = scratch.appendingPathComponent("sim-ca.pem").path
            try XCTUnwrap(endpoints.caCertificatePEM).write(toFile: caFile, atomically: true, encoding: .utf8)
            profile.caFile = caFile
            profile.pin = .sha256(try CertificateFile.sha256Fingerprint(atPath: caFile).colonHex)
        case .tcp: profile.port = Int(try XCTUnwrap(endpoints.tcpPort))
        case .serial: profile.device = try XCTUnwrap(endpoints.serialPath)
        case .cloud:
            profile.cloudBaseURL = "http://\(endpoints.host):\(try XCTUnwrap(endpoints.cloudPort))"
            profile.cloudAppCode = SimulatorOptions().appCode
            profile.cloudClientKey = Secret(SimulatorOptions().clientKey)
            profile.terminalId = SimulatorOptions().deviceId
            profile.cloudSignType = .sha256
        }
        return profile
    }

    /// The transport `TransportFactory` makes from `profile(kind)` after `change`.
    func transport(_ kind: TransportKind, _ change: (inout TerminalProfile) -> Void = { _ in }) throws -> any Transport {
        var profile = try profile(kind)
        change(&profile)
        return try TransportFactory.make(profile: profile, observer: nil)
    }
}

/// Keeps every line a simulator logs.
private final class LogRecorder: Sendable {
    private let kept = Mutex<[String]>([])

    var lines: [String] { kept.withLock { $0 } }

    func record(_ line: String) {
        kept.withLock { $0.append(line) }
    }
}
