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
    /// Files the fixture writes (the HTTPS CA, a state file); removed by `stop`.
    let scratch: URL

    private let recorder: LogRecorder
    private let options: SimulatorOptions
    /// The CA the HTTPS port's certificate comes from, when the fixture made it (restartable).
    private let givenCAPEM: String?

    /// Starts HTTP, HTTPS (generated CA), TCP, a serial pseudo-terminal and the ECR Cloud.
    /// The customer takes `customerDelay` seconds; `mode` is `--mode`. A `restartable` simulator
    /// keeps its state in a `--state` file and its HTTPS certificate in files, so `restarted()`
    /// comes back as the same terminal (serial at the same symlink).
    convenience init(customerDelay: Double, mode: AnswerMode = .sync, restartable: Bool = false) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("qfecr-it-\(UUID().uuidString)")
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
        var caPEM: String?
        do {
            if restartable {
                options.stateFile = scratch.appendingPathComponent("state.json").path
                // A USB terminal keeps its device path across a restart: the symlink does that here.
                options.serialLink = scratch.appendingPathComponent("tty").path
                let authority = try CertificateAuthority.generate(commonName: "qfecr restartable simulator CA")
                let leaf = try authority.issue(commonName: "qfecr simulator terminal", ipAddresses: [])
                let certificate = scratch.appendingPathComponent("leaf.pem").path
                let key = scratch.appendingPathComponent("leaf-key.pem").path
                try leaf.write(certificateTo: certificate, privateKeyTo: key)
                options.tlsCertificateFile = certificate
                options.tlsKeyFile = key
                caPEM = authority.certificatePEM
            }
            try self.init(options: options, scratch: scratch, recorder: LogRecorder(), caPEM: caPEM)
        } catch {
            try? FileManager.default.removeItem(at: scratch)
            throw error
        }
    }

    private init(options: SimulatorOptions, scratch: URL, recorder: LogRecorder, caPEM: String?) throws {
        self.scratch = scratch
        self.recorder = recorder
        self.options = options
        givenCAPEM = caPEM
        server = try SimulatorServer.start(options, log: SimulatorLog(quiet: false, stamped: false, sink: { recorder.record($0) }))
    }

    /// The terminal killed and started again on the same ports, certificate and state file (its log
    /// goes on in the same recorder). Serial gets a new pseudo-terminal behind the same symlink.
    /// Only for `restartable` ones.
    func restarted() throws -> SimulatorFixture {
        precondition(options.stateFile != nil, "only a restartable simulator comes back as the same terminal")
        server.stop()
        var again = options
        again.httpPort = endpoints.httpPort.map(Int.init)
        again.httpsPort = endpoints.httpsPort.map(Int.init)
        again.tcpPort = endpoints.tcpPort.map(Int.init)
        again.cloudPort = endpoints.cloudPort.map(Int.init)
        return try SimulatorFixture(options: again, scratch: scratch, recorder: recorder, caPEM: givenCAPEM)
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
            try XCTUnwrap(givenCAPEM ?? endpoints.caCertificatePEM).write(toFile: caFile, atomically: true, encoding: .utf8)
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
