import ECRProtocol
import ECRTransport
import ECREngine

/// Why a payment was not adopted from the reconcile view, in both languages. The English is the
/// engine's own sentence (`qfecr reconcile --adopt` prints the same); the Chinese is the console's.
extension Strings {
    static func adoptionRefusal(_ refusal: AdoptionRefusal) -> T {
        T(refusal.message, chineseRefusal(refusal))
    }

    /// The terminal could not be asked again before adopting.
    static func adoptionUnasked(_ id: String, _ failure: TransportFailure) -> T {
        T("cannot ask the terminal about \(id): \(failure.message)",
          "無法向終端查詢 \(id)：\(OutcomeText.render(failure, language: .traditionalChinese))")
    }

    /// The terminal answered without a record of the payment.
    static func adoptionNoRecord(_ id: String, _ response: ECRResponse) -> T {
        T("the terminal's answer about \(id) holds no record (\(response.meaning()))",
          "終端對 \(id) 的回覆沒有交易紀錄（\(response.meaning(in: .traditionalChinese))）")
    }

    private static func chineseRefusal(_ refusal: AdoptionRefusal) -> String {
        switch refusal {
        case .refund(let id): return "\(id) 是退款：只可採納付款"
        case .finalInJournal(let id, let state, let respcd):
            return "\(id) 在日誌中為「\(state.word.traditionalChinese)」（\(respcd ?? "沒有回覆碼")）：只可採納未完結或未建立（1136）的付款"
        case .notPaidOnTerminal(let id, let status): return "終端沒有 \(id) 的付款紀錄（\(status ?? "沒有狀態碼")）：無需採納"
        case .otherOutTradeNo(let id, let named): return "終端紀錄的 out_trade_no 為 \(named ?? "空白")，不是 \(id)"
        case .amountDiffers(let terminal, let journal): return "終端紀錄的金額為 \(terminal?.display ?? "空白")，此交易為 \(journal.display)"
        case .otherRecord(let id, let list): return "終端的紀錄不是 \(id)：" + list.map(\.text.traditionalChinese).joined(separator: "；")
        case .notInJournal(let id): return "日誌中沒有 \(id)：請重新對帳"
        case .refused(let refusal): return OutcomeText.render(refusal, language: .traditionalChinese)
        case .stillActive(let id, let state): return "\(id) 在此仍為「\(state.word.traditionalChinese)」：請等待結果後再對帳"
        // The journal's error is a technician's text (a path, an errno): the cashier is told what to check.
        case .journalUnwritable(let id, _): return "無法把 \(id) 寫入日誌：請檢查磁碟空間或權限"
        }
    }
}
