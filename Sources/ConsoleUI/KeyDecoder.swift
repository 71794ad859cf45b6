import CNcursesw

/// What the terminal sent, as the loop sees it.
public enum TerminalInput: Sendable, Hashable {
    case key(Key)
    case resize
}

/// Turns curses' `get_wch` results into keys: a character, or a function key code.
public enum KeyDecoder {
    public static func decode(_ code: UInt32, isFunctionKey: Bool) -> TerminalInput? {
        if isFunctionKey { return functionKey(Int32(bitPattern: code)) }
        switch code {
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 9: return .key(.tab)
        case 27: return .key(.escape)
        default:
            guard code >= 0x20, let scalar = Unicode.Scalar(code) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    static func functionKey(_ code: Int32) -> TerminalInput? {
        switch code {
        // The keypad's corner keys (Num Lock off) mean what their labels say.
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME, KEY_A1: return .key(.home)
        case KEY_END, KEY_C1: return .key(.end)
        case KEY_PPAGE, KEY_A3: return .key(.pageUp)
        case KEY_NPAGE, KEY_C3: return .key(.pageDown)
        case KEY_BACKSPACE, KEY_DC: return .key(.backspace)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case qfecr_key_resize(): return .resize
        default:
            let f0 = qfecr_key_f(0)
            if code > f0, code <= f0 + 24 { return .key(.function(Int(code - f0))) }
            return nil
        }
    }
}
