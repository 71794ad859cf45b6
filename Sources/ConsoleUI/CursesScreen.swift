import Foundation
import CNcursesw

/// Why the console cannot open.
public enum ConsoleError: Error, Sendable, Equatable, CustomStringConvertible {
    case notATerminal
    case cursesFailed(String)

    public var description: String {
        switch self {
        case .notATerminal:
            return "the console needs a terminal, and stdin or stdout is not one (piped or redirected): run qfecr in a terminal, or use the commands (qfecr pay, qfecr history …) in scripts"
        case .cursesFailed(let what):
            return "the terminal could not be set up (\(what)): check TERM (e.g. TERM=xterm-256color) and try again"
        }
    }
}

/// The ncurses side: opens the terminal, writes only the cells that changed, reads keys, and gives
/// the terminal back. Touched from the loop's thread only.
final class CursesScreen {
    private var previous: CellGrid?
    private let theme: Theme
    private var pairs: [Role: Int16] = [:]
    private var attributes: [Role: UInt32] = [:]
    private(set) var isOpen = false
    /// The locale is not UTF-8: curses would print other bytes as `M-x`, three cells for one.
    private let asciiOnly: Bool

    init(theme: Theme, asciiOnly: Bool) {
        self.theme = theme
        self.asciiOnly = asciiOnly
    }

    static var isTerminal: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    func open() throws(ConsoleError) {
        guard Self.isTerminal else { throw .notATerminal }
        Self.adoptLocale(wantsUTF8: !asciiOnly)
        guard initscr() != nil else { throw .cursesFailed("initscr") }
        isOpen = true
        cbreak()
        noecho()
        nonl()
        let screen = qfecr_stdscr()
        keypad(screen, true)
        nodelay(screen, true)
        intrflush(screen, false)
        set_escdelay(25)
        curs_set(0)
        var colours = 0
        var defaultColours = true
        if has_colors() {
            start_color()
            // Without "default" colours the terminal's own are taken to be white on black.
            defaultColours = use_default_colors() == OK
            colours = Int(qfecr_colors())
        }
        for (index, role) in Role.allCases.enumerated() {
            let style = theme.style(for: role).limited(to: colours)
            var bits = qfecr_a_normal()
            for attribute in style.attributes {
                switch attribute {
                case .bold: bits |= qfecr_a_bold()
                case .dim: bits |= qfecr_a_dim()
                case .underline: bits |= qfecr_a_underline()
                case .reverse: bits |= qfecr_a_reverse()
                case .standout: bits |= qfecr_a_standout()
                }
            }
            attributes[role] = bits
            if colours >= 8 {
                let pair = Int16(index + 1)
                init_pair(pair, Self.number(style.foreground, or: defaultColours ? -1 : 7),
                          Self.number(style.background, or: defaultColours ? -1 : 0))
                pairs[role] = pair
            }
        }
        previous = nil
    }

    /// Takes the environment's locale. One that asks for UTF-8 but is not installed on this machine
    /// (LANG=zh_TW.UTF-8 on a minimal system) would leave curses in "C", printing every byte of a
    /// box or a Chinese character as `M-x` garbage: then C.UTF-8, which glibc always has, draws it.
    static func adoptLocale(wantsUTF8: Bool) {
        if setlocale(LC_ALL, "") == nil, wantsUTF8 { _ = setlocale(LC_ALL, "C.UTF-8") }
    }

    private static func number(_ colour: ThemeColor, or terminalDefault: Int16) -> Int16 {
        switch colour {
        case .terminalDefault: return terminalDefault
        case .indexed(let n): return Int16(n)
        }
    }

    /// The terminal's size now (asked of the kernel, so a resize is seen even between signals).
    func size() -> (width: Int, height: Int) {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0, size.ws_row > 0 {
            return (Int(size.ws_col), Int(size.ws_row))
        }
        return (Int(qfecr_cols()), Int(qfecr_lines()))
    }

    /// Tells curses the new size; the next frame is written whole.
    func resize(width: Int, height: Int) {
        resizeterm(Int32(height), Int32(width))
        clearok(qfecr_stdscr(), true)
        previous = nil
    }

    /// Writes the cells that differ from the last frame.
    func draw(_ grid: CellGrid) {
        for run in grid.changes(from: previous) {
            var bits = attributes[run.role] ?? qfecr_a_normal()
            if run.strong { bits ^= qfecr_a_reverse(); bits |= qfecr_a_bold() }
            if let pair = pairs[run.role] { bits |= UInt32(bitPattern: qfecr_color_pair(Int32(pair))) }
            qfecr_attrset(bits)
            _ = mvaddstr(Int32(run.y), Int32(run.x), asciiOnly ? Self.ascii(run.text) : run.text)
        }
        qfecr_attrset(qfecr_a_normal())
        refresh()
        previous = grid
    }

    /// Common symbols an ASCII terminal can stand in for, one cell for one cell.
    static let asciiStandIns: [Character: Character] = [
        "↑": "^", "↓": "v", "←": "<", "→": ">", "–": "-", "—": "-", "×": "x", "…": "~", "·": "-", "▸": ">",
    ]

    /// What an ASCII terminal can show of `text`: stand-ins for common symbols, `?` for anything
    /// else, one per cell the character would take.
    static func ascii(_ text: String) -> String {
        var result = ""
        for character in text {
            if character.isASCII { result.append(character); continue }
            if let standIn = asciiStandIns[character] { result.append(standIn); continue }
            result += String(repeating: "?", count: TerminalText.width(of: character))
        }
        return result
    }

    /// Every key waiting on stdin (nothing blocks: stdin is read in no-delay mode).
    func readInput() -> [TerminalInput] {
        var inputs: [TerminalInput] = []
        var code: wint_t = 0
        while true {
            let result = wget_wch(qfecr_stdscr(), &code)
            if result == ERR { break }
            if let input = KeyDecoder.decode(UInt32(code), isFunctionKey: result == qfecr_key_code_yes()) { inputs.append(input) }
        }
        return inputs
    }

    /// Does what the wake pipe's signal bytes ask: Ctrl-Z suspends and comes back repainted, a resize
    /// (or a return) takes the new size. Returns the signal that ends the loop, if one came, and the
    /// new size, if it changed.
    func follow(_ bytes: [UInt8]) -> (end: Int32?, resized: (width: Int, height: Int)?) {
        var resized: (width: Int, height: Int)?
        for byte in bytes {
            switch Int32(byte) {
            case SIGINT, SIGTERM, SIGHUP: return (Int32(byte), resized)
            case SIGTSTP:
                suspend()
                TerminalGuard.stopProcess()
                resume()
            case SIGWINCH, SIGCONT:
                let now = size()
                resize(width: now.width, height: now.height)
                resized = now
            default: break
            }
        }
        return (nil, resized)
    }

    /// Gives the terminal back for a suspend; `resume()` takes it again and repaints everything.
    func suspend() {
        endwin()
    }

    func resume() {
        refresh()
        clearok(qfecr_stdscr(), true)
        previous = nil
    }

    func close() {
        guard isOpen else { return }
        endwin()
        isOpen = false
    }
}
