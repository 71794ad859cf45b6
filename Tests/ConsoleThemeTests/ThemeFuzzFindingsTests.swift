import XCTest
@testable import ConsoleTheme

/// Inputs the `theme` fuzz target found, kept as they were found (the reproducing bytes), each with
/// the behaviour that is right for it.
final class ThemeFuzzFindingsTests: XCTestCase {
    /// theme, crash-efa7658b…: a role name with 100 backspaces. The error echoed the word as it was,
    /// so printing it on the terminal rubbed out the message (an escape sequence in its place would
    /// have been obeyed). The file's words are now shown with control characters written as `\u{8}`.
    func testControlCharactersInAFileWordAreShownEscaped() {
        let text = "normal bright-white black bold,underline reverse\nmdefaultght-whitommen"
            + String(repeating: "\u{8}", count: 100) + "t\n"
        XCTAssertThrowsError(try Theme.parse(text, name: "t", file: "t")) { error in
            let description = "\(error)"
            XCTAssertTrue(description.hasPrefix("t:2: unknown role 'mdefaultght-whitommen\\u{8}\\u{8}"), description)
            XCTAssertFalse(description.unicodeScalars.contains { $0.value < 0x20 }, description)
        }
        for (text, expected) in [("approved \u{1B}[31mred default\n", "unknown colour '\\u{1B}[31mred'"),
                                 ("approved red default bold,\u{9B}2J\n", "unknown attribute '\\u{9B}2J'"),
                                 ("title\u{202E}x cyan default\n", "unknown role 'title\\u{202E}x'")] {
            XCTAssertThrowsError(try Theme.parse(text, name: "t", file: "t")) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
            }
        }
    }

    /// theme, crash-1123e8f0…: the shipped light theme, mutated, with one line ending in "\r\n".
    /// Lines were split on Characters, and "\r\n" is one Character, so that line and the next were
    /// read as one and the error named the wrong line. A file saved with Windows line ends (every
    /// line "\r\n") read as one long line and failed. Lines and fields are now split on scalars.
    func testWindowsLineEndsEndLines() throws {
        let found = """
        # qfecr theme "light": for light (white) terminals
        # One role a line:  ROLE  FOREGROUND  BACKGROUND  [ATTRIBUTE ...]
        # Colours: default black red green yellow blue magenta cyan white, and bright-blin colour in bold).
        # AttribuSet: bold dim underlCharacine\u{1C}reverse standout, or - for none.
        # A role leffecr/themes/NAME "normal". Copy this file to ~/.config/qfecr/themes/NAME to make your own.
        normal       default        default   -
        approved     green          default   bold
        declined     red            default   bold
        pending      blue           default   bold
        unresolved   white          red       bold
        cancelled    magenta        default   bold
        rejected     red            default   bold
        selection    white          blue      -
        border       bright-black   default   -
        title        blue           default   bold
        muted        bright-black   default   \u{D}
        input        black          default   bold
        error        red            default   bold
        status       default        default   -
        keybar       default        default   -
        key          blue           dSetult   bold
        banner       white          red     ) bold
        dialog       default        default   -
        customer     magenta        default   -

        """
        XCTAssertThrowsError(try Theme.parse(found, name: "t", file: "t")) { error in
            XCTAssertTrue("\(error)".hasPrefix("t:21: unknown colour 'dSetult'"), "\(error)")
        }
        let windows = "normal\tdefault\tdefault\t-\r\napproved green default bold\r\n# note\r\nmuted bright-black default dim\r\n"
        let theme = try Theme.parse(windows, name: "w", file: "w")
        XCTAssertEqual(theme.style(for: .approved), Style(foreground: .indexed(2), attributes: [.bold]))
        XCTAssertEqual(theme.style(for: .muted), Style(foreground: .indexed(8), attributes: [.dim]))
        XCTAssertThrowsError(try Theme.parse("normal default default\r\nmuted pink default\r\n", name: "w", file: "w")) { error in
            XCTAssertTrue("\(error)".hasPrefix("w:2: unknown colour 'pink'"), "\(error)")
        }
    }
}
