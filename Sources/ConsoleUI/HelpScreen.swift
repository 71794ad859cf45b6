import ECRProtocol

/// The help screen's lines: every key of the table, then the notes (the letters that stand in for
/// F-keys, the demo's outcome table). When they are more than the window's rows the letters note gives
/// way first (the key column lists every letter already); past that the help scrolls.
enum HelpScreen {
    typealias Line = [(String, Role)]
    static let keyWidth = 15
    static let labelWidth = 10

    static func lines(width: Int, rows: Int, notes: [LocalizedText], language: Language, ellipsis: String) -> [Line] {
        let keys: [Line] = KeyTable.helpRows.map { help in
            [(TerminalText.fit(help.keys, to: keyWidth) + " ", .key), (TerminalText.fit(help.label(language), to: labelWidth) + " ", .title),
             (TerminalText.fit(help.help(language), to: max(0, width - keyWidth - labelWidth - 2), ellipsis: ellipsis), .dialog)]
        }
        func wrapped(_ note: LocalizedText) -> [Line] { TerminalText.wrap(note(language), width: width).map { [($0, .muted)] } }
        let all = keys + [[]] + wrapped(Strings.helpLetters) + notes.flatMap(wrapped)
        guard all.count > rows, !notes.isEmpty else { return all }
        let short = keys + [[]] + notes.flatMap(wrapped)
        return short.count <= rows ? short : all
    }

    /// The inner width and rows of the help screen in a window.
    static func body(width: Int, height: Int) -> (width: Int, rows: Int) { (width - 4, height - 2) }

    /// How far the help can scroll in this window (the longer of the two languages).
    static func maxScroll(width: Int, height: Int, notes: [LocalizedText]) -> Int {
        let body = body(width: width, height: height)
        let longest = Language.allCases.map { lines(width: body.width, rows: body.rows, notes: notes, language: $0, ellipsis: "…").count }.max() ?? 0
        return max(0, longest - body.rows)
    }
}
