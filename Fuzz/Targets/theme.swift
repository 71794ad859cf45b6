@testable import ConsoleTheme

// A theme file (themes/ and ~/.config/qfecr/themes): roles, colours, attributes, comments, any bytes.
// Besides not crashing: a theme read is written out again and reads back the same; an error names
// the first line that is wrong (the lines before it read, that line does not) and carries no control
// character (the file's words are echoed to the terminal).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzThemeParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let theme = try Theme.parse(text, name: "fuzz", file: "fuzz.theme")
        let again = try Theme.parse(themeFile(theme), name: "fuzz", file: "again")
        guard again == theme else { fatalError("a theme written out reads back differently: \(theme) vs \(again)") }
    } catch {
        check(error, in: text)
    }
    return 0
}

private func check(_ error: ThemeError, in text: String) {
    guard case .invalidLine(let file, let line, _) = error, file == "fuzz.theme" else { fatalError("unexpected error \(error)") }
    let description = error.description
    if description.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
        fatalError("control character in the error: \(description.debugDescription)")
    }
    let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard (1...lines.count).contains(line) else { fatalError("error on line \(line) of \(lines.count): \(description)") }
    if let before = try? Theme.parse(lines[..<line].joined(separator: "\n"), name: "fuzz", file: "fuzz.theme") {
        fatalError("line \(line) blamed, yet the lines up to it read (\(before.styles.count) roles): \(description)")
    }
    do {
        _ = try Theme.parse(lines[..<(line - 1)].joined(separator: "\n"), name: "fuzz", file: "fuzz.theme")
    } catch {
        fatalError("line \(line) blamed, yet an earlier line fails: \(error)")
    }
}

/// The theme as a file, one role a line.
private func themeFile(_ theme: Theme) -> String {
    theme.styles.map { role, style in
        let attributes = style.attributes.map(\.rawValue).sorted().joined(separator: ",")
        return [role.rawValue, colourName(style.foreground), colourName(style.background), attributes.isEmpty ? "-" : attributes]
            .joined(separator: " ")
    }.joined(separator: "\n")
}

private func colourName(_ colour: ThemeColor) -> String {
    switch colour {
    case .terminalDefault: return "default"
    case .indexed(let n) where n < 8: return ThemeColor.names[n]
    case .indexed(let n): return "bright-" + ThemeColor.names[n - 8]
    }
}
