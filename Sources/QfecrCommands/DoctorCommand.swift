import ArgumentParsing
import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRTransport
import Foundation

/// `qfecr doctor`: the commissioning checks a technician runs on site, in order, each only when it
/// applies to the configured transport — configuration, keys, notifications, reachability, TLS,
/// an authenticated harmless request (an inquiry of an order that does not exist), the serial line,
/// the cloud, the journal. Exit 0 when no check fails, else 4.
///
/// Doctor never sends a payment, refund or print, never takes the engine lock (it may run while
/// `qfecr pay` waits) and only reads the journal.
enum DoctorCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let report = DoctorReport(io: io)
        var doctor = Doctor(parsed: parsed, io: io, report: report)
        doctor.run()
        report.printSummary()
        return report.failed ? .connectionOrConfiguration : .ok
    }
}

/// One doctor run: what the earlier checks found decides which later ones can run.
struct Doctor {
    let parsed: ParsedArguments
    let io: CommandIO
    let report: DoctorReport
    let loader: ProfileLoader

    init(parsed: ParsedArguments, io: CommandIO, report: DoctorReport) {
        self.parsed = parsed
        self.io = io
        self.report = report
        loader = ProfileLoader(environment: io.environment)
    }

    static let posKeyLengths = [16, 24, 32]
    static let posKeyWhere = "Merchant Portal → Settings → Devices Settings → POS Key Mgmt"

    mutating func run() {
        guard let profile = configuration() else {
            report.add(DoctorCheck(.skip, "other checks", "they need a configuration that can be read"))
            return
        }
        settings(profile)
        let keyUsable = keys(profile)
        notifications(profile)
        switch profile.transport {
        case .http, .tcp:
            if reachability(profile) { inquiry(profile, keyUsable: keyUsable) } else { skipInquiry("the terminal cannot be reached") }
        case .https:
            if reachability(profile) {
                if tls(profile) { inquiry(profile, keyUsable: keyUsable) } else { skipInquiry("the TLS handshake failed: nothing would be sent") }
            } else {
                report.add(DoctorCheck(.skip, "TLS", "the terminal cannot be reached"))
                skipInquiry("the terminal cannot be reached")
            }
        case .serial:
            if serialLine(profile) { inquiry(profile, keyUsable: keyUsable) } else { skipInquiry("the serial line cannot be used") }
        case .cloud:
            if reachability(profile) { cloudQuery(profile, keysUsable: keyUsable) } else { skipInquiry("the cloud cannot be reached") }
        }
        journal(profile)
    }

    func skipInquiry(_ reason: String) {
        report.add(DoctorCheck(.skip, "inquiry", reason))
    }

    // MARK: Configuration

    /// A `--key` of the wrong length is reported by the key check, not as an unreadable configuration.
    private var flagKeyProblem: Int? {
        guard let key = parsed.option("key"), !key.isEmpty, !Self.posKeyLengths.contains(key.utf8.count) else { return nil }
        return key.utf8.count
    }

    /// The file, the profile, the loader's warnings. Nil when the configuration cannot be read.
    func configuration() -> TerminalProfile? {
        var overrides = TerminalSession.overrides(parsed)
        if flagKeyProblem != nil { overrides.values["pos_key"] = nil }
        let loaded: ProfileLoader.Loaded
        do {
            loaded = try loader.load(configPath: parsed.option("config"), profileName: parsed.option("profile"), overrides: overrides)
        } catch {
            report.add(DoctorCheck(.fail, "configuration", error.description,
                                   hint: "fix what is named above (flags as in `qfecr doctor --help`); `qfecr config init --config NEW` writes a commented example to compare with"))
            return nil
        }
        let profileText = loaded.profile.name.map { "profile \($0)" } ?? "default settings"
        if let path = loaded.configPath {
            report.add(DoctorCheck(.ok, "configuration", "\(path), \(profileText)"))
        } else {
            let path = parsed.option("config") ?? loader.defaultConfigPath
            report.add(DoctorCheck(.warn, "configuration", "no file at \(path): defaults, the environment and flags only",
                                   hint: "run `qfecr config init`, then set transport, host and the keys in it, so the console and every command use the same settings"))
        }
        var warnings = loaded.warnings
        if !warnings.isEmpty, let path = loaded.configPath, let permission = ConfigFilePermissions.warning(forFileAt: path) {
            warnings.removeAll { $0 == permission.description }
            let mode = String(permission.mode, radix: 8)
            report.add(DoctorCheck(.warn, "permissions", "\(path) holds a secret but other users can access it (mode \(mode))",
                                   hint: "run: \(permission.fixCommand)"))
        }
        for warning in warnings {
            report.add(DoctorCheck(.warn, "configuration", warning, hint: "follow the advice in the warning"))
        }
        return loaded.profile
    }

    /// The settings in effect, never a secret.
    func settings(_ p: TerminalProfile) {
        var facts = [p.endpointDescription, "till \(p.tillId) (\(p.tillIdOrigin))", "encryption \(p.encryption ? "on" : "off")", "terminal \(p.model.rawValue)"]
        if p.transport == .cloud { facts.removeAll { $0.hasPrefix("encryption") } }
        var info = ["timeouts: connect \(DoctorFormat.seconds(p.connectTimeout)), request \(DoctorFormat.seconds(p.requestTimeout)), "
            + "poll \(DoctorFormat.seconds(p.pollInterval)), grace \(DoctorFormat.seconds(p.grace)), payment_timeout \(p.paymentTimeout) s"]
        switch p.transport {
        case .https:
            info.append("trust: \(p.caFile.map { "CA file \($0)" } ?? "the system store"); pin \(pinDescription(p)); hostname check \(p.verifyHostname ? "on" : "off")")
        case .tcp:
            info.append("framing: \(p.tcpFraming.rawValue)")
        case .cloud:
            var cloud = ["app code \(p.cloudAppCode ?? "(none)")", "terminal_id \(p.terminalId ?? "(none)")", "signature \(p.cloudSignType.rawValue)"]
            if let merchant = p.merchantId { cloud.append("merchant_id \(merchant)") }
            info.append("cloud: " + cloud.joined(separator: ", "))
        case .http, .serial:
            break
        }
        if let listen = p.notifyListen { info.append("notifications: listen on \(listen)") }
        info.append("journal: \(journalDirectory(p))")
        report.add(DoctorCheck(.ok, "settings", facts.joined(separator: ", "), info: info))
    }

    func pinDescription(_ p: TerminalProfile) -> String {
        switch p.pin {
        case .qfecrRoot: return "QFPay's QFECR root"
        case .none: return "none (turned off)"
        case .sha256(let text): return TLSPin(argument: text).map(\.description) ?? text
        }
    }

    func journalDirectory(_ p: TerminalProfile) -> String {
        p.journalDirectory ?? "(unknown: set journal_dir, or HOME)"
    }

    // MARK: Keys

    /// POS-KEY (LAN transports) or the cloud's app code, client key and terminal id. True when the
    /// authenticated request can be made.
    func keys(_ p: TerminalProfile) -> Bool {
        p.transport == .cloud ? cloudKeys(p) : posKey(p)
    }

    private func posKey(_ p: TerminalProfile) -> Bool {
        let where_ = "find it in the \(Self.posKeyWhere), and set QFECR_KEY (or pos_key in the configuration file, mode 0600)"
        if let length = flagKeyProblem {
            report.add(DoctorCheck(.fail, "POS-KEY", "--key is \(length) characters; a POS-KEY has 16, 24 or 32 (a terminal's has 32)",
                                   hint: where_))
            return false
        }
        if let env = io.environment["QFECR_KEY"], !env.isEmpty, !Self.posKeyLengths.contains(env.utf8.count) {
            report.add(DoctorCheck(.fail, "POS-KEY", "QFECR_KEY is \(env.utf8.count) characters; a POS-KEY has 16, 24 or 32 (a terminal's has 32)",
                                   hint: where_))
            return false
        }
        guard let key = p.posKey else {
            report.add(DoctorCheck(.fail, "POS-KEY", "no POS-KEY", hint: where_))
            return false
        }
        let source: String
        if let flag = parsed.option("key"), !flag.isEmpty {
            source = "--key"
        } else if let env = io.environment["QFECR_KEY"], !env.isEmpty {
            source = "QFECR_KEY"
        } else {
            source = "pos_key in the configuration file"
        }
        let length = key.revealed.utf8.count
        let cipher = p.encryption ? " (AES-\(length * 8))" : ""
        report.add(DoctorCheck(.ok, "POS-KEY", "\(key.masked), \(length) characters\(cipher), from \(source)"))
        return true
    }

    private func cloudKeys(_ p: TerminalProfile) -> Bool {
        var usable = true
        if let key = p.cloudClientKey, !key.revealed.isEmpty {
            let source = (io.environment["QFECR_CLIENT_KEY"] ?? "").isEmpty ? "cloud_client_key in the configuration file" : "QFECR_CLIENT_KEY"
            report.add(DoctorCheck(.ok, "client key", "\(key.masked), from \(source)"))
        } else {
            report.add(DoctorCheck(.fail, "client key", "no ECR Cloud client key",
                                   hint: "set QFECR_CLIENT_KEY (or cloud_client_key in the configuration file, mode 0600) to the client key QFPay issued with the app code"))
            usable = false
        }
        if (p.cloudAppCode ?? "").isEmpty {
            report.add(DoctorCheck(.fail, "app code", "no cloud_app_code",
                                   hint: "set cloud_app_code to the app code QFPay issued to the merchant (sent as X-QF-APPCODE)"))
            usable = false
        }
        if (p.terminalId ?? "").isEmpty {
            report.add(DoctorCheck(.fail, "terminal_id", "no terminal_id",
                                   hint: "set terminal_id to the terminal's Device ID (Haojin app: My → Settings → Device ID)"))
            usable = false
        }
        return usable
    }

    // MARK: Notifications

    /// Only when `notify_listen` is set: a key to verify with, and an address this machine can listen on.
    func notifications(_ p: TerminalProfile) {
        guard let listen = p.notifyListen else {
            if p.transport == .cloud {
                report.add(DoctorCheck(.skip, "notifications", "notify_listen not set: Cloud results come by polling only"))
            }
            return
        }
        guard let key = p.notifyKey, !key.revealed.isEmpty else {
            report.add(DoctorCheck(.fail, "notifications", "notify_listen is \(listen) but there is no notification key",
                                   hint: "set QFECR_NOTIFY_KEY (or notify_key in the configuration file, mode 0600) to the notification key QFPay issued"))
            return
        }
        do {
            let (host, port) = try NotificationReceiver.parseListenAddress(listen)
            let listener = try TCPListener(host: host, port: port)
            let bound = listener.localAddress.description
            listener.close()
            report.add(DoctorCheck(.ok, "notifications", "can listen on \(bound), key \(key.masked); QFPay must be able to reach it"))
        } catch let failure as IOFailure where failure.kind == .addressInUse {
            report.add(DoctorCheck(.warn, "notifications", "\(listen) is in use",
                                   hint: "a running `qfecr pay` or the console may be listening there (then all is well); otherwise stop the program that holds it, or pick another port"))
        } catch {
            report.add(DoctorCheck(.fail, "notifications", "cannot listen on \(listen): \(error)",
                                   hint: "set notify_listen to ADDRESS:PORT of this machine, e.g. 0.0.0.0:8080"))
        }
    }
}
