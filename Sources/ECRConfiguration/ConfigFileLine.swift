import NameSuggestion
/// One line of a configuration file, classified. Whitespace means spaces and tabs.
///
/// Comment rule: a `#` starts a comment at the start of a line, or anywhere it follows whitespace
/// (including just after `=`). Elsewhere it is part of the value, so `ssid = shop#2` keeps its `#`.
/// A value that must start with `#` or keep outer spaces is written in double quotes.
enum ConfigFileLine: Equatable {
    /// Blank, or only a comment.
    case nothing
    case profileHeader(name: String)
    case setting(key: String, value: String)

    static let sectionKinds = ["profile"]

    static func parse(_ text: Substring, fail: (ConfigFileError.Problem) -> ConfigFileError) throws(ConfigFileError) -> ConfigFileLine {
        let line = text.trimmingConfigBlanks
        guard let first = line.first, first != "#" else { return .nothing }
        if first == "[" {
            return .profileHeader(name: try parseHeader(line, fail: fail))
        }
        guard let equals = line.firstIndex(of: "=") else { throw fail(.notASetting) }
        let key = line[..<equals].trimmingConfigBlanks
        guard !key.isEmpty else { throw fail(.emptyKey) }
        guard key.allSatisfy(isKeyCharacter) else { throw fail(.invalidKey) }
        let value = try parseValue(line[line.index(after: equals)...], fail: fail)
        return .setting(key: String(key), value: value)
    }

    // MARK: Values

    private static func parseValue(_ rest: Substring, fail: (ConfigFileError.Problem) -> ConfigFileError) throws(ConfigFileError) -> String {
        let start = rest.drop(while: \.isConfigBlank)
        if start.first == "\"" {
            return try parseQuoted(start.dropFirst(), fail: fail)
        }
        // `rest` begins right after `=`, which is not whitespace, so `key =#x` keeps `#x`.
        var previous: Character = "="
        var end = rest.endIndex
        for index in rest.indices {
            if rest[index] == "#" && previous.isConfigBlank {
                end = index
                break
            }
            previous = rest[index]
        }
        return String(rest[..<end].trimmingConfigBlanks)
    }

    private static func parseQuoted(_ body: Substring, fail: (ConfigFileError.Problem) -> ConfigFileError) throws(ConfigFileError) -> String {
        var value = ""
        var index = body.startIndex
        while index < body.endIndex {
            let character = body[index]
            index = body.index(after: index)
            switch character {
            case "\"":
                let trailing = body[index...].trimmingConfigBlanks
                guard trailing.isEmpty || trailing.first == "#" else { throw fail(.textAfterClosingQuote) }
                return value
            case "\\":
                guard index < body.endIndex, body[index] == "\"" || body[index] == "\\" else {
                    throw fail(.unknownEscape)
                }
                value.append(body[index])
                index = body.index(after: index)
            default:
                value.append(character)
            }
        }
        throw fail(.unterminatedQuote)
    }

    // MARK: Section headers

    private static func parseHeader(_ line: Substring, fail: (ConfigFileError.Problem) -> ConfigFileError) throws(ConfigFileError) -> String {
        guard let close = line.firstIndex(of: "]") else {
            throw fail(.malformedSectionHeader(reason: "missing ']'"))
        }
        let trailing = line[line.index(after: close)...].trimmingConfigBlanks
        guard trailing.isEmpty || trailing.first == "#" else {
            throw fail(.malformedSectionHeader(reason: "unexpected text after ']'"))
        }
        let words = line[line.index(after: line.startIndex)..<close].split(whereSeparator: \.isConfigBlank)
        guard let kind = words.first else {
            throw fail(.malformedSectionHeader(reason: "empty section header"))
        }
        guard sectionKinds.contains(String(kind)) else {
            let suggestion = Suggestion.closest(to: String(kind), among: sectionKinds)
            throw fail(.unknownSectionKind(String(kind), suggestion: suggestion))
        }
        guard words.count > 1 else {
            throw fail(.malformedSectionHeader(reason: "missing profile name"))
        }
        guard words.count == 2 else {
            throw fail(.malformedSectionHeader(reason: "the profile name must be one word"))
        }
        guard words[1].allSatisfy(isKeyCharacter) else {
            throw fail(.malformedSectionHeader(reason: "the profile name may use only letters, digits, '_', '-' and '.'"))
        }
        return String(words[1])
    }

    static func isKeyCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "_-.".contains(character))
    }
}

// Named for this file so they cannot collide with helpers elsewhere in the module.
extension Character {
    fileprivate var isConfigBlank: Bool { self == " " || self == "\t" }
}

extension Substring {
    fileprivate var trimmingConfigBlanks: Substring {
        let start = drop(while: \.isConfigBlank)
        var end = start.endIndex
        while end > start.startIndex, start[start.index(before: end)].isConfigBlank {
            end = start.index(before: end)
        }
        return start[..<end]
    }
}
