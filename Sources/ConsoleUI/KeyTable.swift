import ECRProtocol

/// A key as the console sees it, whatever terminal it came from.
public enum Key: Sendable, Hashable {
    case character(Character)
    case enter, backspace, escape, tab, backTab
    case up, down, left, right, pageUp, pageDown, home, end
    case function(Int)

    /// How the help screen and the key bar name the key.
    public var name: String {
        switch self {
        case .character(let c): return String(c)
        case .enter: return "Enter"
        case .backspace: return "Backspace"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "Shift-Tab"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .function(let n): return "F\(n)"
        }
    }
}

/// What a key asks for; the reducer decides what it means in the current screen.
public enum KeyAction: String, Sendable, Hashable, CaseIterable {
    case help, channel, refund, query, print, summary, settle, logFormat, logFilter, export, totals, reconcile, cancel, quit
    case settings, doctor, profiles
    case changeDay, adopt
    case typeDigit, deleteDigit, submit, moveUp, moveDown, pageUp, pageDown, nextPane, previousPane, inspect, confirm, decline
}

/// Where a binding applies, for the help screen.
public enum KeyContext: String, Sendable, Hashable {
    case everywhere, amount, lists, history, log, running, dialogs
    /// Commissioning views for a technician: one line of help for them all.
    case technician
    /// The reconcile view: its keys are listed in its own footer, not in help.
    case reconcile
    /// The first-run screen, a screen of its own: its keys never reach the console.
    case firstRun
}

/// One row of the key table: the keys, what they do in both languages, and where.
public struct KeyBinding: Sendable, Hashable {
    public let keys: [Key]
    /// Short, for the key bar.
    public let label: LocalizedText
    /// Longer, for the help screen.
    public let help: LocalizedText
    public let action: KeyAction
    public let context: KeyContext
    public let inKeyBar: Bool
}

/// The one key table: the key bar, the help screen and the reducer all read it (htop's FunctionBar
/// idea). Letters stand in for F-keys on terminals without them; digits and `.` stay the amount's.
public enum KeyTable {
    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.function(1), .character("h"), .character("?")], label: LocalizedText("Help", "說明"),
                   help: LocalizedText("this help: every key", "本說明：所有按鍵"), action: .help, context: .everywhere, inKeyBar: true),
        KeyBinding(keys: [.function(2), .character("c")], label: LocalizedText("Channel", "付款方式"),
                   help: LocalizedText("choose the channel (↑/↓ there)", "選擇付款方式（再按 ↑/↓）"), action: .channel, context: .everywhere, inKeyBar: true),
        KeyBinding(keys: [.function(3), .character("r")], label: LocalizedText("Refund", "退款"),
                   help: LocalizedText("refund the selected sale (full or part)", "退款所選交易（全額或部分）"), action: .refund, context: .history, inKeyBar: true),
        KeyBinding(keys: [.function(4), .character("q")], label: LocalizedText("Query", "查詢"),
                   help: LocalizedText("query the selected (or unresolved) transaction", "向終端查詢所選或未解決的交易"), action: .query, context: .history, inKeyBar: true),
        KeyBinding(keys: [.function(5), .character("p")], label: LocalizedText("Print", "列印"),
                   help: LocalizedText("print the selected transaction's receipt", "列印所選交易的收據"), action: .print, context: .history, inKeyBar: true),
        KeyBinding(keys: [.function(6), .character("s")], label: LocalizedText("Summary", "日結"),
                   help: LocalizedText("print the day's summary on the terminal", "於終端列印當日總結"), action: .summary, context: .everywhere, inKeyBar: true),
        KeyBinding(keys: [.function(7), .character("m")], label: LocalizedText("Settle", "手動結算"),
                   help: LocalizedText("settle an unresolved one by hand, with a reason", "手動結算未解決的交易（須填原因）"), action: .settle, context: .running, inKeyBar: false),
        KeyBinding(keys: [.function(8), .character("l")], label: LocalizedText("Log view", "紀錄格式"),
                   help: LocalizedText("log: decoded JSON, or the wire bytes in hex", "紀錄以 JSON 或線路位元組（十六進位）顯示"),
                   action: .logFormat, context: .everywhere, inKeyBar: false),
        KeyBinding(keys: [.character("f")], label: LocalizedText("Log filter", "紀錄篩選"),
                   help: LocalizedText("filter the log list: errors, then each operation", "篩選紀錄清單：錯誤，再逐一操作"),
                   action: .logFilter, context: .log, inKeyBar: false),
        KeyBinding(keys: [.function(9), .character("e")], label: LocalizedText("Export", "匯出"),
                   help: LocalizedText("the log list, or the open exchange, to a file", "將紀錄清單或開啟的通訊匯出至檔案"),
                   action: .export, context: .log, inKeyBar: false),
        KeyBinding(keys: [.character("t")], label: LocalizedText("Totals", "今日合計"),
                   help: LocalizedText("today's totals by channel and state (Esc closes)", "今日按付款方式及狀態的合計（Esc 關閉）"),
                   action: .totals, context: .everywhere, inKeyBar: false),
        KeyBinding(keys: [.character("o")], label: LocalizedText("settings", "設定"),
                   help: LocalizedText("every setting and where it came from", "所有設定及其來源"), action: .settings, context: .technician, inKeyBar: false),
        KeyBinding(keys: [.character("d")], label: LocalizedText("doctor", "診斷"),
                   help: LocalizedText("run doctor's checks on the terminal", "對終端執行診斷檢查"), action: .doctor, context: .technician, inKeyBar: false),
        KeyBinding(keys: [.character("w")], label: LocalizedText("profile", "設定組"),
                   help: LocalizedText("switch to another profile", "切換至另一設定組"), action: .profiles, context: .technician, inKeyBar: false),
        KeyBinding(keys: [.character("k")], label: LocalizedText("Reconcile", "對帳"),
                   help: LocalizedText("check the day's journal against the terminal", "逐筆核對當日日誌與終端紀錄"),
                   action: .reconcile, context: .everywhere, inKeyBar: false),
        KeyBinding(keys: [.left, .right], label: LocalizedText("day", "換日"),
                   help: LocalizedText("reconcile: the day before or after", "對帳：前一日或後一日"),
                   action: .changeDay, context: .reconcile, inKeyBar: false),
        KeyBinding(keys: [.character("a")], label: LocalizedText("adopt", "採納"),
                   help: LocalizedText("reconcile: adopt the selected missed payment (asks first)", "對帳：採納所選的漏記付款（會先確認）"),
                   action: .adopt, context: .reconcile, inKeyBar: false),
        KeyBinding(keys: [.escape], label: LocalizedText("Cancel", "取消"),
                   help: LocalizedText("cancel the running sale (asks first); back, close", "取消進行中的交易（會先確認）· 返回／關閉"), action: .cancel, context: .everywhere, inKeyBar: true),
        KeyBinding(keys: [.function(10), .character("x")], label: LocalizedText("Quit", "離開"),
                   help: LocalizedText("quit (asks while a sale runs)", "離開（交易進行中會先確認）"), action: .quit, context: .everywhere, inKeyBar: true),
        KeyBinding(keys: Array("0123456789.").map { .character($0) }, label: LocalizedText("Amount", "金額"),
                   help: LocalizedText("type the amount in dollars, e.g. 12.50", "輸入金額，例如 12.50"), action: .typeDigit, context: .amount, inKeyBar: false),
        KeyBinding(keys: [.backspace], label: LocalizedText("Delete", "刪除"),
                   help: LocalizedText("delete the last digit", "刪除最後一位"), action: .deleteDigit, context: .amount, inKeyBar: false),
        KeyBinding(keys: [.enter], label: LocalizedText("Pay", "收款"),
                   help: LocalizedText("charge the amount on the selected channel", "以所選付款方式收款"), action: .submit, context: .amount, inKeyBar: false),
        // Enter means "pay" in the amount pane; the reducer reads it as this in the log pane.
        KeyBinding(keys: [.enter], label: LocalizedText("Exchange", "通訊詳情"),
                   help: LocalizedText("log pane: open the selected exchange (Esc closes)", "紀錄窗格：開啟所選通訊（Esc 關閉）"),
                   action: .inspect, context: .log, inKeyBar: false),
        KeyBinding(keys: [.up], label: LocalizedText("Up", "上"),
                   help: LocalizedText("previous channel, history row or exchange", "上一個付款方式、交易或通訊"), action: .moveUp, context: .lists, inKeyBar: false),
        KeyBinding(keys: [.down], label: LocalizedText("Down", "下"),
                   help: LocalizedText("next channel, history row or exchange", "下一個付款方式、交易或通訊"), action: .moveDown, context: .lists, inKeyBar: false),
        KeyBinding(keys: [.pageUp], label: LocalizedText("Page up", "上一頁"),
                   help: LocalizedText("a page of history up", "交易紀錄上一頁"), action: .pageUp, context: .history, inKeyBar: false),
        KeyBinding(keys: [.pageDown], label: LocalizedText("Page down", "下一頁"),
                   help: LocalizedText("a page of history down", "交易紀錄下一頁"), action: .pageDown, context: .history, inKeyBar: false),
        KeyBinding(keys: [.tab], label: LocalizedText("Pane", "窗格"),
                   help: LocalizedText("move between amount, channel and history", "在金額、付款方式及交易紀錄之間切換"), action: .nextPane, context: .everywhere, inKeyBar: true),
        KeyBinding(keys: [.backTab], label: LocalizedText("Pane back", "上一窗格"),
                   help: LocalizedText("move back between panes", "返回上一窗格"), action: .previousPane, context: .everywhere, inKeyBar: false),
        KeyBinding(keys: [.character("y"), .enter], label: LocalizedText("Yes", "是"),
                   help: LocalizedText("confirm", "確認"), action: .confirm, context: .dialogs, inKeyBar: false),
        KeyBinding(keys: [.character("n"), .escape], label: LocalizedText("No", "否"),
                   help: LocalizedText("decline", "拒絕"), action: .decline, context: .dialogs, inKeyBar: false),
    ]

    /// The first-run screen's own keys (`d` there starts the demo; the console never reads this list).
    public static let firstRun: [KeyBinding] = [
        KeyBinding(keys: [.enter, .character("d")], label: LocalizedText("Demo", "示範"),
                   help: LocalizedText("try the console now on the built-in simulator (qfecr demo)", "立即以內建模擬器試用收銀台（qfecr demo）"),
                   action: .submit, context: .firstRun, inKeyBar: true),
        KeyBinding(keys: [.function(10), .character("x")], label: LocalizedText("Quit", "離開"),
                   help: LocalizedText("quit; set the terminal up first", "離開，先設定終端"), action: .quit, context: .firstRun, inKeyBar: true),
    ]

    /// The action of a key on the first-run screen.
    public static func firstRunAction(for key: Key) -> KeyAction? {
        if case .character(let c) = key, let lower = c.lowercased().first, lower != c { return firstRunAction(for: .character(lower)) }
        return firstRun.first { $0.keys.contains(key) }?.action
    }

    /// The action of a key outside dialogs (dialogs read `confirm` / `decline` first).
    public static func action(for key: Key) -> KeyAction? {
        if case .character(let c) = key, let upper = c.lowercased().first, upper != c {
            return action(for: .character(upper))
        }
        return bindings.first { $0.context != .dialogs && $0.keys.contains(key) }?.action
    }

    /// The action of a key inside a yes/no dialog.
    public static func dialogAnswer(for key: Key) -> KeyAction? {
        bindings.first { $0.context == .dialogs && $0.keys.contains(key) }?.action
    }

    public static var keyBar: [KeyBinding] { bindings.filter(\.inKeyBar) }

    /// Key-bar entries dropped first when the bar is narrower than all of them (they stay in F1's help).
    static let keyBarDropOrder: [KeyAction] = [.print, .summary, .refund, .query]

    /// The key bar for `width` columns: every entry when they fit, else without the ones least needed
    /// to find the rest (Tab, F1 and F10 stay).
    public static func keyBar(fitting width: Int, language: Language) -> [KeyBinding] {
        func length(_ bar: [KeyBinding]) -> Int {
            bar.reduce(-1) { $0 + 1 + TerminalText.width(of: $1.keys[0].name) + 1 + TerminalText.width(of: $1.label.text(in: language)) }
        }
        var bar = keyBar
        for action in keyBarDropOrder where length(bar) > width { bar.removeAll { $0.action == action } }
        return bar
    }

    /// One line of the help screen.
    public struct HelpRow: Sendable, Hashable {
        public let keys: String
        public let label: LocalizedText
        public let help: LocalizedText
    }

    /// Bindings that read best as one help line (so 80×24 has room for the simulator's table).
    static let pairs: [KeyAction: (KeyAction, LocalizedText, LocalizedText)] = [
        .refund: (.query, LocalizedText("Sale", "交易"), LocalizedText("F3 refund the selected sale; F4 query it",
                                                                   "F3 退款所選交易（全額或部分）；F4 向終端查詢")),
        .print: (.summary, LocalizedText("Print", "列印"), LocalizedText("F5 the selected receipt; F6 the day's summary",
                                                                   "F5 所選交易的收據；F6 當日總結")),
        .moveUp: (.moveDown, LocalizedText("Move", "移動"), LocalizedText("channel, history row, exchange; scroll", "付款方式、交易、通訊；捲動")),
        .pageUp: (.pageDown, LocalizedText("Page", "翻頁"), LocalizedText("a page of history, log or exchange up or down", "交易紀錄、紀錄或通訊上／下一頁")),
        .nextPane: (.previousPane, LocalizedText("Pane", "窗格"), LocalizedText("next / previous: amount, channel, history, log",
                                                                              "下一／上一：金額、付款方式、交易紀錄、紀錄")),
        .typeDigit: (.deleteDigit, LocalizedText("Amount", "金額"), LocalizedText("type it in dollars, e.g. 12.50; Backspace deletes",
                                                                                "輸入金額，例如 12.50；Backspace 刪除")),
        .submit: (.inspect, LocalizedText("Pay / Open", "收款／開啟"), LocalizedText("pay the amount; in the log: open the exchange",
                                                                                "收款；於紀錄窗格：開啟所選通訊")),
        .logFilter: (.export, LocalizedText("Log list", "紀錄清單"), LocalizedText("f filters it; F9 / e exports it (or the exchange)",
                                                                                  "f 篩選；F9／e 匯出清單或開啟的通訊")),
        .confirm: (.decline, LocalizedText("Yes / No", "是／否"), LocalizedText("in a question: yes (y, Enter) or no (n, Esc)",
                                                                             "對話框：是（y、Enter）或否（n、Esc）")),
        .totals: (.reconcile, LocalizedText("Today", "今日"), LocalizedText("t totals; k checks the day against the terminal",
                                                                          "t 合計；k 逐筆與終端對帳")),
    ]

    /// How a pair's keys read where "A / B" would be wrong or too wide.
    static let pairKeys: [KeyAction: String] = [.typeDigit: "0–9 . Backspace", .submit: "Enter", .confirm: "y n Enter Esc"]

    /// The help screen's lines, from the table.
    public static var helpRows: [HelpRow] {
        var rows: [HelpRow] = []
        var skipped: Set<KeyAction> = []
        for binding in bindings where !skipped.contains(binding.action) && binding.context != .reconcile {
            if binding.context == .technician {
                // One line: `o / d / w   Technician   o settings · d doctor · w profile`.
                let group = bindings.filter { $0.context == .technician }
                skipped.formUnion(group.map(\.action))
                func joined(_ language: Language) -> String {
                    group.map { keyNames($0) + " " + $0.label.text(in: language) }.joined(separator: " · ")
                }
                rows.append(HelpRow(keys: group.map(keyNames).joined(separator: " / "), label: LocalizedText("Technician", "技術人員"),
                                    help: LocalizedText(joined(.english), joined(.traditionalChinese))))
            } else if let (second, label, help) = pairs[binding.action], let other = bindings.first(where: { $0.action == second }) {
                skipped.insert(second)
                let keys = pairKeys[binding.action] ?? keyNames(binding) + " / " + keyNames(other)
                rows.append(HelpRow(keys: keys, label: label, help: help))
            } else {
                rows.append(HelpRow(keys: keyNames(binding), label: binding.label, help: binding.help))
            }
        }
        return rows
    }

    /// The key names of a binding as help shows them: `F1 / h / ?`, digits folded to `0–9 .`.
    public static func keyNames(_ binding: KeyBinding) -> String {
        if binding.action == .typeDigit { return "0–9 ." }
        return binding.keys.map(\.name).joined(separator: " / ")
    }
}
