import ECRProtocol
import Foundation

/// What the terminal's printer would produce: a receipt or the day summary, as plain text.
public struct Printout: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case receipt, summary
    }

    public let kind: Kind
    /// A name fit for a file: `receipt-<syssn>` or `summary-<day>`.
    public let name: String
    public let text: String

    static let width = 32

    /// A receipt for one payment or refund, with its refunds so far.
    static func receipt(for entry: LedgerEntry, ledger: MerchantLedger, settings: TerminalSettings, printedAt now: Date) -> Printout {
        var lines = header(settings)
        lines.append(entry.kind == .payment ? centered("SALE") : centered("REFUND"))
        lines.append(rule())
        lines.append(row("Date", TerminalTime.stamp(entry.createdAt)))
        lines.append(row("Channel", entry.channel.name.english))
        lines.append(row("PayType", entry.payType))
        if let card = entry.card {
            lines.append(row("Card", card.scheme))
            lines.append(row("No.", card.maskedNumber))
            lines.append(row("Ref", card.refNo))
        }
        lines.append(row("syssn", entry.syssn))
        if let no = entry.outTradeNo { lines.append(row("Order", no)) }
        if let orig = entry.origSyssn { lines.append(row("Original", orig)) }
        if !entry.channelOrderNo.isEmpty { lines.append(row("Wallet", entry.channelOrderNo)) }
        lines.append(rule())
        lines.append(row("AMOUNT", "HKD " + entry.amount.display))
        if entry.kind == .payment, entry.refunded > .zero {
            lines.append(row("Refunded", "HKD " + entry.refunded.display))
            lines.append(row("Refundable", "HKD " + entry.refundable.display))
        }
        lines.append(row("Status", statusWord(entry)))
        lines.append(rule())
        lines.append(row("Printed", TerminalTime.stamp(now)))
        return Printout(kind: .receipt, name: "receipt-\(entry.syssn)", text: lines.joined(separator: "\n") + "\n")
    }

    /// Totals of the business day `now` falls on, by channel.
    static func daySummary(ledger: MerchantLedger, settings: TerminalSettings, at now: Date) -> Printout {
        let day = TerminalTime.day(now)
        let entries = ledger.entries(onDay: day)
        let payments = entries.filter { $0.kind == .payment && $0.state == .approved }
        let refunds = entries.filter { $0.kind == .refund && $0.state == .approved }
        var lines = header(settings)
        lines.append(centered("TRANSACTION SUMMARY"))
        lines.append(centered(TerminalTime.dayDisplay(now)))
        lines.append(rule())
        for channel in Channel.allCases {
            let p = payments.filter { $0.channel == channel }
            let r = refunds.filter { $0.channel == channel }
            guard !p.isEmpty || !r.isEmpty else { continue }
            lines.append(channel.name.english)
            lines.append(row("  Sales \(p.count)", total(p).display))
            if !r.isEmpty { lines.append(row("  Refunds \(r.count)", "-" + total(r).display)) }
        }
        if payments.isEmpty && refunds.isEmpty { lines.append(centered("no transactions")) }
        lines.append(rule())
        lines.append(row("Sales \(payments.count)", "HKD " + total(payments).display))
        lines.append(row("Refunds \(refunds.count)", "HKD -" + total(refunds).display))
        lines.append(row("NET", "HKD " + (total(payments) - total(refunds)).display))
        let unfinished = entries.filter { $0.kind == .payment && $0.state != .approved }.count
        if unfinished > 0 { lines.append(row("Not paid/declined", String(unfinished))) }
        lines.append(rule())
        lines.append(row("Printed", TerminalTime.stamp(now)))
        return Printout(kind: .summary, name: "summary-\(day)", text: lines.joined(separator: "\n") + "\n")
    }

    private static func total(_ entries: [LedgerEntry]) -> Amount {
        entries.reduce(Amount.zero) { $0 + $1.amount }
    }

    private static func statusWord(_ entry: LedgerEntry) -> String {
        switch entry.state {
        case .paying: return "IN PROGRESS"
        case .approved:
            switch entry.cancelState {
            case .refunded: return "REFUNDED"
            case .partiallyRefunded: return "PART REFUNDED"
            default: return "APPROVED"
            }
        case .declined: return "DECLINED \(entry.failureCode ?? "")"
        case .notPaid: return "NOT PAID"
        }
    }

    private static func header(_ settings: TerminalSettings) -> [String] {
        [centered(settings.merchantName), centered("Store \(settings.storeId)"), centered("Device \(settings.deviceId)"), rule()]
    }

    private static func rule() -> String { String(repeating: "-", count: width) }

    private static func centered(_ text: String) -> String {
        let pad = max(0, (width - text.count) / 2)
        return String(repeating: " ", count: pad) + text
    }

    /// Label left, value right; a value too long for the line goes on its own line.
    private static func row(_ label: String, _ value: String) -> String {
        let gap = width - label.count - value.count
        if gap >= 1 { return label + String(repeating: " ", count: gap) + value }
        return label + "\n" + String(repeating: " ", count: max(0, width - value.count)) + value
    }
}
