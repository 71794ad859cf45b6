/// Where a setting in effect came from, so a technician can tell which line, variable or flag to
/// change: the layers are defaults, the configuration file, the environment (secrets) and flags.
public enum SettingOrigin: Sendable, Hashable, CustomStringConvertible {
    /// qfecr's own default.
    case builtIn
    /// A default worked out from something on this machine: the machine id file, the variable the
    /// data directory is under, or the program that built the profile (`qfecr demo`).
    case derived(from: String)
    /// A `key = value` line of the configuration file.
    case file(path: String, line: Int)
    /// An environment variable (the secrets: `QFECR_KEY`, …).
    case environment(String)
    /// A command-line flag, as typed (`--host`).
    case commandLine(String)

    /// `default`, `from /etc/machine-id`, `FILE:LINE`, `QFECR_KEY`, `--host`.
    public var description: String {
        switch self {
        case .builtIn: return "default"
        case .derived(let source): return "from \(source)"
        case .file(let path, let line): return "\(path):\(line)"
        case .environment(let name): return name
        case .commandLine(let flag): return flag
        }
    }
}

extension TerminalProfile {
    /// Where `key`'s value came from; a key nothing set is the default.
    public func origin(of key: String) -> SettingOrigin { origins[key] ?? .builtIn }
}
