/// How a message names a setting its reader should change: as the flag a command takes
/// (`--pin root:…`) or as the configuration file's line (`pin = root:…`). The command line names
/// flags; the console, whose user fixes things in the configuration file, names lines; `qfecr
/// doctor` names the line of a setting the file set and the flag of any other.
public struct SettingNaming: Sendable, Hashable {
    /// Keys named by their configuration line; nil: every key.
    private let lineKeys: Set<String>?

    public static let flags = SettingNaming(lineKeys: [])
    public static let configFile = SettingNaming(lineKeys: nil)
    /// These keys by their line, the rest by their flag.
    public static func lines(for keys: Set<String>) -> SettingNaming { SettingNaming(lineKeys: keys) }

    public func usesLine(_ key: String) -> Bool { lineKeys?.contains(key) ?? true }

    /// `--ca` or `ca_file`.
    public func name(_ key: String) -> String { usesLine(key) ? key : Self.flag(forKey: key) }

    /// `--pin root:AB…` or `pin = root:AB…`.
    public func setting(_ key: String, _ value: String) -> String {
        usesLine(key) ? "\(key) = \(value)" : "\(Self.flag(forKey: key)) \(value)"
    }

    /// The command-line flag that sets a configuration key.
    public static func flag(forKey key: String) -> String {
        switch key {
        case "pos_key": return "--key"
        case "ca_file": return "--ca"
        case "encryption": return "--no-encryption"
        default: return "--" + key.replacingOccurrences(of: "_", with: "-")
        }
    }
}
