/// A terminal colour a theme may name. Bright colours need 16 colours; on 8 they fall back.
public enum ThemeColor: Sendable, Hashable {
    case terminalDefault
    /// 0 black, 1 red, 2 green, 3 yellow, 4 blue, 5 magenta, 6 cyan, 7 white; 8–15 their bright forms.
    case indexed(Int)

    static let names = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    init?(name: String) {
        if name == "default" { self = .terminalDefault; return }
        if let base = ThemeColor.names.firstIndex(of: name) { self = .indexed(base); return }
        if name.hasPrefix("bright-"), let base = ThemeColor.names.firstIndex(of: String(name.dropFirst(7))) {
            self = .indexed(base + 8)
            return
        }
        return nil
    }
}

public enum ThemeAttribute: String, Sendable, Hashable, CaseIterable {
    case bold, dim, underline, reverse, standout
}

/// How one role looks.
public struct Style: Sendable, Hashable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: Set<ThemeAttribute>

    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
                attributes: Set<ThemeAttribute> = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The style on a terminal with `colours` colours: bright colours become plain (a bright foreground
    /// also bold) on 8; no colour at all below that. Grey (bright-black) becomes the terminal's own
    /// colour dimmed: black, even in bold, vanishes on a dark background where bold does not brighten.
    public func limited(to colours: Int) -> Style {
        if colours < 8 { return Style(attributes: attributes) }
        if colours >= 16 { return self }
        var result = self
        if foreground == .indexed(8) {
            result.foreground = .terminalDefault
            result.attributes.insert(.dim)
        } else if case .indexed(let n) = foreground, n >= 8 { result.foreground = .indexed(n - 8); result.attributes.insert(.bold) }
        if case .indexed(let n) = background, n >= 8 { result.background = .indexed(n - 8) }
        return result
    }
}

/// Roles mapped to styles, read from a plain theme file.
public struct Theme: Sendable, Hashable {
    public let name: String
    public let styles: [Role: Style]

    public init(name: String, styles: [Role: Style]) {
        self.name = name
        self.styles = styles
    }

    /// The style of a role; a role the file left out looks like `normal`.
    public func style(for role: Role) -> Style {
        styles[role] ?? styles[.normal] ?? Style()
    }

    /// Reads a theme file. `file` names it in error messages (`FILE:LINE: message`).
    public static func parse(_ text: String, name: String, file: String) throws(ThemeError) -> Theme {
        var styles: [Role: Style] = [:]
        // Split on scalars, not characters: "\r\n" is one Character, and a combining mark after a
        // space or `#` would hide the separator, so lines and fields would not be where an editor shows them.
        for (index, rawLine) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.prefix { $0 != "#" }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map { String($0) }
            guard !fields.isEmpty else { continue }
            let number = index + 1
            func fail(_ message: String) -> ThemeError { .invalidLine(file: file, line: number, message: message) }
            guard let role = Role(rawValue: fields[0]) else {
                throw fail("unknown role '\(shown(fields[0]))': use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard styles[role] == nil else { throw fail("role '\(role.rawValue)' is set twice: keep one line") }
            guard fields.count >= 3 else {
                throw fail("'\(role.rawValue)' needs a foreground and a background colour, e.g. '\(role.rawValue) green default bold'")
            }
            var colours: [ThemeColor] = []
            for field in fields[1...2] {
                guard let colour = ThemeColor(name: field) else {
                    throw fail("unknown colour '\(shown(field))': use default, \(ThemeColor.names.joined(separator: ", ")) or bright-NAME")
                }
                colours.append(colour)
            }
            var attributes: Set<ThemeAttribute> = []
            for field in fields.dropFirst(3) where field != "-" {
                for word in field.unicodeScalars.split(separator: ",").map({ String($0) }) {
                    guard let attribute = ThemeAttribute(rawValue: word) else {
                        throw fail("unknown attribute '\(shown(word))': use \(ThemeAttribute.allCases.map(\.rawValue).joined(separator: ", ")) or -")
                    }
                    attributes.insert(attribute)
                }
            }
            styles[role] = Style(foreground: colours[0], background: colours[1], attributes: attributes)
        }
        return Theme(name: name, styles: styles)
    }

    /// A word of the file as an error shows it: the message goes to the terminal, so control
    /// characters (an escape sequence would be obeyed) and direction overrides are written as `\u{1B}`.
    static func shown(_ word: String) -> String {
        var result = ""
        for scalar in word.unicodeScalars {
            switch scalar.value {
            case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069:
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// Why a theme could not be used, naming the file and line to fix.
public enum ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidLine(file: String, line: Int, message: String)
    case unreadable(file: String, reason: String)
    case unknown(name: String, searched: String, available: [String])

    public var description: String {
        switch self {
        case .invalidLine(let file, let line, let message):
            return "\(file):\(line): \(message)"
        case .unreadable(let file, let reason):
            return "\(file): cannot be read (\(reason))"
        case .unknown(let name, let searched, let available):
            return "no theme '\(name)': use one of \(available.joined(separator: ", ")), or put a theme file named '\(name)' in \(searched)"
        }
    }
}
