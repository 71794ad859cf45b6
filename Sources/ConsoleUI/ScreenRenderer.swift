import Foundation
import ECRProtocol
import ECREngine

/// Draws a `ScreenModel` into a cell grid: the main screen, its dialogs, help, and the too-small
/// screen. Pure: the same model gives the same cells.
public enum ScreenRenderer {
    public static func render(_ model: ScreenModel) -> CellGrid {
        var screen = Painter(model: model, grid: CellGrid(width: model.view.width, height: model.view.height))
        if model.view.isTooSmall {
            screen.tooSmall()
        } else {
            screen.main()
            switch model.view.dialog {
            case .help?: screen.help()
            case .exchange(let open)?: screen.exchange(open)
            case .totals?: screen.totals()
            case .commissioning(let open)?: screen.commissioning(open)
            case .reconcile(let open)?: screen.reconcile(open)
            case let dialog?: screen.dialog(dialog)
            case nil: break
            }
        }
        return screen.grid
    }

    /// The role a state's word, glyph and colour take.
    public static func role(of state: AttemptState) -> Role {
        switch state {
        case .approved: return .approved
        case .declined: return .declined
        case .cancelled, .cancelling: return .cancelled
        case .rejected: return .rejected
        case .unresolved: return .unresolved
        case .created, .sending, .awaiting, .unknown: return .pending
        }
    }

    /// The state as the cashier sees it: a trade on its way is already at the terminal, in front of
    /// the customer (over LAN the request is answered only once the customer has paid).
    static func shown(_ state: AttemptState) -> AttemptState { state == .sending ? .awaiting : state }
}

/// One frame being drawn.
struct Painter {
    let model: ScreenModel
    var grid: CellGrid
    let layout: Layout
    let language: Language
    let glyphs: Glyphs
    let calendar: Calendar

    init(model: ScreenModel, grid: CellGrid) {
        self.model = model
        self.grid = grid
        let messageLines = Painter.message(model).map { TerminalText.wrap($0.0, width: model.view.width - 2).count } ?? 1
        layout = Layout(width: model.view.width, height: model.view.height, showsCustomer: model.till.customer != nil,
                        messageLines: messageLines)
        language = model.language
        glyphs = model.glyphs
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = model.timeZone
        self.calendar = calendar
    }

    var till: TillState { model.till }
    var view: ViewState { model.view }

    func time(_ date: Date, seconds: Bool) -> String {
        let parts = calendar.dateComponents([.hour, .minute, .second], from: date)
        func two(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return two(parts.hour) + ":" + two(parts.minute) + (seconds ? ":" + two(parts.second) : "")
    }

    func mark(_ state: AttemptState) -> String { glyphs.mark(ScreenRenderer.shown(state).glyph) }

    /// The state's word as the cashier sees it (see `ScreenRenderer.shown`).
    func word(_ state: AttemptState) -> String { ScreenRenderer.shown(state).word.text(in: language) }

    // MARK: The main screen

    mutating func main() {
        let width = layout.width
        grid.frame(Rect(x: 0, y: 0, width: width, height: layout.height), glyphs: glyphs)
        header()
        for y in 1..<layout.ruleRow {
            grid.put(String(glyphs.vertical), x: layout.firstSeparator, y: y, role: .border)
            grid.put(String(glyphs.vertical), x: layout.secondSeparator, y: y, role: .border)
        }
        let historyFocused = view.focus == .history && view.dialog == nil
        grid.rule(x: 0, y: layout.ruleRow, width: width, glyphs: glyphs,
                  title: (historyFocused ? glyphs.pointer + " " : "") + Strings.historyTitle(language),
                  titleRole: historyFocused ? .selection : .title)
        grid.put(String(glyphs.teeUp), x: layout.firstSeparator, y: layout.ruleRow, role: .border)
        grid.put(String(glyphs.teeUp), x: layout.secondSeparator, y: layout.ruleRow, role: .border)
        amountPane()
        channelPane()
        logPane()
        customerPane()
        historyPane()
        messageLine()
        keyBar()
    }

    mutating func header() {
        let linkText: (String, Role)
        switch till.link {
        case .ready: linkText = (glyphs.ready + " " + Strings.ready(language), .approved)
        case .busy: linkText = (glyphs.busy + " " + Strings.busy(language), .pending)
        case .unreachable: linkText = (glyphs.unreachable + " " + Strings.unreachable(language), .error)
        case .tlsRefused: linkText = (glyphs.unreachable + " " + Strings.linkTLSRefused(language), .error)
        }
        let dot = " " + glyphs.dot + " "
        let clock = " " + time(model.now, seconds: false) + " "
        let room = layout.width - 4 - TerminalText.width(of: clock)
        // A named profile stands where the program's name does (the width goes to the key's ending).
        let name = till.commissioning.profile?.name ?? "qfecr"
        var parts: [(String, Role)] = [(" " + name + dot + Strings.till(till.tillID)(language) + dot + till.endpoint + " ", .title),
                                       (linkText.0, linkText.1)]
        if let key = till.maskedKey {
            parts.append((dot + Strings.key(key.replacingOccurrences(of: "…", with: glyphs.ellipsis))(language), .title))
        }
        parts.append((" ", .title))
        var x = 1
        for (text, role) in parts {
            let fitted = TerminalText.truncate(text, to: room - (x - 1), ellipsis: glyphs.ellipsis)
            x += grid.put(fitted, x: x, y: 0, limit: room - (x - 1), role: role)
        }
        grid.put(clock, x: layout.width - 1 - TerminalText.width(of: clock), y: 0, role: .title)
    }

    mutating func paneTitle(_ text: String, in rect: Rect, focused: Bool) {
        // Marked, not only coloured: ↑/↓ act in the pane with the pointer.
        grid.put((focused ? glyphs.pointer + " " : "") + text, in: rect, role: focused ? .selection : .title, ellipsis: glyphs.ellipsis)
    }

    mutating func amountPane() {
        let rect = layout.amount
        paneTitle(Strings.amountTitle(till.currency)(language), in: rect, focused: view.focus == .amount && view.dialog == nil)
        let caret = view.focus == .amount ? "_" : " "
        let typed = view.amountText.isEmpty ? "0.00" : view.amountText
        grid.put(typed + caret, in: rect, row: 2, alignment: .right, role: view.amountText.isEmpty ? .muted : .input)
        var row = 3
        if let problem = view.amountProblem {
            // Whole, however narrow the pane: a cut rule does not say what to do.
            for line in TerminalText.wrap(problem(language), width: rect.width).prefix(4) {
                grid.put(line, in: rect, row: row, role: .error); row += 1
            }
        }
        // A row free above the result, taken only when a long reason needs it.
        let earliest = row + 1
        row = max(row + 1, 5)
        // Typing a new amount: the last result gives way (it stays in the history).
        guard let attempt = till.current, attempt.state.isActive || view.amountText.isEmpty else {
            for line in TerminalText.wrap(Strings.typeHint(language), width: rect.width).prefix(rect.height - row) {
                grid.put(line, in: rect, row: row, role: .muted); row += 1
            }
            return
        }
        let role = ScreenRenderer.role(of: attempt.state)
        let kind = attempt.kind == .refund ? Strings.refund(language) + " " : ""
        var lines: [(String, Role)] = []
        if attempt.state.isActive {
            lines.append((mark(attempt.state) + " " + kind + word(attempt.state), role))
            lines.append((attempt.amount.display + " " + (attempt.channel?.name.text(in: language) ?? ""), .normal))
            // A trade on its way is at the terminal, in front of the customer.
            let what: LocalizedText = attempt.cancelRequested ? Strings.cancelSent
                : attempt.state == .unknown ? Strings.checking : Strings.waitingCustomer
            for line in TerminalText.wrap(what(language), width: rect.width) { lines.append((line, .normal)) }
            if let deadline = attempt.deadline {
                let left = max(0, Int(deadline.timeIntervalSince(model.now).rounded(.up)))
                lines.append((Strings.secondsLeft(left)(language), .pending))
            }
            if !attempt.cancelRequested { lines.append((Strings.escCancels(language), .muted)) }
        } else {
            // The result, large: a band in the state's role with glyph and word.
            let message = outcome(attempt)
            let card = ResultCard(headline: mark(attempt.state) + " " + kind + attempt.state.word.text(in: language).uppercased(),
                                  role: role,
                                  amountLine: attempt.amount.display + " " + (attempt.channel?.name.text(in: language) ?? ""),
                                  syssn: attempt.syssn.map { syssn in
                                      let label = Strings.syssn(language) + " "
                                      return label + tail(syssn, rect.width - TerminalText.width(of: label))
                                  },
                                  order: attempt.channelOrderNo.map { Strings.orderNo(language) + " " + $0 },
                                  reason: attempt.state == .approved ? "" : message)
            if card.essentialRows(width: rect.width) > rect.height - row { row = earliest }
            for line in card.rows(width: rect.width, height: rect.height - row, ellipsis: glyphs.ellipsis) {
                grid.put(line.text, in: rect, row: row, alignment: line.band ? .center : .left, role: line.role, ellipsis: glyphs.ellipsis)
                if line.band { grid.emphasize(Rect(x: rect.x, y: rect.y + row, width: rect.width, height: 1)) }
                row += 1
            }
            return
        }
        for (text, lineRole) in lines where row < rect.height {
            grid.put(text, in: rect, row: row, role: lineRole, ellipsis: glyphs.ellipsis)
            row += 1
        }
    }

    mutating func channelPane() {
        let rect = layout.channel
        let focused = view.focus == .channel && view.dialog == nil
        paneTitle(Strings.channelTitle(language), in: rect, focused: focused)
        let selected = view.selectedChannel(in: till)
        for (index, choice) in till.channels.enumerated() where index + 1 < rect.height {
            let isSelected = choice.channel == selected
            let pointer = isSelected ? glyphs.pointer + " " : "  "
            // A channel the terminal cannot take is dimmed and crossed; the reason is said once below.
            let text = pointer + choice.channel.name.text(in: language) + (choice.isEnabled ? "" : " " + glyphs.unreachable)
            let role: Role = !choice.isEnabled ? .muted : isSelected && focused ? .selection : isSelected ? .input : .normal
            grid.put(text, in: rect, row: index + 1, role: role, ellipsis: glyphs.ellipsis)
        }
        if let reason = till.channels.lazy.compactMap(\.disabledReason).first, till.channels.count + 1 < rect.height {
            grid.put(glyphs.unreachable + " " + reason(language), in: rect, row: rect.height - 1, role: .muted, ellipsis: glyphs.ellipsis)
        }
    }

    mutating func logPane() {
        if view.focus == .log || view.logFilter != .all { return logList() }
        let rect = layout.log
        paneTitle((view.logAsHex ? Strings.logTitleHex : Strings.logTitle)(language), in: rect, focused: false)
        let rows = rect.height - 1
        let log = view.logAsHex ? till.hexLog : till.log
        if log.isEmpty {
            grid.put(Strings.logEmpty(language), in: rect, row: 1, role: .muted, ellipsis: glyphs.ellipsis)
            return
        }
        for (index, line) in log.suffix(rows).enumerated() {
            let arrow = glyphs.mark(line.direction)
            let x = rect.x
            let y = rect.y + 1 + index
            var used = grid.put(time(line.at, seconds: true) + " ", x: x, y: y, limit: rect.width, role: .muted)
            used += grid.put(arrow + " ", x: x + used, y: y, limit: rect.width - used, role: line.direction == "←" ? .title : .normal)
            grid.put(TerminalText.fit(line.text, to: rect.width - used, ellipsis: glyphs.ellipsis), x: x + used, y: y,
                     limit: rect.width - used, role: .normal)
        }
    }

    /// The log as a list of exchanges, one a line, oldest at the top; the selected one marked.
    mutating func logList() {
        let rect = layout.log
        let visible = view.visibleLog(in: till)
        let focused = view.focus == .log && view.dialog == nil
        paneTitle(Strings.logListTitle(view.logFilter, visible.count, till.exchanges.count)(language), in: rect, focused: focused)
        guard !visible.isEmpty else {
            let text = till.exchanges.isEmpty ? Strings.logEmpty : Strings.logNoneMatch
            grid.put(text(language), in: rect, row: 1, role: .muted, ellipsis: glyphs.ellipsis)
            return
        }
        let rows = rect.height - 1
        let selected = min(view.logIndex, visible.count - 1)
        // Newest first in `visible`: keep the selected one on screen, the newest at the bottom.
        let newest = max(0, min(selected - rows + 1, visible.count - rows))
        let shown = visible[newest...].prefix(rows).reversed()
        for (row, entry) in shown.enumerated() {
            let index = newest + shown.count - 1 - row
            let y = rect.y + 1 + row
            let isSelected = index == selected
            let failed = LogFilter.errors.admits(entry)
            let pointer = isSelected ? glyphs.pointer : " "
            let mark = entry.kind == .note ? "·" : !entry.finished ? glyphs.busy : failed ? glyphs.unreachable : glyphs.ready
            let text = pointer + time(entry.at, seconds: true) + " " + mark + " " + entry.line
            let role: Role = isSelected && focused ? .selection : failed ? .error : entry.kind == .note ? .muted : .normal
            grid.put(TerminalText.fit(text, to: rect.width, ellipsis: glyphs.ellipsis), x: rect.x, y: y, limit: rect.width, role: role)
        }
    }

    mutating func customerPane() {
        guard let rect = layout.customer, var lines = till.customer?.map({ $0(language) }) else { return }
        grid.rule(x: rect.x - 1, y: rect.y, width: rect.width + 2, glyphs: glyphs, title: Strings.customerTitle(language))
        if let running = till.running, running.kind == .payment, let channel = running.channel {
            lines.append(mark(running.state) + " " + Strings.customerPaying(running.amount.display, channel.name)(language))
        }
        for (index, line) in lines.suffix(rect.height - 1).enumerated() {
            grid.put(line, in: rect, row: index + 1, role: .customer, ellipsis: glyphs.ellipsis)
        }
    }

    mutating func historyPane() {
        let rect = layout.history
        guard !till.history.isEmpty else {
            grid.put(Strings.historyEmpty(language), in: rect, row: 0, role: .muted)
            return
        }
        let selected = min(view.historyIndex, till.history.count - 1)
        let first = max(0, min(selected - rect.height + 1, till.history.count - rect.height))
        let focused = view.focus == .history && view.dialog == nil
        let wideID = rect.width >= 110
        for (row, attempt) in till.history[first...].prefix(rect.height).enumerated() {
            let index = first + row
            let pointer = index == selected ? glyphs.pointer : " "
            let id = wideID ? attempt.outTradeNo : tail(attempt.outTradeNo, 12)
            let kind = attempt.kind == .refund ? Strings.refund(language) : Strings.sale(language)
            let channel = attempt.channel?.name.text(in: language) ?? ""
            let state = mark(attempt.state) + " " + word(attempt.state)
            let y = rect.y + row
            var x = rect.x
            let rowRole: Role? = index == selected && focused ? .selection : nil
            let columns: [(String, Int, TerminalText.Alignment, Role)] = [
                (pointer + time(attempt.createdAt, seconds: false), 6, .left, .muted),
                (id, wideID ? 24 : 12, .left, .normal),
                (kind, 6, .left, attempt.kind == .refund ? .title : .normal),
                (attempt.amount.display, 9, .right, .input),
                (channel, rect.width >= 96 ? 18 : 12, .left, .normal), // from 100 columns the name is whole
                (state, 12, .left, ScreenRenderer.role(of: attempt.state)),
            ]
            let detailWidth = rect.maxX - x - columns.reduce(0) { $0 + $1.1 + 1 }
            let detail = attempt.refundOf.map { Strings.refundOf(tail($0, detailWidth - TerminalText.width(of: Strings.refundOf("")(language))))(language) }
                ?? attempt.syssn.map { tail($0, detailWidth) } ?? outcome(attempt)
            for (text, width, alignment, role) in columns {
                grid.put(TerminalText.fit(text, to: width, alignment: alignment, ellipsis: glyphs.ellipsis) + " ",
                         x: x, y: y, limit: rect.maxX - x, role: rowRole ?? role)
                x += width + 1
            }
            grid.put(TerminalText.fit(detail, to: rect.maxX - x, ellipsis: glyphs.ellipsis), x: x, y: y,
                     limit: rect.maxX - x, role: rowRole ?? .muted)
        }
    }

    /// The end of an identifier when it does not fit: its last digits tell transactions apart.
    func tail(_ text: String, _ width: Int) -> String { Painter.tail(text, width, glyphs: glyphs) }

    static func tail(_ text: String, _ width: Int, glyphs: Glyphs) -> String {
        guard TerminalText.width(of: text) > width, width > 1 else { return text }
        return glyphs.ellipsis + String(text.suffix(width - TerminalText.width(of: glyphs.ellipsis)))
    }

    /// The message line's text and role, if any: the unresolved banner, a notice, another terminal's
    /// unfinished trade, or why the last attempt did not go through (until a new amount is typed).
    static func message(_ model: ScreenModel) -> (String, Role)? {
        let till = model.till, view = model.view, glyphs = model.glyphs, language = model.language
        func tail(_ id: String) -> String { Painter.tail(id, 14, glyphs: glyphs) }
        if let open = till.unresolved.first {
            return (glyphs.mark(AttemptState.unresolved.glyph) + " " + Strings.banner(tail(open.outTradeNo), open.amount.display)(language), .banner)
        } else if let notice = view.notice {
            return (notice.text(language), notice.role)
        } else if let other = till.elsewhere.first {
            return (glyphs.mark(other.state.glyph) + " " + Strings.elsewhere(till.elsewhere.count, tail(other.outTradeNo))(language), .pending)
        } else if let current = till.current, !current.state.isActive, current.state != .approved, view.amountText.isEmpty {
            let text = OutcomeText.render(current.reason, language: language)
            return text.isEmpty ? nil : (text, .muted)
        }
        return nil
    }

    /// One line, or two (taken from the history) when the message is longer than the width.
    mutating func messageLine() {
        guard let (text, role) = Painter.message(model) else { return }
        let top = layout.messageRow - layout.messageLines + 1
        let rect = Rect(x: 1, y: top, width: layout.width - 2, height: layout.messageLines)
        for (index, line) in TerminalText.wrap(text, width: rect.width, lines: rect.height, ellipsis: glyphs.ellipsis).enumerated() {
            grid.put(line, in: rect, row: index, role: role, ellipsis: glyphs.ellipsis)
        }
    }

    /// What happened to an attempt, in the screen's language: the same words `qfecr pay` prints.
    func outcome(_ attempt: AttemptSummary) -> String {
        OutcomeText.render(attempt.reason, language: language)
    }

    mutating func keyBar() {
        // The cell left of the bottom-right corner stays the frame's: curses draws that corner by
        // inserting before it, which shifts a wide character there and loses the corner.
        grid.keyBar(KeyTable.keyBar(fitting: layout.width - 3, language: language), y: layout.height - 1, language: language)
    }

    // MARK: Overlays

    mutating func box(width: Int, height: Int, title: String) -> Rect {
        let w = min(width, layout.width - 2)
        let h = min(height, layout.height)
        let rect = Rect(x: (layout.width - w) / 2, y: (layout.height - h) / 2, width: w, height: h)
        grid.fill(rect, role: .dialog)
        grid.frame(rect, glyphs: glyphs, title: title)
        return rect.inset(by: 1).padded(horizontally: 1)
    }

    mutating func dialog(_ dialog: Dialog) {
        var lines: [(String, Role)] = []
        var title = ""
        func add(_ text: LocalizedText, _ role: Role = .dialog) { lines.append((text(language), role)) }
        switch dialog {
        case .help, .exchange, .totals, .commissioning, .reconcile: return
        case .confirmCancel:
            title = Strings.cancelTitle(language)
            if let running = till.running {
                let shown = ScreenRenderer.shown(running.state)
                lines.append((running.outTradeNo + "  " + running.amount.display + "  " + mark(shown) + " "
                              + (shown == .awaiting ? Strings.waitingWord(language) : word(shown)), .dialog))
                lines.append(("", .dialog))
            }
            add(Strings.cancelBody); lines.append(("", .dialog)); add(Strings.cancelKeys, .key)
        case .quitWhileRunning:
            title = Strings.quitTitle(language)
            add(Strings.quitBody); lines.append(("", .dialog)); add(Strings.quitKeys, .key)
        case .quitLosingAmount:
            title = Strings.quitTypedTitle(language)
            add(Strings.quitTypedBody(view.amountText)); lines.append(("", .dialog)); add(Strings.quitKeys, .key)
        case .sameAmount(let amount, _, let approved):
            title = Strings.sameTitle(language)
            add(Strings.sameBody(amount.display, approved.outTradeNo)); lines.append(("", .dialog)); add(Strings.sameKeys, .key)
        case .refund(let draft):
            title = Strings.refundTitle(language)
            let sale = draft.sale
            add(Strings.refundSale(sale.syssn ?? "", sale.amount.display, sale.channel?.name.text(in: language) ?? ""))
            add(Strings.refundable((sale.refundable ?? sale.amount).display))
            if sale.channel?.cardRulesApply == true { add(Strings.cardRule, .pending) }
            lines.append(("", .dialog))
            if draft.confirming {
                add(Strings.refundConfirm(draft.amountText, sale.syssn ?? ""), .title)
                lines.append(("", .dialog))
                add(Strings.refundConfirmKeys, .key)
            } else {
                lines.append((Strings.refundAmount(language) + " " + draft.amountText + "_", .input))
                if let problem = draft.problem { add(problem, .error) } else { lines.append(("", .dialog)) }
                add(Strings.refundKeys, .key)
            }
        case .settle(let draft):
            title = Strings.settleTitle(draft.attempt.outTradeNo)(language)
            add(Strings.settleBody)
            lines.append(("", .dialog))
            if let paid = draft.paid {
                add(Strings.settleReason(paid))
                lines.append((draft.reason + "_", .input))
                lines.append(("", .dialog))
                add(Strings.settleKeys, .key)
            } else {
                add(Strings.settleAsk, .key)
            }
        }
        let width = min(64, layout.width - 4)
        var wrapped: [(String, Role)] = []
        for (text, role) in lines {
            if text.isEmpty { wrapped.append(("", role)); continue }
            for line in TerminalText.wrap(text, width: width - 4) { wrapped.append((line, role)) }
        }
        let inner = box(width: width, height: wrapped.count + 2, title: title)
        for (index, (text, role)) in wrapped.enumerated() {
            grid.put(text, in: inner, row: index, role: role, ellipsis: glyphs.ellipsis)
        }
    }

    mutating func help() {
        let whole = Rect(x: 0, y: 0, width: layout.width, height: layout.height)
        grid.fill(whole, role: .dialog)
        grid.frame(whole, glyphs: glyphs, title: Strings.helpTitle(language))
        let inner = whole.inset(by: 1).padded(horizontally: 1)
        let lines = HelpScreen.lines(width: inner.width, rows: inner.height, notes: till.helpNotes, language: language, ellipsis: glyphs.ellipsis)
        let first = max(0, min(view.helpScroll, lines.count - inner.height))
        for (row, line) in lines[first...].prefix(inner.height).enumerated() {
            var x = inner.x
            for (text, role) in line { x += grid.put(text, x: x, y: inner.y + row, limit: inner.maxX - x, role: role) }
        }
        var hint = Strings.helpClose(language)
        if lines.count > inner.height { hint += " · ↑/↓ \(first + 1)–\(min(lines.count, first + inner.height))/\(lines.count)" }
        grid.put(" " + hint + " ", x: inner.x, y: inner.maxY, limit: inner.width, role: .title)
    }

    /// One exchange, over the whole window.
    mutating func exchange(_ open: ExchangeView) {
        guard let entry = till.exchanges.first(where: { $0.id == open.id }) else { return }
        let whole = Rect(x: 0, y: 0, width: layout.width, height: layout.height)
        grid.fill(whole, role: .dialog)
        grid.frame(whole, glyphs: glyphs, title: ExchangeDetail.title(entry)(language))
        let inner = whole.inset(by: 1).padded(horizontally: 1)
        let lines = ExchangeDetail.lines(entry, width: inner.width, language: language) { date in
            // Whole milliseconds first, so 11.4 s does not print as 11.399.
            let millis = Int64((date.timeIntervalSince1970 * 1000).rounded())
            let whole = Date(timeIntervalSince1970: TimeInterval(millis / 1000))
            let fraction = String(millis % 1000)
            return time(whole, seconds: true) + "." + String(repeating: "0", count: 3 - fraction.count) + fraction
        }
        let first = max(0, min(open.scroll, lines.count - inner.height))
        for (row, line) in lines[first...].prefix(inner.height).enumerated() {
            grid.put(line.text, in: inner, row: row, role: line.role, ellipsis: glyphs.ellipsis)
        }
        var hint = Strings.exchangeKeys(language)
        if lines.count > inner.height { hint += "  \(first + 1)–\(min(lines.count, first + inner.height))/\(lines.count)" }
        grid.put(" " + hint + " ", x: inner.x, y: inner.maxY, limit: inner.width, role: .title)
    }

    /// Today's totals (the window's calendar day), from the attempts in the history.
    mutating func totals() {
        let whole = Rect(x: 0, y: 0, width: layout.width, height: layout.height)
        let day = calendar.dateComponents([.year, .month, .day], from: model.now)
        let today = till.history.filter { calendar.dateComponents([.year, .month, .day], from: $0.createdAt) == day }
        func pad(_ n: Int?) -> String { let v = n ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        let date = "\(day.year ?? 0)-\(pad(day.month))-\(pad(day.day))"
        grid.fill(whole, role: .dialog)
        grid.frame(whole, glyphs: glyphs, title: Strings.totalsTitle(date)(language))
        let inner = whole.inset(by: 1).padded(horizontally: 1)
        grid.put(" " + Strings.totalsClose(language) + " ", x: inner.x, y: inner.maxY, limit: inner.width, role: .title)
        let totals: AttemptTotals
        do { totals = try AttemptTotals(today) } catch {
            grid.put(Strings.totalsOverflow(language), in: inner, row: 0, role: .error, ellipsis: glyphs.ellipsis)
            return
        }
        var row = 0
        func line(_ text: String, _ role: Role) {
            guard row < inner.height else { return }
            grid.put(text, in: inner, row: row, role: role, ellipsis: glyphs.ellipsis)
            row += 1
        }
        let nameWidth = 18
        let columns = [(Strings.totalsPayments, 8), (Strings.totalsAmount, 12), (Strings.totalsRefunds, 8), (Strings.totalsAmount, 12),
                       (Strings.totalsNet, 12)]
        func cells(_ name: String, _ values: [String], _ role: Role) {
            var text = TerminalText.fit(name, to: nameWidth, ellipsis: glyphs.ellipsis)
            for (value, (_, width)) in zip(values, columns) { text += " " + TerminalText.fit(value, to: width, alignment: .right) }
            line(text, role)
        }
        func values(_ l: AttemptTotals.Line) -> [String] {
            [String(l.payments), AttemptTotals.dollars(l.paymentCents), String(l.refunds), AttemptTotals.dollars(l.refundCents),
             AttemptTotals.dollars(l.net)]
        }
        func table(_ heading: LocalizedText, _ lines: [AttemptTotals.Line], name: (String) -> String) {
            cells(heading(language), columns.map { $0.0(language) }, .title)
            if lines.isEmpty { line(Strings.totalsNone(language), .muted) }
            for l in lines { cells(name(l.key), values(l), .normal) }
            row += 1
        }
        cells(Strings.totalsApproved(language), values(totals.approved), .approved)
        line(Strings.totalsCount(today.count, till.history.count)(language), .muted)
        row += 1
        table(Strings.totalsByChannel, totals.byChannel) { key in
            Channel.allCases.first { $0.wireName == key }?.name.text(in: language) ?? key
        }
        table(Strings.totalsByState, totals.byState) { key in
            AttemptState.allCases.first { $0.reported.rawValue == key }?.word.text(in: language) ?? key
        }
    }

    mutating func tooSmall() {
        let lines = TerminalText.wrap(Strings.tooSmall(view.width, view.height)(language), width: view.width)
            + TerminalText.wrap(Strings.tooSmallHint(language), width: view.width)
        let top = max(0, (view.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            grid.put(TerminalText.fit(line, to: view.width, alignment: .center), x: 0, y: top + index,
                     role: index == 0 ? .error : .muted)
        }
    }
}

extension Rect {
    func padded(horizontally amount: Int) -> Rect {
        Rect(x: x + amount, y: y, width: width - 2 * amount, height: height)
    }
}
