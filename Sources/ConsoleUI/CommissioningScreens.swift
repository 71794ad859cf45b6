import Commissioning
import ECRProtocol

/// The technician's views: settings and the live doctor over the whole window, the profile list as
/// a box over the main screen.
extension Painter {
    mutating func commissioning(_ open: CommissioningView) {
        let facts = till.commissioning
        let width = ExchangeDetail.bodyWidth(forWindowWidth: layout.width)
        switch open {
        case .settings(let scroll, let atEnd):
            guard let sheet = facts.profile else { return }
            let name = sheet.source == .builtIn ? Strings.demoProfile : Strings.profileName(sheet.name)
            page(title: Strings.settingsTitle(name(language))(language), keys: Strings.settingsKeys(language), scroll: atEnd ? Int.max : scroll,
                 lines: CommissioningPages.settings(sheet, width: width, language: language, glyphs: glyphs))
        case .doctor(let scroll, let follows):
            guard let progress = facts.doctor else { return }
            let keys = progress.finished ? Strings.doctorAgainKeys : Strings.doctorKeys
            page(title: Strings.doctorTitle(progress.target)(language), keys: keys(language), scroll: follows ? Int.max : scroll,
                 lines: CommissioningPages.doctor(progress, width: width, language: language, glyphs: glyphs))
        case .profiles(let selected):
            profiles(facts, selected: selected)
        }
    }

    /// A page over the whole window: framed, titled, scrolled, with its keys and position at the foot.
    private mutating func page(title: String, keys: String, scroll: Int, lines: [CommissioningPages.Line]) {
        let whole = Rect(x: 0, y: 0, width: layout.width, height: layout.height)
        grid.fill(whole, role: .dialog)
        grid.frame(whole, glyphs: glyphs, title: title)
        let inner = whole.inset(by: 1).padded(horizontally: 1)
        let first = max(0, min(scroll, lines.count - inner.height))
        for (row, line) in lines[first...].prefix(inner.height).enumerated() {
            var x = inner.x
            for piece in line.pieces {
                x += grid.put(piece.text, x: x, y: inner.y + row, limit: inner.maxX - x, role: piece.role)
            }
        }
        var foot = keys
        if lines.count > inner.height { foot += "  \(first + 1)–\(min(lines.count, first + inner.height))/\(lines.count)" }
        grid.put(" " + foot + " ", x: inner.x, y: inner.maxY, limit: inner.width, role: .title)
    }

    /// The profiles of the configuration file, the one in use marked, and what keeps the console
    /// on this terminal now, if anything.
    private mutating func profiles(_ facts: CommissioningFacts, selected: Int) {
        let width = min(72, layout.width - 4)
        var lines: [(String, Role)] = []
        func paragraph(_ text: String, _ role: Role) {
            for line in TerminalText.wrap(text, width: width - 4) { lines.append((line, role)) }
        }
        if case .file(let path)? = facts.profile?.source { paragraph(path, .muted); lines.append(("", .dialog)) }
        let nameWidth = min(20, (facts.profiles.map { TerminalText.width(of: Strings.profileName($0.name)(language)) }.max() ?? 0) + 2)
        for (index, choice) in facts.profiles.enumerated() {
            let pointer = index == selected ? glyphs.pointer + " " : "  "
            let name = TerminalText.fit(Strings.profileName(choice.name)(language), to: nameWidth, ellipsis: glyphs.ellipsis)
            let what: String
            if let problem = choice.problem {
                what = glyphs.unreachable + " " + Strings.profileUnusable(problem)(language)
            } else if let endpoint = choice.endpoint {
                what = endpoint + (choice.isActive ? "  " + glyphs.ready + " " + Strings.profileInUse(language) : "")
            } else {
                what = glyphs.unreachable + " " + Strings.profileNoTerminal(language)
            }
            // One line each, cut if need be: the selection bar marks a row.
            let role: Role = index == selected ? .selection : choice.endpoint == nil || choice.problem != nil ? .muted : .dialog
            lines.append((pointer + name + what, role))
        }
        lines.append(("", .dialog))
        if let why = CommissioningReducer.switchBlocker(till) {
            paragraph(why(language), .error)
            lines.append(("", .dialog))
        }
        paragraph(Strings.profilesKeys(language), .key)
        let inner = box(width: width, height: lines.count + 2, title: Strings.profilesTitle(language))
        for (index, (text, role)) in lines.enumerated() {
            grid.put(text, in: inner, row: index, role: role, ellipsis: glyphs.ellipsis)
        }
    }
}
