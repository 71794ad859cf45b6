import ECRProtocol
import ECRTransport
import Foundation

/// Builds a `TerminalProfile` from the configuration file, the environment and flags.
/// A wrong value is an error naming the file, the line and the setting.
public struct ProfileLoader: Sendable {
    public struct Overrides: Sendable {
        public var values: [String: String] = [:]
        public init(_ values: [String: String] = [:]) { self.values = values }
    }

    public let environment: [String: String]
    /// Where the default till id comes from (tests give their own).
    public let machine: @Sendable () -> MachineIdentity?

    public init(environment: [String: String], machine: @escaping @Sendable () -> MachineIdentity? = MachineIdentity.system) {
        self.environment = environment
        self.machine = machine
    }

    /// Every key the configuration file understands.
    public static let knownKeys: [String] = [
        "transport", "host", "port", "device", "baud", "tcp_framing", "ca_file", "pin", "verify_hostname",
        "encryption", "terminal_model", "till_id", "pos_key", "cloud_app_code", "cloud_client_key", "cloud_base_url",
        "cloud_sign_type", "terminal_id", "merchant_id", "notify_key", "notify_listen", "connect_timeout",
        "request_timeout", "poll_interval", "grace", "payment_timeout", "max_amount", "language", "theme", "log_size",
        "journal_dir", "currency",
    ]

    public static let secretKeys: Set<String> = ["pos_key", "cloud_client_key", "notify_key"]

    /// The environment variables that carry the secrets, and the keys they set (they win over the file).
    public static let secretVariables = [("QFECR_KEY", "pos_key"), ("QFECR_CLIENT_KEY", "cloud_client_key"),
                                         ("QFECR_NOTIFY_KEY", "notify_key")]

    /// `$XDG_CONFIG_HOME/qfecr/config`, or `~/.config/qfecr/config`.
    public var defaultConfigPath: String {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        return base + "/qfecr/config"
    }

    /// Where the journal lives unless `journal_dir` says otherwise: nil when neither XDG_DATA_HOME nor
    /// HOME is an absolute path.
    public var defaultDataDirectory: String? { Self.dataDirectory(environment: environment) }

    /// `$XDG_DATA_HOME/qfecr` when XDG_DATA_HOME is absolute, else `$HOME/.local/share/qfecr` when HOME
    /// is absolute; nil when neither (then `journal_dir` must be set). The one rule for the data directory.
    public static func dataDirectory(environment: [String: String]) -> String? {
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/qfecr" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/share/qfecr" }
        return nil
    }

    public struct Loaded: Sendable {
        public let profile: TerminalProfile
        /// Warnings to show (a readable file holding a secret), each with the fix.
        public let warnings: [String]
        /// The file read, if any.
        public let configPath: String?
        /// What the file held, for working out which of its profiles reaches a given terminal.
        public let document: ConfigDocument?
    }

    /// Loads `configPath` (or the default file, which may be absent), picks `profileName`, applies the
    /// environment's secrets and the command line's overrides (keys as in the file).
    public func load(configPath: String?, profileName: String?, overrides: Overrides) throws(ProfileError) -> Loaded {
        let path = configPath ?? defaultConfigPath
        var document: ConfigDocument?
        do {
            document = try ConfigDocument.load(path: path)
        } catch {
            if case .notFound = error.problem, configPath == nil {
                document = nil
            } else {
                throw .file(error)
            }
        }
        if document == nil, let profileName { throw .missingProfile(profileName, path: path) }
        return try resolve(document: document, profileName: profileName, overrides: overrides)
    }

    /// The profile a document (already read; nil for no file) gives with these flags.
    public func resolve(document: ConfigDocument?, profileName: String?, overrides: Overrides) throws(ProfileError) -> Loaded {
        var warnings: [String] = []
        var entries: [String: ConfigEntry] = [:]
        if let document {
            if let first = document.unknownSettings(knownKeys: Self.knownKeys).first { throw .file(first) }
            do { entries = try document.settings(forProfile: profileName) } catch { throw .file(error) }
            if entries.keys.contains(where: Self.secretKeys.contains), let warning = ConfigFilePermissions.warning(forFileAt: document.path) {
                warnings.append(warning.description)
            }
        }
        var profile = TerminalProfile()
        profile.name = profileName
        profile.journalDirectory = defaultDataDirectory
        if profile.journalDirectory != nil {
            profile.origins["journal_dir"] = .derived(from: environment["XDG_DATA_HOME"]?.hasPrefix("/") == true ? "XDG_DATA_HOME" : "HOME")
        }
        let home = environment["HOME"]
        for key in Self.knownKeys {
            guard let entry = entries[key] else { continue }
            do { try Self.apply(key: key, value: entry.value, to: &profile, home: home) } catch {
                throw .file(.invalidValue(entry, reason: error.reason))
            }
            profile.origins[key] = .file(path: entry.path, line: entry.line)
        }
        if let entry = entries["till_id"] { profile.tillIdOrigin = .configuration(entry.location) }
        for (variable, key) in Self.secretVariables {
            guard let value = environment[variable], !value.isEmpty else { continue }
            if (try? Self.apply(key: key, value: value, to: &profile)) != nil { profile.origins[key] = .environment(variable) }
        }
        for key in overrides.values.keys.sorted() {
            let value = overrides.values[key]!
            do { try Self.apply(key: key, value: value, to: &profile, home: home) } catch {
                throw .flag(key: key, reason: error.reason)
            }
            profile.origins[key] = .commandLine(ProfileError.flagName(forKey: key))
        }
        if overrides.values["till_id"] != nil { profile.tillIdOrigin = .commandLine }
        if profile.tillIdOrigin == .builtIn, let identity = machine() {
            profile.tillId = identity.tillID
            profile.tillIdOrigin = .derived(source: identity.source)
            profile.origins["till_id"] = .derived(from: identity.source)
        }
        return Loaded(profile: profile, warnings: warnings, configPath: document?.path, document: document)
    }

    /// The sections of `document` that reach `terminal` as they stand (no flags), in file order:
    /// nil stands for the defaults (no --profile), a name for `--profile NAME`.
    public func sections(of document: ConfigDocument, reaching terminal: TerminalIdentity) -> [String?] {
        ([nil] + document.profileNames.map { Optional($0) }).filter { name in
            guard let loaded = try? resolve(document: document, profileName: name, overrides: Overrides()) else { return false }
            return TerminalIdentity(profile: loaded.profile) == terminal
        }
    }

    /// A `journal_dir` value as a directory: `~` and `~/…` are HOME's; anything else must be absolute,
    /// because a relative one would give every working directory a journal (and a lock) of its own.
    static func absoluteDirectory(_ value: String, home: String?) throws(InvalidValue) -> String {
        var path = value
        if path == "~" || path.hasPrefix("~/") {
            guard let home, home.hasPrefix("/") else {
                throw InvalidValue(reason: "starts with ~ but HOME is not set to an absolute path: write the full path, e.g. /var/lib/qfecr")
            }
            path = home + path.dropFirst()
        } else if path.hasPrefix("~") {
            throw InvalidValue(reason: "~user is not understood: write the full path, e.g. /home/till/qfecr")
        }
        guard path.hasPrefix("/") else {
            throw InvalidValue(reason: "must be an absolute path (starting with / or ~/), e.g. /var/lib/qfecr: a relative one would "
                + "depend on the directory qfecr is started from, giving each its own journal")
        }
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    struct InvalidValue: Error { let reason: String }

    /// `home` expands a `~` in `journal_dir`.
    static func apply(key: String, value raw: String, to p: inout TerminalProfile, home: String? = nil) throws(InvalidValue) {
        let value = raw.trimmingCharacters(in: .whitespaces)
        func oneOf<T: RawRepresentable & CaseIterable>(_ type: T.Type) throws(InvalidValue) -> T where T.RawValue == String {
            if let v = T(rawValue: value.lowercased()) { return v }
            throw InvalidValue(reason: "must be one of " + T.allCases.map(\.rawValue).joined(separator: ", "))
        }
        func bool() throws(InvalidValue) -> Bool {
            switch value.lowercased() {
            case "yes", "on", "true", "1": return true
            case "no", "off", "false", "0": return false
            default: throw InvalidValue(reason: "must be yes or no")
            }
        }
        func seconds(max: Double = 86_400) throws(InvalidValue) -> Double {
            guard let v = Double(value), v > 0, v <= max else { throw InvalidValue(reason: "must be a number of seconds above 0 (at most \(Int(max)))") }
            return v
        }
        func nonEmpty() throws(InvalidValue) -> String {
            guard !value.isEmpty else { throw InvalidValue(reason: "is empty") }
            return value
        }
        switch key {
        case "transport": p.transport = try oneOf(TransportKind.self)
        case "host":
            let host = try nonEmpty()
            guard !host.contains("/"), !host.contains(" ") else { throw InvalidValue(reason: "must be an address or name, e.g. 192.168.1.50 (no scheme, no port)") }
            p.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        case "port":
            guard let v = Int(value), (1...65535).contains(v) else { throw InvalidValue(reason: "must be a port number from 1 to 65535") }
            p.port = v
        case "device": p.device = try nonEmpty()
        case "baud":
            guard let v = Int(value), [9600, 19200, 38400, 57600, 115200].contains(v) else {
                throw InvalidValue(reason: "must be 9600, 19200, 38400, 57600 or 115200 (QFPay terminals use 9600)")
            }
            p.baud = v
        case "tcp_framing": p.tcpFraming = try oneOf(TCPFraming.self)
        case "ca_file": p.caFile = try nonEmpty()
        case "pin":
            switch value.lowercased() {
            case "qfecr", "qfecr-root", "default", "": p.pin = .qfecrRoot
            case "none": p.pin = .none
            default:
                // root:FP, leaf:FP, any:FP, or a bare fingerprint (the root), as the TLS layer reads it.
                guard TLSPin(argument: value) != nil else {
                    throw InvalidValue(reason: "must be a SHA-256 fingerprint (64 hex digits, colons allowed; root:, leaf: or any: in front), qfecr, or none")
                }
                p.pin = .sha256(value)
            }
        case "verify_hostname": p.verifyHostname = try bool()
        case "encryption": p.encryption = try bool()
        case "terminal_model": p.model = try oneOf(TerminalModel.self)
        case "till_id":
            guard (1...8).contains(value.count), value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw InvalidValue(reason: "must be 1 to 8 letters or digits, e.g. T01")
            }
            p.tillId = value
        case "pos_key":
            guard [16, 24, 32].contains(value.utf8.count) else {
                throw InvalidValue(reason: "must be 16, 24 or 32 characters (the POS-KEY from the merchant portal); this one is \(value.utf8.count)")
            }
            p.posKey = Secret(value)
        case "cloud_app_code": p.cloudAppCode = try nonEmpty()
        case "cloud_client_key": p.cloudClientKey = Secret(try nonEmpty())
        case "cloud_base_url":
            switch value.lowercased() {
            case "production", "prod": p.cloudBaseURL = CloudEnvironment.production
            case "test", "sandbox": p.cloudBaseURL = CloudEnvironment.test
            default:
                guard let url = URL(string: value), let scheme = url.scheme, let host = url.host, !host.isEmpty else {
                    throw InvalidValue(reason: "must be production, test, or a URL such as https://openapi-hk.qfapi.com")
                }
                let loopback = host == "localhost" || host.hasPrefix("127.") || host == "::1"
                guard scheme == "https" || (scheme == "http" && loopback) else {
                    throw InvalidValue(reason: "must use https (plain http is allowed only for a simulator on this machine)")
                }
                p.cloudBaseURL = value.hasSuffix("/") ? String(value.dropLast()) : value
            }
        case "cloud_sign_type":
            switch value.lowercased() {
            case "md5": p.cloudSignType = .md5
            case "sha256": p.cloudSignType = .sha256
            default: throw InvalidValue(reason: "must be md5 or sha256")
            }
        case "terminal_id": p.terminalId = try nonEmpty()
        case "merchant_id": p.merchantId = try nonEmpty()
        case "notify_key": p.notifyKey = Secret(try nonEmpty())
        case "notify_listen":
            guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]), (1...65535).contains(port) else {
                throw InvalidValue(reason: "must be ADDRESS:PORT, e.g. 0.0.0.0:8080")
            }
            p.notifyListen = value
        case "connect_timeout": p.connectTimeout = try seconds(max: 120)
        case "request_timeout": p.requestTimeout = try seconds(max: 600)
        case "poll_interval": p.pollInterval = try seconds(max: 60)
        case "grace": p.grace = try seconds(max: 3600)
        case "payment_timeout":
            guard let v = Int(value), (1...3600).contains(v) else { throw InvalidValue(reason: "must be whole seconds from 1 to 3600") }
            p.paymentTimeout = v
        case "log_size":
            guard let v = Int(value), (10...100_000).contains(v) else { throw InvalidValue(reason: "must be a number of log entries from 10 to 100000") }
            p.logSize = v
        case "max_amount":
            do { p.maxAmount = try Amount.parse(value, maximum: Amount(cents: Int64.max / 2)) } catch {
                throw InvalidValue(reason: "must be an amount in dollars, e.g. 5000.00: \(error.description)")
            }
        case "language":
            guard let language = Language(setting: value) else { throw InvalidValue(reason: "must be en or zh-Hant") }
            p.language = language
        case "theme": p.theme = try nonEmpty()
        case "journal_dir": p.journalDirectory = try absoluteDirectory(try nonEmpty(), home: home)
        case "currency":
            guard value.count == 3, value.allSatisfy({ $0.isASCII && $0.isLetter }) else { throw InvalidValue(reason: "must be a 3-letter code, e.g. HKD") }
            p.currency = value.uppercased()
        default:
            throw InvalidValue(reason: "is not a setting qfecr knows")
        }
    }
}

public enum ProfileError: Error, Sendable, CustomStringConvertible {
    /// The command-line flag that sets a configuration key, for messages about a flag's value.
    static func flagName(forKey key: String) -> String { SettingNaming.flag(forKey: key) }

    case file(ConfigFileError)
    case flag(key: String, reason: String)
    case missingProfile(String, path: String)

    public var description: String {
        switch self {
        case .file(let error): return error.description
        case .flag(let key, let reason): return "\(ProfileError.flagName(forKey: key)) \(reason)"
        case .missingProfile(let name, let path):
            return "profile '\(name)' was asked for, but there is no configuration file at \(path): run `qfecr config init` to write one"
        }
    }
}
