import Commissioning
import ECRConfiguration
import ECRProtocol

/// The lines of the settings view and the live doctor, each a run of coloured pieces. Pure: the
/// reducer counts them to bound scrolling, the renderer draws them.
enum CommissioningPages {
    struct Line: Sendable, Hashable {
        var pieces: [Piece]

        struct Piece: Sendable, Hashable {
            var text: String
            var role: Role
        }

        init(_ text: String, _ role: Role = .dialog) { pieces = [Piece(text: text, role: role)] }
        init(_ pieces: [(String, Role)]) { self.pieces = pieces.map { Piece(text: $0.0, role: $0.1) } }
    }

    // MARK: Settings

    static let keyWidth = 17

    static func settings(_ sheet: ProfileSheet, width: Int, language: Language, glyphs: Glyphs) -> [Line] {
        var lines: [Line] = []
        func plain(_ text: String) -> String { glyphs.isUnicode ? text : text.replacingOccurrences(of: "…", with: glyphs.ellipsis) }
        let labels = [Strings.settingsProfile, Strings.settingsFile, Strings.settingsTerminal, Strings.settingsJournal]
        let labelWidth = (labels.map { TerminalText.width(of: $0(language)) }.max() ?? 0) + 2
        func labelled(_ label: LocalizedText, _ value: String, _ role: Role = .input) {
            for (index, part) in TerminalText.wrap(value, width: max(1, width - labelWidth)).enumerated() {
                let head = index == 0 ? label(language) : ""
                lines.append(Line([(TerminalText.fit(head, to: labelWidth), .title), (part, role)]))
            }
        }
        let name: LocalizedText
        switch sheet.source {
        case .builtIn: name = Strings.demoProfile
        default: name = sheet.name.map { LocalizedText($0, $0) } ?? Strings.defaultsProfile
        }
        labelled(Strings.settingsProfile, name(language))
        switch sheet.source {
        case .file(let path): labelled(Strings.settingsFile, path)
        case .noFile(let path): labelled(Strings.settingsFile, Strings.noFile(path)(language), .pending)
        case .builtIn: labelled(Strings.settingsFile, Strings.builtInFile(language), .muted)
        }
        labelled(Strings.settingsTerminal, sheet.endpoint)
        if let path = sheet.journalPath {
            let size = sheet.journalBytes.map { Strings.size($0)(language) } ?? Strings.journalNotYet(language)
            labelled(Strings.settingsJournal, path + " " + glyphs.dot + " " + size)
        } else {
            labelled(Strings.settingsJournal, Strings.noJournalDirectory(language), .error)
        }
        lines.append(Line(""))

        // Values get what they need up to half the rest; origins (FILE:LINE, cut from the left) the remainder.
        let rest = max(2, width - keyWidth - 1)
        let values = sheet.settings.map { TerminalText.width(of: $0.value ?? Strings.notSet(language)) }
        let valueWidth = max(min(values.max() ?? 0, rest / 2), min(rest / 2, 20))
        let originWidth = rest - valueWidth
        lines.append(Line([(TerminalText.fit(Strings.settingHeading(language), to: keyWidth), .title),
                           (TerminalText.fit(Strings.valueHeading(language), to: valueWidth) + " ", .title),
                           (Strings.originHeading(language), .title)]))
        for setting in sheet.settings {
            let value = setting.value.map(plain) ?? Strings.notSet(language)
            let origin = Strings.origin(setting.origin)(language)
            let quiet: Bool
            switch setting.origin {
            case .builtIn, .derived: quiet = true
            default: quiet = false
            }
            // A long value (a pin's fingerprint) wraps in its column: cut, its start or end would be lost.
            let valueRole: Role = setting.value == nil ? .muted : .input
            for (index, part) in TerminalText.wrap(value, width: valueWidth).enumerated() {
                let cell = (TerminalText.fit(part, to: valueWidth) + " ", valueRole)
                lines.append(index == 0
                    ? Line([(TerminalText.fit(setting.key, to: keyWidth), .dialog), cell,
                            (TerminalText.fit(Painter.tail(origin, originWidth, glyphs: glyphs), to: originWidth), quiet ? .muted : .dialog)])
                    : Line([(String(repeating: " ", count: keyWidth), .dialog), cell]))
            }
        }
        return lines
    }

    // MARK: The live doctor

    /// The verdict column: a glyph and the word, as wide as the widest word in either language.
    static let verdictWidth = 2 + 4 + 2
    static let nameWidth = 15

    static func verdictMark(_ verdict: DoctorVerdict, glyphs: Glyphs) -> String {
        switch verdict {
        case .ok: return glyphs.mark("✔")
        case .fail: return glyphs.mark("✘")
        case .warn: return glyphs.isUnicode ? "⚠" : "!"
        case .skip: return glyphs.mark("·")
        }
    }

    static func role(of verdict: DoctorVerdict) -> Role {
        switch verdict {
        case .ok: return .approved
        case .fail: return .error
        case .warn: return .pending
        case .skip: return .muted
        }
    }

    static func doctor(_ progress: DoctorProgress, width: Int, language: Language, glyphs: Glyphs) -> [Line] {
        var lines: [Line] = []
        // A key's ending (`…aacd`) as the status line shows it on an ASCII terminal.
        func plain(_ text: LocalizedText) -> String {
            glyphs.isUnicode ? text(language) : text(language).replacingOccurrences(of: "…", with: glyphs.ellipsis)
        }
        let indent = verdictWidth + nameWidth
        let room = max(1, width - indent)
        let pad = String(repeating: " ", count: indent)
        for check in progress.checks {
            let verdict = TerminalText.fit(verdictMark(check.verdict, glyphs: glyphs) + " " + check.verdict.word(language), to: verdictWidth)
            let name = TerminalText.fit(check.name(language), to: nameWidth - 1, ellipsis: glyphs.ellipsis) + " "
            for (index, part) in TerminalText.wrap(plain(check.detail), width: room).enumerated() {
                lines.append(index == 0 ? Line([(verdict, role(of: check.verdict)), (name, .title), (part, .dialog)])
                                        : Line([(pad, .dialog), (part, .dialog)]))
            }
            if let advice = check.advice {
                for part in TerminalText.wrap(glyphs.mark("→") + " " + plain(advice), width: room) {
                    lines.append(Line([(pad, .dialog), (part, .key)]))
                }
            }
            for info in check.info {
                for part in TerminalText.wrap(plain(info), width: max(1, room - 2)) {
                    lines.append(Line([(pad + "  ", .dialog), (part, .muted)]))
                }
            }
        }
        if !progress.finished {
            lines.append(Line(glyphs.busy + " " + Strings.doctorChecking(progress.checks.count)(language), .pending))
        } else {
            lines.append(Line(""))
            let failed = progress.checks.contains { $0.verdict == .fail }
            for part in TerminalText.wrap(DoctorReport.summary(of: progress.checks)(language), width: width) {
                lines.append(Line(part, failed ? .error : .approved))
            }
        }
        return lines
    }

    /// The most lines a page has in either language, for bounding the scroll.
    static func longest(_ lines: (Language) -> [Line]) -> Int {
        Language.allCases.map { lines($0).count }.max() ?? 0
    }
}
