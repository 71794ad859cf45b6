import ECRProtocol
import ECREngine

/// Why a reconcile finding came out as it did, in both languages. The English is the command line's
/// own sentence (`qfecr reconcile` prints the same); the Chinese is the console's.
extension Strings {
    static func reconcileReason(_ reason: ReconcileFinding.Reason) -> T {
        T(reason.english, chineseReason(reason))
    }

    private static func chineseReason(_ reason: ReconcileFinding.Reason) -> String {
        func said(_ said: TerminalSaid) -> String { terminalSaid(said).traditionalChinese }
        func differences(_ list: [Mismatch]) -> String { list.map(\.text.traditionalChinese).joined(separator: "；") }
        switch reason {
        case .otherTerminal(let other):
            return "\(other.outTradeNo) 屬於終端 \(other.bound)，不是此終端（\(other.here)）：請用該終端的設定組對帳"
        case .unidentifiable: return "終端上沒有可識別這筆交易的資料"
        case .noAnswer(let failure): return "沒有回覆：\(OutcomeText.render(failure, language: .traditionalChinese))"
        case .notAskedUnreachable(let failure): return "未查詢：無法連線終端（\(OutcomeText.render(failure, language: .traditionalChinese))）"
        case .inquiryRefused(let meaning): return "終端拒絕了查詢：\(meaning.traditionalChinese)"
        case .amountDiffers(let terminal, let journal): return "終端的金額為 \(terminal.display)，日誌為 \(journal.display)"
        case .otherRecord(let list): return "終端的紀錄不是這筆交易：" + differences(list)
        case .paidNotInJournal(let refund, let syssn, let journal):
            return "終端已\(refund ? "退款" : "收款")（syssn \(syssn ?? "?")），日誌為「\(journal.word.traditionalChinese)」"
        case .refundedDiffers(let terminal, let journal): return "終端已退款 \(terminal.display)，日誌中成功的退款共 \(journal.display)"
        case .pendingOnTerminal: return "終端仍在處理；顧客完成後請再查詢"
        case .approvedButUnknown: return "日誌記錄為成功，但終端查無此單"
        case .unknownToTerminal(let journal): return "日誌為「\(journal.word.traditionalChinese)」；終端查無此單（從未在終端成為付款）"
        case .notPaidOnTerminal(let terminal): return "日誌記錄為成功，終端為「\(said(terminal))」"
        case .unsettledInJournal(let journal, let terminal): return "日誌為「\(journal.word.traditionalChinese)」，終端為「\(said(terminal))」"
        case .saleNotPaid(let sale): return "終端沒有原交易 \(sale) 的付款紀錄"
        case .otherSale(let sale, let list): return "終端的紀錄不是原交易 \(sale)：" + differences(list)
        case .saleRefundableUnknown(let sale): return "終端的原交易 \(sale) 紀錄沒有註明可退金額"
        case .saleRefundedDiffers(let sale, let terminal, let journal):
            return "原交易 \(sale)：終端已退款 \(terminal.display)，日誌中成功的退款共 \(journal.display)"
        case .checkedThroughSale(let sale, let refunded): return "已按原交易 \(sale) 核對：已退款 \(refunded.display)"
        }
    }
}
