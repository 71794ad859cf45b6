/// A problem with a configuration file, told as `FILE:LINE: what is wrong`.
///
/// Messages name keys and sections but never repeat a value or a whole line: the file may hold the
/// POS-KEY, and a mistyped line may be that key.
public struct ConfigFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Problem: Sendable, Equatable {
        case notFound
        case unreadable(reason: String)
        case notUTF8
        /// Neither `key = value`, a section header, a comment nor blank.
        case notASetting
        case emptyKey
        /// The key text itself is not kept: a mangled line may be a pasted secret.
        case invalidKey
        case duplicateKey(String, section: ConfigSection, firstLine: Int)
        case malformedSectionHeader(reason: String)
        case unknownSectionKind(String, suggestion: String?)
        case duplicateProfile(String, firstLine: Int)
        case unterminatedQuote
        case textAfterClosingQuote
        case unknownEscape
        case unknownProfile(String, available: [String], suggestion: String?)
        case unknownSetting(String, suggestion: String?)
        /// For the code that interprets keys: it supplies a reason that does not quote a secret.
        case invalidValue(key: String, reason: String)
    }

    public let path: String
    /// 1-based; nil when the problem is with the whole file.
    public let line: Int?
    public let problem: Problem

    public init(path: String, line: Int?, problem: Problem) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    /// A value that was read fine but means nothing valid, reported at its entry.
    public static func invalidValue(_ entry: ConfigEntry, reason: String) -> ConfigFileError {
        ConfigFileError(path: entry.path, line: entry.line, problem: .invalidValue(key: entry.key, reason: reason))
    }

    public var description: String {
        if let line { return "\(path):\(line): \(message)" }
        return "\(path): \(message)"
    }

    /// The problem alone, without the location.
    public var message: String {
        switch problem {
        case .notFound:
            return "no such file"
        case .unreadable(let reason):
            return "cannot read the file: \(reason)"
        case .notUTF8:
            return "the file is not UTF-8 text"
        case .notASetting:
            return "expected 'key = value', '[profile NAME]' or a '#' comment"
        case .emptyKey:
            return "missing key before '='; write 'key = value'"
        case .invalidKey:
            return "invalid key before '='; keys use only letters, digits, '_', '-' and '.'"
        case .duplicateKey(let key, let section, let firstLine):
            return "duplicate key '\(key)' in \(section); first set on line \(firstLine)"
        case .malformedSectionHeader(let reason):
            return "malformed section header: \(reason); write '[profile NAME]'"
        case .unknownSectionKind(let kind, let suggestion):
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            return "unknown section kind '\(kind)'; \(hint)sections are written '[profile NAME]'"
        case .duplicateProfile(let name, let firstLine):
            return "duplicate section [profile \(name)]; first started on line \(firstLine)"
        case .unterminatedQuote:
            return "missing closing '\"' in quoted value"
        case .textAfterClosingQuote:
            return "unexpected text after the closing '\"'; only a '#' comment may follow"
        case .unknownEscape:
            return "unknown escape in quoted value; only \\\" and \\\\ are understood"
        case .unknownProfile(let name, let available, let suggestion):
            if available.isEmpty {
                return "no profile '\(name)'; the file has no [profile NAME] sections"
            }
            let hint = suggestion.map { "did you mean '\($0)'? " } ?? ""
            return "no profile '\(name)'; \(hint)profiles: \(available.joined(separator: ", "))"
        case .unknownSetting(let key, let suggestion):
            return "unknown setting '\(key)'" + (suggestion.map { " (did you mean '\($0)'?)" } ?? "")
        case .invalidValue(let key, let reason):
            return "invalid value for '\(key)': \(reason)"
        }
    }
}
