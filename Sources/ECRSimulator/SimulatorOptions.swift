import Foundation

/// Everything `qfecr simulate` (and `qfecr demo`, and tests) can set. A port of 0 means "any free
/// port" (the bound one is reported by `SimulatorServer.endpoints`); nil leaves that listener off.
public struct SimulatorOptions: Sendable {
    /// Address every listener binds to. Loopback by default: a simulator is not for the shop network.
    public var host = "127.0.0.1"
    public var httpPort: Int? = 9001
    public var httpsPort: Int?
    public var tcpPort: Int? = 9002
    /// Open a pseudo-terminal as the terminal's USB serial line.
    public var serial = false
    /// A stable name for the pseudo-terminal, e.g. `/tmp/qfecr-tty`.
    public var serialLink: String?
    /// The ECR Cloud port; nil: no cloud.
    public var cloudPort: Int?
    public var appCode = "SIMAPPCODE"
    public var clientKey = "SIMCLIENTKEY"
    public var notifyURL: String?
    public var notifyKey: String?
    public var posKey = TerminalSettings.defaultPOSKey
    /// No line per request (errors and the start banner still go out).
    public var quiet = false
    public var mode: AnswerMode = .sync
    /// Seconds the virtual customer takes.
    public var customerDelay: TimeInterval = 2
    public var scenarioFile: String?
    public var stateFile: String?
    public var receiptsDirectory: String?
    /// PEM files for HTTPS; without them a CA and leaf are generated at start.
    public var tlsCertificateFile: String?
    public var tlsKeyFile: String?
    /// Where to write the CA certificate (PEM) so clients can trust it.
    public var writeCAPath: String?
    /// Encrypt answers (real terminals answer in plain JSON).
    public var encryptedAnswers = false
    /// Device id for the cloud's `termid` and the answers' `udid`.
    public var deviceId = "SIM0000000001"
    /// Without a state file, start syssn numbers from the clock (`qfecr simulate`), so a restarted
    /// simulator never repeats one; tests keep the plain 1, 2, 3… sequence.
    public var syssnFromClock = false

    public init() {}

    /// The terminal set up as these options say; reads the scenario file.
    public func terminalSettings() throws(SimulatorOptionsError) -> TerminalSettings {
        try validate()
        var scenario: Scenario?
        if let file = scenarioFile {
            do { scenario = try Scenario.load(path: file) } catch { throw .scenario(error) }
        }
        return TerminalSettings(posKey: posKey, mode: mode, customerDelay: customerDelay, encryptAnswers: encryptedAnswers,
                                scenario: scenario, deviceId: deviceId)
    }

    public var cloudSettings: CloudSettings {
        CloudSettings(appCode: appCode, clientKey: clientKey, notifyURL: notifyURL, notifyKey: notifyKey)
    }

    /// Refuses settings that cannot work, before anything is opened.
    public func validate() throws(SimulatorOptionsError) {
        guard [16, 24, 32].contains(posKey.utf8.count) else { throw .invalid("the POS-KEY must be 16, 24 or 32 characters, not \(posKey.utf8.count)") }
        guard customerDelay >= 0, customerDelay.isFinite else { throw .invalid("--customer-delay must be 0 or more seconds") }
        for (name, port) in [("--http-port", httpPort), ("--https-port", httpsPort), ("--tcp-port", tcpPort), ("--cloud-port", cloudPort)] {
            if let port, !(0...65535).contains(port) { throw .invalid("\(name) \(port) is not a port number (0–65535)") }
        }
        let fixed = [httpPort, httpsPort, tcpPort, cloudPort].compactMap { $0 }.filter { $0 != 0 }
        guard Set(fixed).count == fixed.count else { throw .invalid("two listeners share port \(fixed.first { p in fixed.filter { $0 == p }.count > 1 }!)") }
        guard (tlsCertificateFile == nil) == (tlsKeyFile == nil) else { throw .invalid("give both --tls-cert and --tls-key, or neither") }
        if writeCAPath != nil {
            guard httpsPort != nil else { throw .invalid("--write-ca needs the HTTPS port (--https-port)") }
            guard tlsCertificateFile == nil else { throw .invalid("--write-ca writes a generated CA: leave out --tls-cert and --tls-key") }
        }
        if cloudPort != nil {
            guard !appCode.isEmpty, !clientKey.isEmpty else { throw .invalid("the cloud needs an app code and a client key") }
        }
        guard (notifyURL == nil) == (notifyKey == nil) else { throw .invalid("give both --notify-url and --notify-key, or neither") }
        if let url = notifyURL {
            guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
                throw .invalid("--notify-url \(url) is not an http(s) URL")
            }
        }
        guard httpPort != nil || httpsPort != nil || tcpPort != nil || serial || cloudPort != nil else {
            throw .invalid("every listener is off: give at least one port, or --serial")
        }
    }
}

public enum SimulatorOptionsError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)
    case scenario(ScenarioError)

    public var description: String {
        switch self {
        case .invalid(let reason): return reason
        case .scenario(let error): return error.description
        }
    }
}
