import Foundation
import XCTest
@testable import ConsoleUI

/// Every shipped theme is readable in every role, on 256-colour and on 8-colour terminals.
///
/// The rule (README, "Themes"): colours are taken as xterm's default palette draws them; `default`
/// is the terminal's own foreground and background for the kind of terminal the theme is made for
/// (dark: xterm white #e5e5e5 on black; light: black on white); on 8 colours a theme is taken as
/// `Style.limited(to: 8)` makes it. Bold and dim do not change a colour (terminals differ), reverse
/// swaps the two. The WCAG 2 contrast ratio of foreground and background must be at least 4.5:1 for
/// text in normal weight and 3:1 for bold text and for `border` (lines, not words).
final class ThemeContrastTests: XCTestCase {
    enum Ground: CaseIterable { case dark, light }

    /// The background each shipped theme is made for (mono has no colours: it must hold on both).
    static let grounds: [String: [Ground]] = ["default": [.dark], "high-contrast": [.dark], "light": [.light], "mono": [.dark, .light]]

    /// xterm's default palette, 0–15.
    static let xterm: [UInt32] = [0x000000, 0xCD0000, 0x00CD00, 0xCDCD00, 0x0000EE, 0xCD00CD, 0x00CDCD, 0xE5E5E5,
                                  0x7F7F7F, 0xFF0000, 0x00FF00, 0xFFFF00, 0x5C5CFF, 0xFF00FF, 0x00FFFF, 0xFFFFFF]

    static func rgb(_ colour: ThemeColor, foreground: Bool, on ground: Ground) -> UInt32 {
        switch colour {
        case .indexed(let n): return xterm[n]
        case .terminalDefault:
            switch ground {
            case .dark: return foreground ? 0xE5E5E5 : 0x000000
            case .light: return foreground ? 0x000000 : 0xFFFFFF
            }
        }
    }

    /// WCAG 2 relative luminance.
    static func luminance(_ rgb: UInt32) -> Double {
        func channel(_ shift: UInt32) -> Double {
            let c = Double((rgb >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    static func contrast(_ a: UInt32, _ b: UInt32) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    /// What the rule says is wrong with a theme, one line per role that fails.
    static func problems(_ theme: Theme, on ground: Ground) -> [String] {
        var problems: [String] = []
        for colours in [256, 8] {
            for role in Role.allCases {
                let style = theme.style(for: role).limited(to: colours)
                let ratio = contrast(rgb(style.foreground, foreground: true, on: ground), rgb(style.background, foreground: false, on: ground))
                let needed = role == .border || style.attributes.contains(.bold) ? 3.0 : 4.5
                if ratio < needed {
                    problems.append("\(theme.name) on a \(ground) terminal, \(colours) colours: \(role.rawValue) has contrast "
                                    + String(format: "%.2f", ratio) + ":1, needs \(needed):1")
                }
            }
        }
        return problems
    }

    func testTheRuleMeasuresAsWCAGDoes() {
        XCTAssertEqual(Self.contrast(0x000000, 0xFFFFFF), 21, accuracy: 0.01)
        XCTAssertEqual(Self.contrast(0x7F7F7F, 0xFFFFFF), 4.0, accuracy: 0.05, "xterm's grey on white: too faint for text")
        XCTAssertEqual(Self.contrast(0xFFFFFF, 0xFFFFFF), 1)
        let unreadable = try! Theme.parse("muted white white\nborder blue default\n", name: "t", file: "t")
        XCTAssertEqual(Self.problems(unreadable, on: .dark).count, 4, "\(Self.problems(unreadable, on: .dark))")
    }

    func testEveryShippedThemeIsReadableInEveryRoleOnItsBackground() throws {
        XCTAssertEqual(Set(Self.grounds.keys), Set(ThemeCatalog.shippedNames), "say which background each shipped theme is for")
        var problems: [String] = []
        for name in ThemeCatalog.shippedNames {
            let theme = try ThemeCatalog.shipped(name)
            for ground in Self.grounds[name] ?? [] { problems += Self.problems(theme, on: ground) }
        }
        XCTAssertEqual(problems, [], problems.joined(separator: "\n"))
    }

    /// Grey on an 8-colour terminal is the terminal's own colour, dimmed: black in bold vanishes on a
    /// dark background where bold does not brighten.
    func testBrightBlackOnEightColoursIsTheDefaultColourDimmed() {
        let grey = Style(foreground: .indexed(8), background: .terminalDefault)
        XCTAssertEqual(grey.limited(to: 8), Style(foreground: .terminalDefault, background: .terminalDefault, attributes: [.dim]))
        XCTAssertEqual(Style(foreground: .indexed(9)).limited(to: 8), Style(foreground: .indexed(1), attributes: [.bold]))
        XCTAssertEqual(grey.limited(to: 256), grey)
    }
}
