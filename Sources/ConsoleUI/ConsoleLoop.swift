import Foundation
import ECRProtocol

/// Where the console's till comes from and where its intents go (the engine host, or a test double).
public protocol TillSource: AnyObject, Sendable {
    /// What the till knows now. Called on the loop's thread; must not wait on the terminal.
    func currentTill() -> TillState
    /// Carries out an intent without blocking; what comes of it shows in a later till or a notice.
    func perform(_ intent: Intent)
    /// Messages for the cashier since the last call (answers to a query, refusals…).
    func takeNotices() -> [Notice]
    /// Called once before the first frame: call `wake()` whenever the till changes.
    func attach(_ wake: ConsoleWake)
}

public struct ConsoleSettings: Sendable {
    public var language: Language
    public var theme: Theme
    public var glyphs: Glyphs
    public var timeZone: TimeZone

    public init(language: Language, theme: Theme, glyphs: Glyphs, timeZone: TimeZone = .current) {
        self.language = language
        self.theme = theme
        self.glyphs = glyphs
        self.timeZone = timeZone
    }
}

/// How the loop ended.
public enum ConsoleExit: Sendable, Equatable {
    /// The cashier quit.
    case quit
    /// SIGINT, SIGTERM or SIGHUP (or the terminal went away).
    case signal(Int32)
}

/// The console's one UI thread: sleeps in poll() on stdin and the wake pipe (and a timer only when
/// the screen changes with time), renders the model into a grid, writes only changed cells.
public enum ConsoleLoop {
    public static func run(source: any TillSource, settings: ConsoleSettings) throws(ConsoleError) -> ConsoleExit {
        guard CursesScreen.isTerminal else { throw .notATerminal }
        let wake = try ConsoleWake()
        TerminalGuard.install(wakeDescriptor: wake.writeDescriptor)
        defer { TerminalGuard.uninstall() }
        let screen = CursesScreen(theme: settings.theme, asciiOnly: !settings.glyphs.isUnicode)
        try screen.open()
        defer { screen.close() }
        source.attach(wake)

        let size = screen.size()
        var view = ViewState(width: size.width, height: size.height)
        var frame: RenderedFrame?
        while true {
            let till = source.currentTill()
            for notice in source.takeNotices() { view = ConsoleReducer.reduce(view, .notice(notice), till: till).0 }
            let now = Date()
            let model = ScreenModel(till: till, view: view, now: now, language: settings.language, glyphs: settings.glyphs,
                                    timeZone: settings.timeZone)
            let drawn = ScreenRenderer.render(model, after: frame)
            screen.draw(drawn.grid)
            frame = drawn

            let wait = max(0, Int32(min(60_000, (model.nextTimedChange().timeIntervalSince(now) * 1000).rounded(.up))))
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, wait)
            if ready < 0 { continue } // EINTR: a signal's byte waits in the pipe

            let (end, resized) = screen.follow(wake.drain())
            if let end { return .signal(end) }
            if let size = resized { view = ConsoleReducer.reduce(view, .resized(width: size.width, height: size.height), till: till).0 }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, fds[0].revents & Int16(POLLIN) == 0 {
                return .signal(SIGHUP)
            }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            for input in screen.readInput() {
                switch input {
                case .resize:
                    let size = screen.size()
                    screen.resize(width: size.width, height: size.height)
                    view = ConsoleReducer.reduce(view, .resized(width: size.width, height: size.height), till: till).0
                case .key(let key):
                    let (next, intent) = ConsoleReducer.reduce(view, .key(key), till: source.currentTill())
                    view = next
                    if intent == .quit { return .quit }
                    if let intent { source.perform(intent) }
                }
            }
        }
    }
}
