import Foundation
import ECRProtocol
import ECREngine

/// The reconcile view over the whole window: a summary, journal state against terminal state one
/// attempt a row (mismatches marked by word, glyph and colour), the selected row explained, and the
/// adopt question on top when asked.
extension Painter {
    mutating func reconcile(_ open: ReconcileView) {
        let whole = Rect(x: 0, y: 0, width: layout.width, height: layout.height)
        let status = till.reconcile
        grid.fill(whole, role: .dialog)
        grid.frame(whole, glyphs: glyphs, title: Strings.reconcileTitle(status?.day ?? "", status?.terminal ?? till.endpoint)(language))
        let inner = whole.inset(by: 1).padded(horizontally: 1)
        grid.put(" " + reconcileKeys() + " ", x: inner.x, y: inner.maxY, limit: inner.width, role: .title)
        guard let status else {
            grid.put(Strings.reconcileStarting(language), in: inner, row: 0, role: .pending, ellipsis: glyphs.ellipsis)
            return
        }
        let (summary, summaryRole) = reconcileSummary(status)
        grid.put(summary, in: inner, row: 0, role: summaryRole, ellipsis: glyphs.ellipsis)
        if let (message, role) = reconcileMessage(open, status) {
            grid.put(message, in: inner, row: 1, role: role, ellipsis: glyphs.ellipsis)
        }
        let tableTop = 2
        let findings = status.findings
        let selected = min(open.index, max(0, findings.count - 1))
        let detail = findings.isEmpty ? [] : reconcileDetailLines(findings[selected], status, width: inner.width)
        // The selected row's explanation takes the rows the table leaves empty, so a long reason is read whole.
        let unused = inner.height - tableTop - 1 - findings.count
        let detailRows = max(inner.height >= 30 ? 6 : 4, min(detail.count + 1, unused))
        let tableRows = max(1, inner.height - tableTop - 1 - detailRows)
        let columns = ReconcileColumns(width: inner.width)
        let headings = ["", Strings.columnVerdict(language), Strings.columnTime(language), Strings.columnTransaction(language),
                        Strings.columnKind(language), Strings.columnAmount(language), Strings.columnJournal(language),
                        Strings.columnTerminal(language), Strings.columnProblem(language)]
        grid.put(columns.row(headings, ellipsis: glyphs.ellipsis), x: inner.x, y: inner.y + tableTop, limit: inner.width, role: .title)
        guard !findings.isEmpty else { return }
        let first = max(0, min(selected - tableRows + 1, findings.count - tableRows))
        for (row, finding) in findings[first...].prefix(tableRows).enumerated() {
            let index = first + row
            let y = inner.y + tableTop + 1 + row
            let isSelected = index == selected
            let (verdict, verdictRole) = verdictCell(finding, status)
            let cells: [(String, Role)] = [
                (isSelected ? glyphs.pointer : "", .normal),
                (verdict, verdictRole),
                (time(finding.createdAt, seconds: false), .muted),
                (tail(finding.outTradeNo, columns.widths[3]), .normal),
                ((finding.kind == .refund ? Strings.refund : Strings.sale)(language), finding.kind == .refund ? .title : .normal),
                (finding.amount.display, .input),
                (journalWord(finding, status), ScreenRenderer.role(of: status.adopted.contains(finding.outTradeNo) ? .approved : finding.journalState)),
                (Strings.terminalSaid(finding)(language), .normal),
                (problemWords(finding), verdictRole),
            ]
            var x = inner.x
            for (column, (text, role)) in cells.enumerated() where columns.widths[column] > 0 {
                let width = columns.widths[column]
                let alignment: TerminalText.Alignment = column == 5 ? .right : .left
                grid.put(TerminalText.fit(text, to: width, alignment: alignment, ellipsis: glyphs.ellipsis), x: x, y: y,
                         limit: inner.maxX - x, role: isSelected && column != 1 ? .selection : role)
                x += width + 1
            }
        }
        reconcileDetail(detail, in: Rect(x: inner.x, y: inner.maxY - detailRows, width: inner.width, height: detailRows))
        if let id = open.adopting, let finding = findings.first(where: { $0.outTradeNo == id }) { adoptQuestion(finding, status) }
    }

    /// `Esc close · ↑/↓ row · ←/→ day · a adopt · k again`: the view's keys, from the key table.
    func reconcileKeys() -> String {
        let own = KeyTable.bindings.filter { $0.context == .reconcile }.map { binding in
            binding.keys.map(\.name).joined(separator: "/") + " " + binding.label(language)
        }
        let k = KeyTable.bindings.first { $0.action == .reconcile }.map { $0.keys[0].name + " " + Strings.reconcileAgain(language) }
        return ([Strings.reconcileClose(language), Key.up.name + "/" + Key.down.name + " " + Strings.reconcileMove(language)] + own
            + [k].compactMap { $0 }).joined(separator: " · ")
    }

    /// The line that says how it went: running n of N, all agree, N mismatches, unreachable.
    func reconcileSummary(_ status: ReconcileStatus) -> (String, Role) {
        var parts: [String] = []
        let role: Role
        switch status.phase {
        case .running:
            let text = status.position == 0 ? Strings.reconcileStarting : Strings.reconcileAsking(status.position, status.total)
            return (glyphs.busy + " " + text(language), .pending)
        case .refused(let why):
            return (glyphs.unreachable + " " + why(language), .error)
        case .stopped:
            parts.append(glyphs.mark("·") + " " + Strings.reconcileStopped(status.position, status.total)(language))
            role = .muted
        case .finished:
            if status.total == 0 { return (Strings.reconcileNone(language), .muted) }
            let unreachable = status.count(.unreachable)
            if unreachable > 0 {
                parts.append(glyphs.mark("‼") + " " + Strings.reconcileUnreachable(unreachable)(language))
                role = .error
            } else if status.mismatches > 0 {
                parts.append(glyphs.mark("✘") + " " + Strings.reconcileMismatches(status.mismatches)(language))
                role = .error
            } else {
                parts.append(glyphs.mark("✔") + " " + Strings.reconcileAllAgree(status.findings.count - status.count(.skipped))(language))
                role = .approved
            }
        }
        if status.count(.skipped) > 0 { parts.append(Strings.reconcileSkipped(status.count(.skipped))(language)) }
        return (parts.joined(separator: " " + glyphs.dot + " "), role)
    }

    /// Row 1: why the last key did nothing, an adoption under way, or how the last one ended.
    func reconcileMessage(_ open: ReconcileView, _ status: ReconcileStatus) -> (String, Role)? {
        if let hint = open.hint { return (hint(language), .error) }
        if let id = status.adopting { return (glyphs.busy + " " + Strings.adoptAsking(id)(language), .pending) }
        if let message = status.message { return (message.text(language), message.role) }
        return nil
    }

    func verdictCell(_ finding: ReconcileFinding, _ status: ReconcileStatus) -> (String, Role) {
        if status.adopted.contains(finding.outTradeNo) { return (glyphs.mark("✔") + " " + Strings.verdictAdopted(language), .approved) }
        switch finding.verdict {
        case .agree: return (glyphs.mark("✔") + " " + Strings.verdict(.agree)(language), .approved)
        case .mismatch: return (glyphs.mark("✘") + " " + Strings.verdict(.mismatch)(language), .error)
        case .skipped: return (glyphs.mark("·") + " " + Strings.verdict(.skipped)(language), .muted)
        case .unreachable: return (glyphs.mark("‼") + " " + Strings.verdict(.unreachable)(language), .unresolved)
        }
    }

    func journalWord(_ finding: ReconcileFinding, _ status: ReconcileStatus) -> String {
        (status.adopted.contains(finding.outTradeNo) ? AttemptState.approved : finding.journalState).word.text(in: language)
    }

    func problemWords(_ finding: ReconcileFinding) -> String {
        switch finding.verdict {
        case .mismatch: return finding.problems.map { Strings.problem($0)(language) }.joined(separator: "; ")
        case .skipped:
            if case .otherTerminal? = finding.reason { return Strings.skippedElsewhere(language) }
            return ""
        case .unreachable:
            if case .notAskedUnreachable? = finding.reason { return Strings.notAskedUnreachable(language) }
            return ""
        case .agree: return ""
        }
    }

    /// The selected row in full: its id, what disagrees, how to adopt it, and why, in the screen's language.
    func reconcileDetailLines(_ finding: ReconcileFinding, _ status: ReconcileStatus, width: Int) -> [(String, Role)] {
        var lines: [(String, Role)] = []
        let (verdict, verdictRole) = verdictCell(finding, status)
        lines.append((finding.outTradeNo + "  " + finding.amount.display + "  " + verdict, .title))
        let problem = problemWords(finding)
        if !problem.isEmpty { lines.append((problem, verdictRole)) }
        if status.canAdopt(finding) { lines.append((Strings.adoptHint(language), .key)) }
        if let reason = finding.reason {
            for line in TerminalText.wrap(Strings.reconcileReason(reason)(language), width: width) { lines.append((line, .muted)) }
        }
        return lines
    }

    /// The explanation under a rule, cut at the rows it has.
    mutating func reconcileDetail(_ lines: [(String, Role)], in rect: Rect) {
        grid.put(String(repeating: String(glyphs.horizontal), count: rect.width), x: rect.x, y: rect.y, limit: rect.width, role: .border)
        for (row, (text, role)) in lines.prefix(rect.height - 1).enumerated() {
            grid.put(text, in: rect, row: row + 1, role: role, ellipsis: glyphs.ellipsis)
        }
    }

    mutating func adoptQuestion(_ finding: ReconcileFinding, _ status: ReconcileStatus) {
        let body = Strings.adoptBody(finding.outTradeNo, finding.amount.display, finding.journalState.word.text(in: language),
                                     Strings.terminalSaid(finding)(language))
        let lines: [(String, Role)] = [(body(language), .dialog), ("", .dialog), (Strings.adoptExplain(language), .dialog), ("", .dialog),
                                       (Strings.adoptKeys(language), .key)]
        let width = min(64, layout.width - 4)
        var wrapped: [(String, Role)] = []
        for (text, role) in lines {
            if text.isEmpty { wrapped.append(("", role)); continue }
            for line in TerminalText.wrap(text, width: width - 4) { wrapped.append((line, role)) }
        }
        let inner = box(width: width, height: wrapped.count + 2, title: Strings.adoptTitle(language))
        for (index, (text, role)) in wrapped.enumerated() {
            grid.put(text, in: inner, row: index, role: role, ellipsis: glyphs.ellipsis)
        }
    }
}

/// The reconcile table's columns for a width: time and problem only from 110 columns, with more of
/// the out_trade_no; the last column takes what is left.
struct ReconcileColumns {
    let wide: Bool
    /// pointer, verdict, time, transaction, kind, amount, journal, terminal, problem; 0 hides a column.
    let widths: [Int]

    init(width: Int) {
        wide = width >= 110
        var widths = wide ? [1, 11, 5, 23, 6, 9, 11, 18, 0] : [1, 11, 0, 12, 6, 9, 10, 0, 0]
        let used = widths.reduce(0, +) + widths.filter { $0 > 0 }.count
        widths[wide ? 8 : 7] = max(4, width - used)
        self.widths = widths
    }

    /// Cells fitted to their columns, one space between.
    func row(_ cells: [String], ellipsis: String) -> String {
        zip(cells, widths).filter { $0.1 > 0 }.map { TerminalText.fit($0.0, to: $0.1, ellipsis: ellipsis) }.joined(separator: " ")
    }
}
