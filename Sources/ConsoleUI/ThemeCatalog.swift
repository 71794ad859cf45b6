// Roles, styles and the theme file parser live in ConsoleTheme, which has no curses, so the parser
// can be fuzzed; re-exported, so ConsoleUI's files and users see them as before.
@_exported import ConsoleTheme
import Foundation

/// Finds themes: the user's folder first (`$XDG_CONFIG_HOME/qfecr/themes`), then the ones shipped in
/// the binary. `NO_COLOR` (any non-empty value) always means `mono`.
public struct ThemeCatalog: Sendable {
    public let userFolder: String

    public init(environment: [String: String]) {
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        userFolder = config + "/qfecr/themes"
    }

    public static let shippedNames = ShippedThemes.files.keys.sorted()

    public func load(_ name: String, environment: [String: String]) throws(ThemeError) -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return try Self.shipped("mono") }
        let path = userFolder + "/" + name
        if !name.contains("/"), FileManager.default.fileExists(atPath: path) {
            let text: String
            do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw .unreadable(file: path, reason: "\(error.localizedDescription)")
            }
            return try Theme.parse(text, name: name, file: path)
        }
        guard ShippedThemes.files[name] != nil else {
            throw .unknown(name: name, searched: userFolder, available: Self.shippedNames)
        }
        return try Self.shipped(name)
    }

    public static func shipped(_ name: String) throws(ThemeError) -> Theme {
        guard let text = ShippedThemes.files[name] else {
            throw .unknown(name: name, searched: "the themes built into qfecr", available: shippedNames)
        }
        return try Theme.parse(text, name: name, file: "themes/" + name)
    }
}
