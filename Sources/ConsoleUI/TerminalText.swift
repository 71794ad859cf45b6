/// Text measured in terminal cells: CJK and fullwidth characters take two cells, combining marks none.
/// The console lays out every pane in cells, so a wide character is never split at a pane edge.
public enum TerminalText {
    /// The cells one character (a grapheme cluster) takes on a terminal.
    public static func width(of character: Character) -> Int {
        let scalars = character.unicodeScalars
        guard let first = scalars.first else { return 0 }
        if scalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return width(of: first)
    }

    /// The cells a string takes.
    public static func width(of text: String) -> Int {
        simpleWidth(of: text) ?? text.reduce(0) { $0 + width(of: $1) }
    }

    /// The cells of a scalar that is always a character of its own and whose width needs no
    /// Unicode property lookup: printable Latin, the console's punctuation, arrows, box drawing and
    /// shapes, and CJK ideographs. Nil for anything else (marks, joiners, emoji, controls…).
    /// Walking characters costs a grapheme break search each, about 150 ns: most of a frame's edges.
    static func simpleWidth(_ value: UInt32) -> Int? {
        switch value {
        case 0x20...0x7E, 0xA0...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x21FF, 0x2500...0x25FC: return 1
        case 0x4E00...0x9FFF: return 2
        default: return nil
        }
    }

    /// The width of `text` when every scalar in it is simple (each then is a character of its own,
    /// as no rule joins two of them), else nil.
    static func simpleWidth(of text: String) -> Int? {
        var total = 0
        for scalar in text.unicodeScalars {
            guard let w = simpleWidth(scalar.value) else { return nil }
            total += w
        }
        return total
    }

    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        if value < 0x20 || (value >= 0x7F && value < 0xA0) { return 0 }
        if value < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B || (value >= 0x1160 && value <= 0x11FF) { return 0 }
        return isWide(value) ? 2 : 1
    }

    /// East Asian Wide and Fullwidth ranges, and the emoji terminals draw two cells wide.
    private static func isWide(_ v: UInt32) -> Bool {
        for range in wideRanges where range.contains(v) { return true }
        return false
    }

    private static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0...0x23F0, 0x23F3...0x23F3,
        0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F...0x267F, 0x2693...0x2693, 0x26A1...0x26A1,
        0x26AA...0x26AB, 0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE...0x26CE, 0x26D4...0x26D4, 0x26EA...0x26EA,
        0x26F2...0x26F3, 0x26F5...0x26F5, 0x26FA...0x26FA, 0x26FD...0x26FD, 0x2705...0x2705, 0x270A...0x270B,
        0x2728...0x2728, 0x274C...0x274C, 0x274E...0x274E, 0x2753...0x2755, 0x2757...0x2757, 0x2795...0x2797,
        0x27B0...0x27B0, 0x27BF...0x27BF, 0x2B1B...0x2B1C, 0x2B50...0x2B50, 0x2B55...0x2B55,
        0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F,
        0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x1F004...0x1F004, 0x1F0CF...0x1F0CF, 0x1F18E...0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251,
        0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]

    /// The longest prefix that fits in `width` cells, and the cells it takes (a wide character that
    /// would straddle the edge is left out, never cut in half).
    public static func prefix(_ text: String, fitting width: Int) -> (text: String, width: Int) {
        var used = 0
        var result = ""
        for character in text {
            let w = self.width(of: character)
            if used + w > width { break }
            used += w
            result.append(character)
        }
        return (result, used)
    }

    /// `text` cut to `width` cells with an ellipsis when it does not fit.
    public static func truncate(_ text: String, to width: Int, ellipsis: String = "…") -> String {
        guard width > 0 else { return "" }
        if self.width(of: text) <= width { return text }
        let room = width - self.width(of: ellipsis)
        guard room >= 0 else { return prefix(text, fitting: width).text }
        return prefix(text, fitting: room).text + ellipsis
    }

    /// `text` fitted to exactly `width` cells: truncated with an ellipsis, or padded with spaces.
    public static func fit(_ text: String, to width: Int, alignment: Alignment = .left, ellipsis: String = "…") -> String {
        let cut = truncate(text, to: width, ellipsis: ellipsis)
        let gap = max(0, width - self.width(of: cut))
        switch alignment {
        case .left: return cut + String(repeating: " ", count: gap)
        case .right: return String(repeating: " ", count: gap) + cut
        case .center: return String(repeating: " ", count: gap / 2) + cut + String(repeating: " ", count: gap - gap / 2)
        }
    }

    /// Lines of at most `width` cells, broken at spaces and between CJK characters (never inside a
    /// Latin word unless it is longer than the line), after the common CJK rules: closing punctuation
    /// does not start a line and an opening bracket does not end one. A space a line breaks at is
    /// dropped; nothing else is, so the lines are the text in order.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line: [Character] = []
            var lineWidth = 0
            for character in paragraph {
                let w = self.width(of: character)
                while lineWidth + w > width, !line.isEmpty {
                    if character == " " { break }
                    if canBreak(line.last!, character) {
                        lines.append(String(line)); line = []
                    } else if let at = lastBreak(in: line) {
                        lines.append(String(line[..<at]))
                        line = Array(line[(line[at] == " " ? at + 1 : at)...])
                    } else {
                        lines.append(String(line)); line = [] // a word longer than the line
                    }
                    lineWidth = self.width(of: String(line))
                }
                if character == " ", lineWidth + w > width {
                    lines.append(String(line)); line = []; lineWidth = 0
                    continue
                }
                line.append(character)
                lineWidth += w
            }
            lines.append(String(line))
        }
        return lines
    }

    /// Whether a line may end with `before` and the next begin with `after` (no space between).
    static func canBreak(_ before: Character, _ after: Character) -> Bool {
        guard width(of: before) == 2 || width(of: after) == 2 else { return false }
        return !noLineStart.contains(after) && !noLineEnd.contains(before)
    }

    /// The last place in `line` a break may go (before that index; a space there is dropped), not at 0.
    static func lastBreak(in line: [Character]) -> Int? {
        var index = line.count - 1
        while index > 0 {
            if line[index] == " " || (line[index - 1] != " " && canBreak(line[index - 1], line[index])) { return index }
            index -= 1
        }
        return nil
    }

    /// Characters a line does not start with (closing punctuation) and does not end with (opening
    /// brackets), after the common CJK line-breaking rules.
    static let noLineStart: Set<Character> = Set("，。、；：！？）」』】》〉〕｝’”…・,.;:!?)]}%")
    static let noLineEnd: Set<Character> = Set("（「『【《〈〔｛‘“([{")

    /// `wrap`, in at most `count` lines: when the text needs more, the last line holds the rest of it
    /// (the original text, not the wrapped pieces glued together) cut with an ellipsis.
    public static func wrap(_ text: String, width: Int, lines count: Int, ellipsis: String = "…") -> [String] {
        let lines = wrap(text, width: width)
        guard count > 0 else { return [] }
        guard lines.count > count else { return lines }
        var rest = Substring(text)
        for line in lines.prefix(count - 1) {
            rest = rest.dropFirst(line.count)
            // The break took at most one space or newline with it.
            if let first = rest.first, first == " " || first == "\n" { rest = rest.dropFirst() }
        }
        let last = String(rest).replacingOccurrences(of: "\n", with: " ")
        return Array(lines.prefix(count - 1)) + [truncate(last, to: width, ellipsis: ellipsis)]
    }

    public enum Alignment: Sendable {
        case left, right, center
    }
}
