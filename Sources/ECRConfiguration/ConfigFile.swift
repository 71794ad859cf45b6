import NameSuggestion
import Foundation

/// Where an entry sits: among the defaults before any section, or in a `[profile NAME]` section.
public enum ConfigSection: Sendable, Hashable, CustomStringConvertible {
    case defaults
    case profile(String)

    public var description: String {
        switch self {
        case .defaults: return "the defaults"
        case .profile(let name): return "[profile \(name)]"
        }
    }
}

/// One `key = value` line, remembered with where it came from so later checks can say
/// `FILE:LINE: ...`.
public struct ConfigEntry: Sendable, Equatable {
    public let path: String
    /// 1-based.
    public let line: Int
    public let key: String
    public let value: String
    public let section: ConfigSection

    public init(path: String, line: Int, key: String, value: String, section: ConfigSection) {
        self.path = path
        self.line = line
        self.key = key
        self.value = value
        self.section = section
    }

    /// `FILE:LINE`, for messages.
    public var location: String { "\(path):\(line)" }
}

/// A parsed configuration file: `key = value` lines, `#` comments and `[profile NAME]` sections.
/// Keys are kept as written; what they mean is decided elsewhere.
public struct ConfigDocument: Sendable, Equatable {
    public let path: String
    /// Every setting, in file order.
    public let entries: [ConfigEntry]
    /// Every `[profile NAME]` section, in file order, including empty ones.
    public let profileNames: [String]

    public init(path: String, entries: [ConfigEntry], profileNames: [String]) {
        self.path = path
        self.entries = entries
        self.profileNames = profileNames
    }

    /// Reads and parses the file. A missing file is `.notFound`, so a caller may treat an absent
    /// default file as empty while still refusing an absent `--config FILE`.
    public static func load(path: String) throws(ConfigFileError) -> ConfigDocument {
        func failure(_ problem: ConfigFileError.Problem) -> ConfigFileError {
            ConfigFileError(path: path, line: nil, problem: problem)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw failure(.notFound)
        }
        guard !isDirectory.boolValue else { throw failure(.unreadable(reason: "it is a directory")) }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw failure(.unreadable(reason: "permission denied"))
        }
        // Read as a stream, so `--config <(…)` (a pipe) and /dev/null work like a regular file.
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw failure(.unreadable(reason: "it cannot be opened for reading"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw failure(.unreadable(reason: error.localizedDescription))
        }
        guard let text = String(bytes: data, encoding: .utf8) else { throw failure(.notUTF8) }
        return try parse(text, path: path)
    }

    /// Parses text read from `path` (used only to name the file in entries and errors).
    /// Stops at the first problem.
    public static func parse(_ text: String, path: String) throws(ConfigFileError) -> ConfigDocument {
        var entries: [ConfigEntry] = []
        var profiles: [(name: String, line: Int)] = []
        var firstLineOfKey: [ConfigSection: [String: Int]] = [:]
        var section = ConfigSection.defaults

        // "\r\n" is one Character in Swift, so both line endings are separators.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }
        for (index, rawLine) in lines.enumerated() {
            let number = index + 1
            let lineText = number == 1 && rawLine.first == "\u{FEFF}" ? rawLine.dropFirst() : rawLine
            let parsed = try ConfigFileLine.parse(lineText) { problem in
                ConfigFileError(path: path, line: number, problem: problem)
            }
            switch parsed {
            case .nothing:
                continue
            case .profileHeader(let name):
                if let first = profiles.first(where: { $0.name == name }) {
                    throw ConfigFileError(path: path, line: number,
                                          problem: .duplicateProfile(name, firstLine: first.line))
                }
                profiles.append((name, number))
                section = .profile(name)
            case .setting(let key, let value):
                if let firstLine = firstLineOfKey[section]?[key] {
                    throw ConfigFileError(path: path, line: number,
                                          problem: .duplicateKey(key, section: section, firstLine: firstLine))
                }
                firstLineOfKey[section, default: [:]][key] = number
                entries.append(ConfigEntry(path: path, line: number, key: key, value: value, section: section))
            }
        }
        return ConfigDocument(path: path, entries: entries, profileNames: profiles.map(\.name))
    }

    /// The entries of one section, in file order.
    public func entries(in section: ConfigSection) -> [ConfigEntry] {
        entries.filter { $0.section == section }
    }

    /// The defaults, overlaid by the named profile's entries; the defaults alone when `name` is
    /// nil. An unknown profile is an error that lists the profiles the file has.
    public func settings(forProfile name: String?) throws(ConfigFileError) -> [String: ConfigEntry] {
        var settings: [String: ConfigEntry] = [:]
        for entry in entries(in: .defaults) {
            settings[entry.key] = entry
        }
        guard let name else { return settings }
        guard profileNames.contains(name) else {
            let suggestion = Suggestion.closest(to: name, among: profileNames)
            throw ConfigFileError(path: path, line: nil,
                                  problem: .unknownProfile(name, available: profileNames, suggestion: suggestion))
        }
        for entry in entries(in: .profile(name)) {
            settings[entry.key] = entry
        }
        return settings
    }

    /// One error per entry whose key is not among `knownKeys`, in file order, each suggesting the
    /// closest known key: `FILE:LINE: unknown setting 'hots' (did you mean 'host'?)`.
    public func unknownSettings<Keys: Sequence<String>>(knownKeys: Keys) -> [ConfigFileError] {
        let known = Array(knownKeys)
        let knownSet = Set(known)
        return entries.filter { !knownSet.contains($0.key) }.map { entry in
            let suggestion = Suggestion.closest(to: entry.key, among: known)
            return ConfigFileError(path: entry.path, line: entry.line,
                                   problem: .unknownSetting(entry.key, suggestion: suggestion))
        }
    }
}
