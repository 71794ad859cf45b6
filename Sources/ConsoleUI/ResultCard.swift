/// A finished attempt in the amount pane: the band with glyph and word, the amount and channel, the
/// terminal's ids, and why it did not go through. The pane is narrow and short (19×11 at 80×24), so
/// rows go first to what the cashier needs most: the band's word, the amount and the whole reason;
/// then the band's padding, the syssn, the order number and the rest of a long channel name. The
/// reason is cut (with an ellipsis) only when it alone does not fit. Pure.
struct ResultCard {
    struct Row: Equatable {
        var text: String
        var role: Role
        /// Part of the band: centred and drawn in reverse video.
        var band: Bool
    }

    var headline: String
    var role: Role
    var amountLine: String
    var syssn: String?
    var order: String?
    var reason: String

    /// The rows the band's word, the amount and the whole reason take at `width` cells.
    func essentialRows(width: Int) -> Int {
        2 + (reason.isEmpty ? 0 : TerminalText.wrap(reason, width: width).count)
    }

    func rows(width: Int, height: Int, ellipsis: String) -> [Row] {
        guard height > 0, width > 0 else { return [] }
        var left = height - 1
        let amountNeeds = TerminalText.wrap(amountLine, width: width).count
        left -= min(1, amountNeeds)
        let reasonLines = reason.isEmpty ? [] : TerminalText.wrap(reason, width: width, lines: max(0, left), ellipsis: ellipsis)
        left -= reasonLines.count
        func take() -> Bool {
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        let padTop = take(), padBottom = take()
        let showsSyssn = syssn != nil && take()
        let showsOrder = order != nil && take()
        var amountRows = min(1, amountNeeds)
        while amountRows < amountNeeds, take() { amountRows += 1 }
        let amount = TerminalText.wrap(amountLine, width: width, lines: amountRows, ellipsis: ellipsis)

        var rows: [Row] = []
        if padTop { rows.append(Row(text: "", role: role, band: true)) }
        rows.append(Row(text: headline, role: role, band: true))
        if padBottom { rows.append(Row(text: "", role: role, band: true)) }
        rows += amount.map { Row(text: $0, role: .normal, band: false) }
        if showsSyssn, let syssn { rows.append(Row(text: syssn, role: .muted, band: false)) }
        if showsOrder, let order { rows.append(Row(text: order, role: .muted, band: false)) }
        rows += reasonLines.map { Row(text: $0, role: .muted, band: false) }
        return rows
    }
}
