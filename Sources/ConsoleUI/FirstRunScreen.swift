import Foundation
import ECRProtocol

/// A setting the console needs before it can open on a terminal.
public enum FirstRunSetting: Sendable, Hashable {
    /// `transport =` (always shown: http when the file says nothing).
    case transport
    /// Where the terminal is: `host` (LAN), `device` (serial) or `terminal_id` (cloud).
    case host, device, terminalID
    /// Its keys: the POS-KEY on LAN and serial, the app code and client key on the cloud.
    case posKey, cloudAppCode, cloudClientKey
}

/// One of the minimum settings, and whether the configuration (or the environment) has it.
public struct FirstRunItem: Sendable, Hashable {
    public var setting: FirstRunSetting
    public var isSet: Bool
    /// Set only by qfecr's default (the transport when the file names none): not shown as chosen.
    public var isDefault: Bool

    public init(_ setting: FirstRunSetting, isSet: Bool, isDefault: Bool = false) {
        self.setting = setting
        self.isSet = isSet
        self.isDefault = isSet && isDefault
    }
}

/// What the first-run screen says: where the configuration was looked for, the transport, and the
/// minimum settings with whether each is there yet.
public struct FirstRunFacts: Sendable, Hashable {
    public var configPath: String
    public var configExists: Bool
    /// `http`, `https`, `tcp`, `serial` or `cloud`.
    public var transport: String
    /// The minimum settings for that transport, in order.
    public var items: [FirstRunItem]

    public init(configPath: String, configExists: Bool, transport: String, items: [FirstRunItem]) {
        self.configPath = configPath
        self.configExists = configExists
        self.transport = transport
        self.items = items
    }

    public var isComplete: Bool { items.allSatisfy(\.isSet) }
}

/// The screen `qfecr` shows when nothing is configured: the console's frame, status line and key bar
/// around what to set and where, with the demo a key away. Pure: the same facts give the same cells.
public enum FirstRunScreen {
    /// One line of the body: runs of text, each in its role.
    typealias Line = [(String, Role)]

    public static func render(_ facts: FirstRunFacts, width: Int, height: Int, now: Date, language: Language,
                              glyphs: Glyphs = .unicode, timeZone: TimeZone = .current) -> CellGrid {
        if width < ScreenModel.minimumWidth || height < ScreenModel.minimumHeight {
            // The console's own "window too small" screen: F10 quits here too.
            return ScreenRenderer.render(ScreenModel(till: TillState(tillID: "", endpoint: ""), view: ViewState(width: width, height: height),
                                                     now: now, language: language, glyphs: glyphs, timeZone: timeZone))
        }
        var grid = CellGrid(width: width, height: height)
        grid.frame(Rect(x: 0, y: 0, width: width, height: height), glyphs: glyphs)
        statusLine(&grid, width: width, now: now, language: language, glyphs: glyphs, timeZone: timeZone)
        grid.keyBar(KeyTable.firstRun.filter(\.inKeyBar), y: height - 1, language: language)
        let inner = Rect(x: 2, y: 1, width: width - 4, height: height - 2)
        for (row, line) in fitted(body(facts, width: inner.width, language: language, glyphs: glyphs), rows: inner.height).enumerated() {
            var x = inner.x
            for (text, role) in line { x += grid.put(text, x: x, y: inner.y + row, limit: inner.maxX - x, role: role) }
        }
        return grid
    }

    /// The same words as plain text: for a pipe, and left on the terminal after the screen quits.
    public static func plainText(_ facts: FirstRunFacts, language: Language) -> String {
        let glyphs = Glyphs.unicode
        var lines = ["qfecr — " + Strings.firstRunTitle(language) + (language == .english ? ": " : "：") + Strings.firstRunNone(language)]
        // 78 columns: it reads whole on an 80-column terminal, where it is left when the screen quits.
        lines += body(facts, width: 78, language: language, glyphs: glyphs, forPlainText: true).map { line in
            var text = line.map(\.0).joined()
            while text.last == " " { text.removeLast() }
            return text
        }
        while lines.last == "" { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    static func statusLine(_ grid: inout CellGrid, width: Int, now: Date, language: Language, glyphs: Glyphs, timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: now)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let clock = " " + two(parts.hour) + ":" + two(parts.minute) + " "
        let room = width - 4 - TerminalText.width(of: clock)
        var x = 1
        for (text, role) in [(" qfecr " + glyphs.dot + " " + Strings.firstRunTitle(language) + " " + glyphs.dot + " ", Role.title),
                             (glyphs.unreachable + " " + Strings.firstRunNone(language), .error), (" ", .title)] {
            x += grid.put(TerminalText.truncate(text, to: room - (x - 1), ellipsis: glyphs.ellipsis), x: x, y: 0, limit: room - (x - 1), role: role)
        }
        grid.put(clock, x: width - 1 - TerminalText.width(of: clock), y: 0, role: .title)
    }

    /// What the screen says, wrapped to `width` cells.
    static func body(_ facts: FirstRunFacts, width: Int, language: Language, glyphs: Glyphs, forPlainText: Bool = false) -> [Line] {
        var lines: [Line] = []
        func blank() { lines.append([]) }
        func paragraph(_ text: String, _ role: Role) {
            for line in wrapKeepingCommands(text, width: width) { lines.append([(line, role)]) }
        }
        if !forPlainText {
            blank()
            paragraph(Strings.firstRunHeadline(language), .title)
        }
        blank()
        paragraph(Strings.firstRunWhere(facts.configPath, facts.configExists)(language), .normal)
        // The settings as a checklist: the line to write on the left, what it is on the right.
        let settingWidth = min(26, max(20, facts.items.map { TerminalText.width(of: Strings.firstRunLine($0.setting, facts.transport)) }.max() ?? 0))
        for item in facts.items {
            let mark = glyphs.mark(item.isDefault ? "·" : item.isSet ? "✔" : "✘")
            let setting = TerminalText.fit(Strings.firstRunLine(item.setting, facts.transport), to: settingWidth) + "  "
            let indent = 2 + TerminalText.width(of: mark) + 1 + TerminalText.width(of: setting)
            let state = item.isDefault ? Strings.firstRunDefault : item.isSet ? Strings.firstRunIsSet : Strings.firstRunMissing
            let about = state(language) + Strings.firstRunAbout(item.setting)(language)
            let role: Role = item.isSet ? .muted : .normal
            for (index, text) in TerminalText.wrap(about, width: max(10, width - indent)).enumerated() {
                lines.append(index == 0 ? [("  ", .normal), (mark, item.isDefault ? .muted : item.isSet ? .approved : .error), (" ", .normal), (setting, .input), (text, role)]
                                        : [(String(repeating: " ", count: indent) + text, role)])
            }
        }
        blank()
        paragraph((facts.configExists ? Strings.firstRunEdit : Strings.firstRunInit)(language), .normal)
        blank()
        if forPlainText {
            paragraph(Strings.firstRunDemoPlain(language), .normal)
        } else {
            for binding in KeyTable.firstRun {
                let keys = binding.keys.map(\.name).joined(separator: Strings.firstRunOr(language))
                let keyWidth = 12
                let texts = TerminalText.wrap(binding.help(language), width: width - keyWidth - 2)
                for (index, text) in texts.enumerated() {
                    lines.append([(index == 0 ? "  " + TerminalText.fit(keys, to: keyWidth) : String(repeating: " ", count: keyWidth + 2), .key),
                                  (text, .normal)])
                }
            }
            blank()
            paragraph(Strings.firstRunOwnKeys(language), .muted)
        }
        return lines
    }

    /// `wrap`, never breaking inside a `command` (so it reads, and copies, whole).
    static func wrapKeepingCommands(_ text: String, width: Int) -> [String] {
        let joiner: Character = "\u{E000}"
        var protected = ""
        var inCommand = false
        for character in text {
            if character == "`" { inCommand.toggle() }
            protected.append(inCommand && character == " " ? joiner : character)
        }
        return TerminalText.wrap(protected, width: width).map { String($0.map { $0 == joiner ? " " : $0 }) }
    }

    /// The lines in `rows` rows: blank lines give way first (from the bottom), then the end is cut.
    static func fitted(_ lines: [Line], rows: Int) -> [Line] {
        var lines = lines
        while lines.count > rows, let blank = lines.lastIndex(where: { $0.isEmpty }) { lines.remove(at: blank) }
        return Array(lines.prefix(rows))
    }
}
