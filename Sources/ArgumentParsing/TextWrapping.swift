/// Greedy word wrapping for help text. Widths count characters; help text is ASCII by convention.
enum TextWrapping {
    /// Wraps `text` so no line exceeds `width` unless a single word is longer. The first line
    /// starts with `firstPrefix`; later lines are indented by `indent` spaces.
    static func wrap(_ text: String, width: Int, firstPrefix: String = "", indent: Int = 0) -> [String] {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let padding = String(repeating: " ", count: indent)
        var lines: [String] = []
        var line = firstPrefix
        var lineHasWord = false
        for word in words {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = padding + word
            } else {
                line += (lineHasWord ? " " : "") + word
            }
            lineHasWord = true
        }
        lines.append(line)
        return lines.map(trimTrailingSpaces)
    }

    static func trimTrailingSpaces(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }
}
