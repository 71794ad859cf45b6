import Foundation
import ECRProtocol
import ECREngine

/// Keys in, intents out: a pure function of the view state, the event and what the till knows.
/// No terminal, no engine, no clock; the loop sends the intents on.
public enum ConsoleReducer {
    public static func reduce(_ state: ViewState, _ event: ConsoleEvent, till: TillState) -> (ViewState, Intent?) {
        var view = state
        switch event {
        case .resized(let width, let height):
            view.width = width
            view.height = height
            if case .commissioning(let open)? = view.dialog { view.dialog = .commissioning(CommissioningReducer.resized(open, in: view, till: till)) }
            return (view, nil)
        case .notice(let notice):
            view.notice = notice
            return (view, nil)
        case .key(let key):
            if view.isTooSmall {
                // State kept; only quitting makes sense until the window is big enough again.
                return KeyTable.action(for: key) == .quit ? quit(view, till) : (view, nil)
            }
            if let dialog = view.dialog { return reduce(view, dialog: dialog, key: key, till: till) }
            return reduce(view, key: key, till: till)
        }
    }

    // MARK: The main screen

    /// Near the end of the history read so far, with older history in the journal: read the next part
    /// before the cashier gets there.
    private static func olderHistory(_ view: ViewState, _ till: TillState) -> Intent? {
        till.olderHistory && view.historyIndex >= till.history.count - 20 ? .olderHistory : nil
    }

    private static func reduce(_ state: ViewState, key: Key, till: TillState) -> (ViewState, Intent?) {
        var view = state
        let typing = view.amountText.contains(where: \.isNumber)
        guard let action = KeyTable.action(for: key) else {
            // A letter typed into the amount by mistake: say what letters are, keep the digits.
            if case .character(let c) = key, c.isLetter { view.amountProblem = Strings.lettersAreCommands }
            return (view, nil)
        }
        // A refusal or an answer is about what was on screen then: moving on, or asking anew, clears it.
        if movesOn.contains(action) { view.notice = nil }
        switch action {
        case .typeDigit:
            guard case .character(let c) = key else { return (view, nil) }
            view.focus = .amount
            view.notice = nil // the last result gives way to the new amount (it stays in the history)
            view.amountProblem = amendProblem(view.amountText, adding: c)
            if view.amountProblem == nil { view.amountText.append(c) }
        case .deleteDigit:
            if !view.amountText.isEmpty { view.amountText.removeLast() }
            view.amountProblem = nil
        case .submit, .inspect:
            return view.focus == .log ? inspect(view, till: till) : submit(view, till: till)
        case .moveUp, .moveDown:
            let step = action == .moveUp ? -1 : 1
            if view.focus == .log {
                // The list runs oldest to newest down the pane: up is older.
                view.logIndex = clamp(view.logIndex - step, count: view.visibleLog(in: till).count)
            } else if view.focus == .history {
                view.historyIndex = clamp(view.historyIndex + step, count: till.history.count)
                return (view, olderHistory(view, till))
            } else {
                view.channel = neighbour(of: view.selectedChannel(in: till), step: step, in: till)
            }
        case .pageUp, .pageDown:
            if view.focus == .log {
                view.logIndex = clamp(view.logIndex + (action == .pageUp ? 10 : -10), count: view.visibleLog(in: till).count)
                return (view, nil)
            }
            view.focus = .history
            view.historyIndex = clamp(view.historyIndex + (action == .pageUp ? -10 : 10), count: till.history.count)
            return (view, olderHistory(view, till))
        case .nextPane, .previousPane:
            let panes = Pane.allCases
            let index = panes.firstIndex(of: view.focus)! + (action == .nextPane ? 1 : panes.count - 1)
            view.focus = panes[index % panes.count]
        case .channel:
            view.focus = .channel
        case .help:
            view.dialog = .help
            view.helpScroll = 0
        case .cancel:
            // An unresolved attempt is not cancelled from here (the engine asks again or takes a
            // settlement by hand); the banner names those keys.
            if till.running != nil {
                view.dialog = .confirmCancel
            } else if view.focus != .amount || !view.amountText.isEmpty || view.notice != nil {
                view.focus = .amount
                view.amountText = ""
                view.amountProblem = nil
                view.notice = nil
            } else {
                view.notice = Notice(Strings.nothingToCancel, role: .muted)
            }
        case .quit:
            // A stray `x` after digits would lose the amount: ask first (F10 too, the same question).
            if typing, till.running == nil { view.dialog = .quitLosingAmount; return (view, nil) }
            return quit(view, till)
        case .summary:
            return (view, .summary)
        case .logFormat:
            view.logAsHex.toggle()
        case .export:
            let visible = view.visibleLog(in: till)
            guard !visible.isEmpty else { return refuse(view, Strings.nothingToExport) }
            return (view, .export(LogExport(entries: visible.reversed(), filter: view.logFilter, single: false)))
        case .totals:
            view.dialog = .totals
        case .settings, .doctor, .profiles:
            return CommissioningReducer.open(action, view, till: till)
        case .reconcile:
            return openReconcile(view, till: till)
        case .logFilter:
            view.focus = .log
            view.logFilter = view.logFilter.next
            view.logIndex = 0
        case .query:
            if let open = till.unresolved.first { return (view, .resolveAgain(outTradeNo: open.outTradeNo)) }
            guard let row = view.selectedRow(in: till) else { return refuse(view, Strings.selectRow) }
            // Over LAN the terminal knows a refund by its own syssn, not by our out_trade_no.
            if row.kind == .refund, let syssn = row.syssn ?? row.refundOf { return (view, .queryOrder(syssn: syssn)) }
            return (view, .query(outTradeNo: row.outTradeNo))
        case .print:
            guard let row = view.selectedRow(in: till) else { return refuse(view, Strings.selectRow) }
            guard let syssn = row.syssn else { return refuse(view, Strings.noSyssn) }
            return (view, .print(syssn: syssn))
        case .refund:
            return openRefund(view, till: till)
        case .settle:
            guard let open = till.unresolved.first else { return refuse(view, Strings.nothingUnresolved) }
            view.dialog = .settle(SettleDraft(attempt: open, paid: nil, reason: ""))
        case .confirm, .decline, .changeDay, .adopt:
            break
        }
        return (view, nil)
    }

    static let movesOn: Set<KeyAction> = [.moveUp, .moveDown, .pageUp, .pageDown, .nextPane, .previousPane, .channel, .submit, .inspect,
                                          .refund, .query, .print, .summary, .settle, .export]

    private static func inspect(_ state: ViewState, till: TillState) -> (ViewState, Intent?) {
        var view = state
        guard let entry = view.selectedLogEntry(in: till) else { return refuse(view, Strings.noExchange) }
        view.dialog = .exchange(ExchangeView(id: entry.id, scroll: 0))
        return (view, nil)
    }

    private static func submit(_ state: ViewState, till: TillState) -> (ViewState, Intent?) {
        var view = state
        if let running = till.running { return refuse(view, Strings.stillRunning(running.outTradeNo)) }
        if !till.unresolved.isEmpty { return refuse(view, Strings.unresolvedFirst) }
        if let why = CommissioningReducer.saleBlocker(till) { return refuse(view, why) }
        guard let channel = view.selectedChannel(in: till) else { return refuse(view, Strings.noChannel) }
        let amount: Amount
        switch parse(view.amountText, maximum: till.maximumAmount) {
        case .success(let parsed): amount = parsed
        case .failure(let problem):
            view.focus = .amount
            view.amountProblem = problem.text
            return (view, nil)
        }
        // The engine's double-charge rule, on the rows resumed at start that the cashier has not said yes past.
        let resumed = till.history.filter { $0.resumed && !view.acknowledged.contains($0.outTradeNo) }
        if let approved = RetriedSaleRule.sameSale(among: resumed, amount: amount, channel: channel) {
            view.dialog = .sameAmount(amount: amount, channel: channel, approved: approved)
            return (view, nil)
        }
        return pay(view, amount: amount, channel: channel)
    }

    private static func pay(_ state: ViewState, amount: Amount, channel: Channel) -> (ViewState, Intent?) {
        var view = state
        view.amountText = ""
        view.amountProblem = nil
        view.notice = nil
        view.channel = channel
        view.focus = .amount
        view.historyIndex = 0 // the new sale's row, once it is there
        return (view, .pay(amount: amount, channel: channel))
    }

    static func quit(_ state: ViewState, _ till: TillState) -> (ViewState, Intent?) {
        var view = state
        if till.running != nil {
            view.dialog = .quitWhileRunning
            return (view, nil)
        }
        return (view, .quit)
    }

    private static func openRefund(_ state: ViewState, till: TillState) -> (ViewState, Intent?) {
        var view = state
        guard let row = view.selectedRow(in: till) else { return refuse(view, Strings.selectRow) }
        guard row.kind == .payment, row.state == .approved else { return refuse(view, Strings.onlyApprovedSales) }
        if let channel = row.channel, !channel.allowsRefund { return refuse(view, Strings.notRefundable(channel.name)) }
        guard row.syssn != nil else { return refuse(view, Strings.noSyssn) }
        let refundable = row.refundable ?? row.amount
        guard refundable.cents > 0 else { return refuse(view, Strings.nothingLeft) }
        view.focus = .history
        view.dialog = .refund(RefundDraft(sale: row, amountText: refundable.display, prefilled: true, confirming: false, problem: nil))
        return (view, nil)
    }

    private static func refuse(_ state: ViewState, _ text: LocalizedText) -> (ViewState, Intent?) {
        var view = state
        view.notice = Notice(text, role: .error)
        return (view, nil)
    }

    // MARK: Dialogs

    private static func reduce(_ state: ViewState, dialog: Dialog, key: Key, till: TillState) -> (ViewState, Intent?) {
        var view = state
        switch dialog {
        case .help:
            if key == .escape || key == .enter || KeyTable.action(for: key) == .help || key == .character("q") { view.dialog = nil }
            if KeyTable.action(for: key) == .quit { view.dialog = nil; return quit(view, till) }
            // Longer than the window (a short one, the demo's notes): ↑/↓ and PgUp/PgDn scroll it.
            let step: Int? = switch KeyTable.action(for: key) {
            case .moveUp?: -1
            case .moveDown?: 1
            case .pageUp?: -10
            case .pageDown?: 10
            default: nil
            }
            if let step {
                let most = HelpScreen.maxScroll(width: view.width, height: view.height, notes: till.helpNotes)
                view.helpScroll = max(0, min(most, view.helpScroll + step))
            }
        case .totals:
            if key == .escape || KeyTable.action(for: key) == .totals { view.dialog = nil }
            if KeyTable.action(for: key) == .quit { view.dialog = nil; return quit(view, till) }
        case .commissioning(let open):
            if KeyTable.action(for: key) == .quit { view.dialog = nil; return quit(view, till) }
            return CommissioningReducer.reduce(view, open, key: key, till: till)
        case .reconcile(let open):
            return reduce(view, reconcile: open, key: key, till: till)
        case .exchange(var open):
            guard let entry = till.exchanges.first(where: { $0.id == open.id }), key != .escape else {
                view.dialog = nil
                return (view, nil)
            }
            let page = max(1, ExchangeDetail.bodyHeight(forWindowHeight: view.height) - 1)
            switch KeyTable.action(for: key) {
            case .moveUp?: open.scroll -= 1
            case .moveDown?: open.scroll += 1
            case .pageUp?: open.scroll -= page
            case .pageDown?: open.scroll += page
            case .quit?: view.dialog = nil; return quit(view, till)
            case .export?: return (view, .export(LogExport(entries: [entry], filter: .all, single: true)))
            default: return (view, nil)
            }
            // The longer of the two languages bounds the scroll; the renderer clamps the shorter.
            let lines = Language.allCases.map { language in
                ExchangeDetail.lines(entry, width: ExchangeDetail.bodyWidth(forWindowWidth: view.width), language: language,
                                     clock: { _ in "00:00:00.000" }).count
            }.max() ?? 0
            open.scroll = max(0, min(open.scroll, lines - ExchangeDetail.bodyHeight(forWindowHeight: view.height)))
            view.dialog = .exchange(open)
        case .confirmCancel:
            switch KeyTable.dialogAnswer(for: key) {
            case .confirm?: view.dialog = nil; return (view, .cancel)
            case .decline?: view.dialog = nil
            default: break
            }
        case .quitWhileRunning, .quitLosingAmount:
            switch KeyTable.dialogAnswer(for: key) {
            case .confirm?: view.dialog = nil; return (view, .quit)
            case .decline?: view.dialog = nil
            default: break
            }
        case .sameAmount(let amount, let channel, let approved):
            switch KeyTable.dialogAnswer(for: key) {
            case .confirm?:
                view.dialog = nil
                view.acknowledged.insert(approved.outTradeNo)
                return pay(view, amount: amount, channel: channel)
            case .decline?:
                view.dialog = nil
                view.acknowledged.insert(approved.outTradeNo)
                view.amountText = ""
            default: break
            }
        case .refund(var draft):
            if draft.confirming {
                switch KeyTable.dialogAnswer(for: key) {
                case .confirm?:
                    view.dialog = nil
                    view.historyIndex = 0
                    let amount = try? Amount.parse(draft.amountText, maximum: draft.sale.refundable ?? draft.sale.amount)
                    return (view, .refund(syssn: draft.sale.syssn ?? "", amount: amount))
                case .decline?:
                    draft.confirming = false
                    view.dialog = .refund(draft)
                default: break
                }
                return (view, nil)
            }
            switch key {
            case .escape: view.dialog = nil
            case .backspace:
                if !draft.amountText.isEmpty { draft.amountText.removeLast() }
                draft.prefilled = false
                draft.problem = nil
                view.dialog = .refund(draft)
            case .enter:
                draft.problem = refundProblem(draft)
                draft.confirming = draft.problem == nil
                view.dialog = .refund(draft)
            case .character(let c) where c.isASCII && (c.isNumber || c == "."):
                let base = draft.prefilled ? "" : draft.amountText
                draft.problem = amendProblem(base, adding: c)
                if draft.problem == nil { draft.amountText = base + String(c); draft.prefilled = false }
                view.dialog = .refund(draft)
            default: break
            }
        case .settle(var draft):
            if draft.paid == nil {
                switch key {
                case .character("y"), .character("Y"): draft.paid = true
                case .character("n"), .character("N"): draft.paid = false
                case .escape: view.dialog = nil; return (view, nil)
                default: return (view, nil)
                }
                view.dialog = .settle(draft)
                return (view, nil)
            }
            switch key {
            case .escape:
                draft.paid = nil
            case .backspace:
                if !draft.reason.isEmpty { draft.reason.removeLast() }
            case .enter:
                let reason = draft.reason.trimmingCharacters(in: .whitespaces)
                if reason.isEmpty { view.notice = Notice(Strings.reasonNeeded, role: .error); return (view, nil) }
                view.dialog = nil
                view.notice = nil
                return (view, .settle(outTradeNo: draft.attempt.outTradeNo, paid: draft.paid!, note: reason))
            case .character(let c) where TerminalText.width(of: c) > 0 && draft.reason.count < 120:
                draft.reason.append(c)
            default: break
            }
            view.dialog = .settle(draft)
        }
        return (view, nil)
    }

    private static func refundProblem(_ draft: RefundDraft) -> LocalizedText? {
        let refundable = draft.sale.refundable ?? draft.sale.amount
        switch parse(draft.amountText, maximum: refundable) {
        case .failure(let problem):
            if case .aboveMaximum = problem.reason { return Strings.aboveRefundable(refundable.display) }
            return problem.text
        case .success(let amount):
            if draft.sale.channel?.cardRulesApply == true, amount != draft.sale.amount { return Strings.cardFullOnly }
            return nil
        }
    }

    // MARK: Amounts

    struct AmountProblem: Error {
        let reason: AmountError
        let text: LocalizedText
    }

    /// The amount rules of the command line, worded for the screen.
    static func parse(_ text: String, maximum: Amount) -> Result<Amount, AmountProblem> {
        do { return .success(try Amount.parse(text, maximum: maximum)) } catch {
            let words: LocalizedText
            switch error {
            case .empty: words = Strings.emptyAmount
            case .zero: words = Strings.zeroAmount
            case .tooManyDecimals: words = Strings.twoDecimals
            case .aboveMaximum(_, let max): words = Strings.aboveMaximum(max.display)
            case .notANumber: words = Strings.unfinished
            default: words = Strings.emptyAmount
            }
            return .failure(AmountProblem(reason: error, text: words))
        }
    }

    /// Why `c` cannot be added to what is typed (explained in place, the key ignored), or nil.
    static func amendProblem(_ text: String, adding c: Character) -> LocalizedText? {
        if c == "." {
            return text.contains(".") ? Strings.oneDot : nil
        }
        if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 2 { return Strings.twoDecimals }
        if text.filter(\.isNumber).count >= 12 { return Strings.tooLong }
        return nil
    }

    private static func clamp(_ index: Int, count: Int) -> Int {
        max(0, min(index, count - 1))
    }

    private static func neighbour(of channel: Channel?, step: Int, in till: TillState) -> Channel? {
        let enabled = till.channels.filter(\.isEnabled).map(\.channel)
        guard !enabled.isEmpty else { return nil }
        let index = channel.flatMap { enabled.firstIndex(of: $0) } ?? 0
        return enabled[max(0, min(enabled.count - 1, index + step))]
    }
}
