import ECRProtocol
import ECREngine

/// The reconcile view's keys: a day back or forward, rows, adopting with a yes/no, Esc to stop.
extension ConsoleReducer {
    /// `k`: open the view on today and start asking, unless a sale holds the terminal.
    static func openReconcile(_ state: ViewState, till: TillState) -> (ViewState, Intent?) {
        var view = state
        if let running = till.running {
            view.notice = Notice(Strings.reconcileWaitsForSale(running.outTradeNo), role: .error)
            return (view, nil)
        }
        view.dialog = .reconcile(ReconcileView())
        return (view, .reconcile(dayOffset: 0))
    }

    static func reduce(_ state: ViewState, reconcile open: ReconcileView, key: Key, till: TillState) -> (ViewState, Intent?) {
        var view = state
        var open = open
        open.hint = nil
        let status = till.reconcile
        if let id = open.adopting {
            switch KeyTable.dialogAnswer(for: key) {
            case .confirm?:
                open.adopting = nil
                view.dialog = .reconcile(open)
                return (view, .adopt(outTradeNo: id))
            case .decline?:
                open.adopting = nil
                view.dialog = .reconcile(open)
            default: break
            }
            return (view, nil)
        }
        if key == .escape {
            view.dialog = nil
            return (view, .stopReconcile)
        }
        let rows = status?.findings.count ?? 0
        var intent: Intent?
        switch KeyTable.action(for: key) {
        case .changeDay?:
            let offset = key == .left ? open.dayOffset - 1 : min(0, open.dayOffset + 1)
            if offset == open.dayOffset {
                open.hint = Strings.reconcileNoLaterDay
            } else {
                open.dayOffset = offset
                open.index = 0
                intent = .reconcile(dayOffset: offset)
            }
        case .reconcile?:
            open.index = 0
            intent = .reconcile(dayOffset: open.dayOffset)
        case .moveUp?: open.index = max(0, min(open.index - 1, rows - 1))
        case .moveDown?: open.index = max(0, min(open.index + 1, rows - 1))
        case .pageUp?: open.index = max(0, min(open.index - 10, rows - 1))
        case .pageDown?: open.index = max(0, min(open.index + 10, rows - 1))
        case .adopt?, .submit?, .inspect?:
            guard let status, rows > 0 else { open.hint = Strings.reconcileNothingToAdopt; break }
            let finding = status.findings[min(open.index, rows - 1)]
            if status.adopting != nil || status.isRunning {
                open.hint = Strings.reconcileAdoptWaits
            } else if status.canAdopt(finding) {
                open.adopting = finding.outTradeNo
            } else {
                open.hint = Strings.reconcileNothingToAdopt
            }
        case .quit?:
            view.dialog = nil
            return quit(view, till)
        default:
            break
        }
        view.dialog = .reconcile(open)
        return (view, intent)
    }
}
