import Foundation
import ECRProtocol

/// How the first-run screen ended.
public enum FirstRunExit: Sendable, Equatable {
    /// Enter or `d`: open the demo console in this terminal.
    case demo
    /// F10 or `x`.
    case quit
    /// SIGINT, SIGTERM or SIGHUP (or the terminal went away).
    case signal(Int32)
}

/// The first-run screen's loop: the console's terminal handling (poll on stdin and the wake pipe,
/// resize, Ctrl-Z, signals), drawing `FirstRunScreen` until a key decides.
enum FirstRunLoop {
    static func run(_ facts: FirstRunFacts, settings: ConsoleSettings) throws(ConsoleError) -> FirstRunExit {
        guard CursesScreen.isTerminal else { throw .notATerminal }
        let wake = try ConsoleWake()
        TerminalGuard.install(wakeDescriptor: wake.writeDescriptor)
        defer { TerminalGuard.uninstall() }
        let screen = CursesScreen(theme: settings.theme, asciiOnly: !settings.glyphs.isUnicode)
        try screen.open()
        defer { screen.close() }
        var size = screen.size()
        while true {
            let now = Date()
            screen.draw(FirstRunScreen.render(facts, width: size.width, height: size.height, now: now, language: settings.language,
                                              glyphs: settings.glyphs, timeZone: settings.timeZone))
            // The clock is the only thing that changes with time: wake for the next minute.
            let minute = ((now.timeIntervalSince1970 / 60).rounded(.down) + 1) * 60
            let wait = Int32(max(0, min(60_000, ((minute - now.timeIntervalSince1970) * 1000).rounded(.up))))
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 2, wait) < 0 { continue }
            let (end, resized) = screen.follow(wake.drain())
            if let end { return .signal(end) }
            if let resized { size = resized }
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0, fds[0].revents & Int16(POLLIN) == 0 { return .signal(SIGHUP) }
            guard fds[0].revents & Int16(POLLIN) != 0 else { continue }
            for input in screen.readInput() {
                switch input {
                case .resize:
                    size = screen.size()
                    screen.resize(width: size.width, height: size.height)
                case .key(let key):
                    if let exit = FirstRunScreen.exit(for: key, width: size.width, height: size.height) { return exit }
                }
            }
        }
    }
}

extension FirstRunScreen {
    /// What a key does on the first-run screen: Enter or `d` open the demo, F10 or `x` quit; while
    /// the window is too small only quitting (as in the console).
    public static func exit(for key: Key, width: Int, height: Int) -> FirstRunExit? {
        let tooSmall = width < ScreenModel.minimumWidth || height < ScreenModel.minimumHeight
        switch KeyTable.firstRunAction(for: key) {
        case .submit? where !tooSmall: return .demo
        case .quit?: return .quit
        default: return nil
        }
    }
}
