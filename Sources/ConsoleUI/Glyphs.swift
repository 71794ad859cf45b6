/// The characters the console draws frames and marks with: UTF-8 box drawing, or plain ASCII when
/// the terminal's locale is not UTF-8.
public struct Glyphs: Sendable, Hashable {
    public let horizontal: Character
    public let vertical: Character
    public let topLeft: Character
    public let topRight: Character
    public let bottomLeft: Character
    public let bottomRight: Character
    public let teeRight: Character
    public let teeLeft: Character
    public let teeDown: Character
    public let teeUp: Character
    public let cross: Character
    public let pointer: String
    public let ellipsis: String
    public let dot: String
    public let ready: String
    public let busy: String
    public let unreachable: String
    public let isUnicode: Bool

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeRight: "├", teeLeft: "┤", teeDown: "┬", teeUp: "┴", cross: "┼", pointer: "▸", ellipsis: "…",
        dot: "·", ready: "●", busy: "◌", unreachable: "✖", isUnicode: true)

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeRight: "+", teeLeft: "+", teeDown: "+", teeUp: "+", cross: "+", pointer: ">", ellipsis: "~",
        dot: "-", ready: "*", busy: "o", unreachable: "x", isUnicode: false)

    /// UTF-8 glyphs when the locale's character set is UTF-8 (`LC_ALL`, `LC_CTYPE`, then `LANG`).
    public static func forLocale(_ environment: [String: String]) -> Glyphs {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let lowered = locale.lowercased()
        return lowered.contains("utf-8") || lowered.contains("utf8") ? .unicode : .ascii
    }

    /// A state glyph as this glyph set can show it (ASCII terminals get a letter mark).
    public func mark(_ glyph: String) -> String {
        if isUnicode { return glyph }
        switch glyph {
        case "✔": return "+"
        case "✘": return "x"
        case "⊗", "⊘": return "/"
        case "⛔": return "!"
        case "‼": return "!!"
        case "⏳": return "~"
        case "→": return ">"
        case "←": return "<"
        case "·": return "-"
        default: return glyph.unicodeScalars.allSatisfy(\.isASCII) ? glyph : "*"
        }
    }
}

extension CellGrid {
    /// Draws a frame around `rect`, with an optional title set into the top edge.
    public mutating func frame(_ rect: Rect, glyphs: Glyphs, title: String? = nil, role: Role = .border,
                               titleRole: Role = .title) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let h = String(glyphs.horizontal)
        put(String(glyphs.topLeft) + String(repeating: h, count: rect.width - 2) + String(glyphs.topRight),
            x: rect.x, y: rect.y, role: role)
        put(String(glyphs.bottomLeft) + String(repeating: h, count: rect.width - 2) + String(glyphs.bottomRight),
            x: rect.x, y: rect.maxY - 1, role: role)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            put(String(glyphs.vertical), x: rect.x, y: y, role: role)
            put(String(glyphs.vertical), x: rect.maxX - 1, y: y, role: role)
        }
        if let title { put(title: title, x: rect.x + 1, y: rect.y, limit: rect.width - 2, glyphs: glyphs, role: titleRole) }
    }

    /// A horizontal rule across `rect`'s row `y`, joined to the frame's sides with tees.
    public mutating func rule(x: Int, y: Int, width: Int, glyphs: Glyphs, title: String? = nil,
                              role: Role = .border, titleRole: Role = .title) {
        guard width >= 2 else { return }
        put(String(glyphs.teeRight) + String(repeating: String(glyphs.horizontal), count: width - 2) + String(glyphs.teeLeft),
            x: x, y: y, role: role)
        if let title { put(title: title, x: x + 1, y: y, limit: width - 2, glyphs: glyphs, role: titleRole) }
    }

    /// A vertical rule from `y` to `maxY - 1` joined with tees to the rules above and below.
    public mutating func column(x: Int, y: Int, height: Int, glyphs: Glyphs, role: Role = .border) {
        guard height >= 2 else { return }
        put(String(glyphs.teeDown), x: x, y: y, role: role)
        for row in (y + 1)..<(y + height - 1) { put(String(glyphs.vertical), x: x, y: row, role: role) }
        put(String(glyphs.teeUp), x: x, y: y + height - 1, role: role)
    }

    /// ` title ` set into a border line, truncated with the glyph set's ellipsis.
    mutating func put(title: String, x: Int, y: Int, limit: Int, glyphs: Glyphs, role: Role) {
        let text = TerminalText.truncate(" " + title + " ", to: limit, ellipsis: glyphs.ellipsis + " ")
        put(text, x: x, y: y, limit: limit, role: role)
    }
}
