import ECRProtocol
import ECREngine

/// The reconcile view's words, in English and Traditional Chinese.
extension Strings {
    static func reconcileWaitsForSale(_ id: String) -> T {
        T("Reconcile waits for \(id), the sale in progress: the terminal answers one request at a time",
          "對帳須等待進行中的交易 \(id) 完成：終端一次只處理一個請求")
    }
    static let reconcileNoLaterDay = T("Today is the latest day to reconcile", "今日已是最後可對帳的一日")
    static let reconcileNothingToAdopt = T("Only a mismatch where the terminal has a payment the journal missed can be adopted",
                                           "只可採納終端已收款而日誌漏記的不符項目")
    static let reconcileAdoptWaits = T("Wait until the terminal has been asked about every attempt", "請等待所有交易查詢完畢")
    static func reconcileTitle(_ day: String, _ terminal: String) -> T { T("Reconcile \(day) · \(terminal)", "對帳 \(day) · \(terminal)") }
    static func reconcileAsking(_ position: Int, _ total: Int) -> T {
        T("Asking the terminal: \(position) of \(total)…", "正向終端查詢：第 \(position)／\(total) 筆…")
    }
    static let reconcileStarting = T("Reading the journal…", "正在讀取日誌…")
    static let reconcileNone = T("No attempts on this day: nothing to reconcile", "此日沒有交易，無需對帳")
    static func reconcileAllAgree(_ count: Int) -> T {
        T("All agree: \(count) attempt\(count == 1 ? "" : "s")", "全部相符：\(count) 筆")
    }
    static func reconcileMismatches(_ count: Int) -> T {
        T("\(count) mismatch\(count == 1 ? "" : "es")", "\(count) 筆不符")
    }
    static func reconcileUnreachable(_ count: Int) -> T {
        T("Terminal unreachable: \(count) not answered", "終端無法連線：\(count) 筆未有回覆")
    }
    static func reconcileSkipped(_ count: Int) -> T { T("\(count) skipped (another terminal's)", "\(count) 筆略過（屬另一終端）") }
    static func reconcileStopped(_ position: Int, _ total: Int) -> T {
        T("Stopped at \(position) of \(total); k asks again", "已於第 \(position)／\(total) 筆停止；按 k 重新查詢")
    }
    static let reconcileRefusedBusy = T("Stopped: the terminal is busy with a sale or a request; k asks again once it is done",
                                        "已停止：終端正處理交易或請求；完成後按 k 重新查詢")
    static func reconcileJournalUnreadable(_ reason: String) -> T {
        T("Stopped: the journal could not be read (\(reason)); run `qfecr doctor`", "已停止：無法讀取日誌（\(reason)）；請執行 `qfecr doctor`")
    }
    static let reconcileClose = T("Esc close", "Esc 關閉")
    static let reconcileMove = T("row", "選擇")
    static let reconcileAgain = T("again", "重新查詢")

    // The table
    static let columnVerdict = T("Verdict", "結果")
    static let columnTime = T("Time", "時間")
    static let columnTransaction = T("Transaction", "交易")
    static let columnKind = T("Kind", "類別")
    static let columnAmount = T("Amount", "金額")
    static let columnJournal = T("Journal", "日誌")
    static let columnTerminal = T("Terminal", "終端")
    static let columnProblem = T("Problem", "問題")

    static func verdict(_ verdict: ReconcileFinding.Verdict) -> T {
        switch verdict {
        case .agree: return T("agree", "相符")
        case .mismatch: return T("MISMATCH", "不符")
        case .skipped: return T("skipped", "略過")
        case .unreachable: return T("no answer", "無回覆")
        }
    }
    static let verdictAdopted = T("adopted", "已採納")

    /// What the terminal said: its code and the word for it.
    static func terminalSaid(_ finding: ReconcileFinding) -> T {
        if let said = finding.answer { return terminalSaid(said) }
        if case .noAnswer? = finding.reason { return T("no answer", "沒有回覆") }
        return T("not asked", "未查詢")
    }

    static func terminalSaid(_ said: TerminalSaid) -> T {
        let word: T
        switch said.category {
        case .success: word = said.aboutRefund ? T("refunded", "已退款") : T("paid", "已付款")
        case .pending: word = T("in progress", "處理中")
        case .notFound: word = T("no such order", "查無此單")
        case .failure: word = T("failed", "失敗")
        case .cancelled: word = T("cancelled", "已取消")
        case .rejected: word = T("refused", "被拒絕")
        }
        return T("\(said.code) \(word.english)", "\(said.code) \(word.traditionalChinese)")
    }

    static func problem(_ problem: ReconcileFinding.Problem) -> T {
        switch problem {
        case .paidNotInJournal: return T("paid there, missed here", "終端已收款，日誌漏記")
        case .notPaidOnTerminal: return T("not paid on the terminal", "終端未收款")
        case .unknownToTerminal: return T("unknown to the terminal", "終端查無此單")
        case .amountDiffers: return T("amounts differ", "金額不符")
        case .refundedDiffers: return T("refunds differ", "退款金額不符")
        case .otherRecord: return T("another transaction's record", "終端紀錄屬另一交易")
        case .pendingOnTerminal: return T("still in progress there", "終端仍在處理")
        case .unsettledInJournal: return T("final there, open here", "終端已完結，日誌未完結")
        }
    }
    static let skippedElsewhere = T("another terminal's", "屬另一終端")
    static let notAskedUnreachable = T("not asked: the terminal could not be reached", "未查詢：無法連線終端")
    static let adoptHint = T("a adopts it: the terminal has it paid and the journal missed it", "按 a 採納：終端已收款而日誌漏記")

    // Adopting
    static let adoptTitle = T("Adopt this payment?", "採納這筆付款？")
    static func adoptBody(_ id: String, _ amount: String, _ journal: String, _ terminal: String) -> T {
        T("\(id)  \(amount): \(journal) in the journal, \(terminal) on the terminal.",
          "\(id)  \(amount)：日誌為「\(journal)」，終端為「\(terminal)」。")
    }
    static let adoptExplain = T("The terminal is asked once more; if its record still proves this payment, it is recorded as "
                                + "approved in the journal, adopted from reconcile (as qfecr reconcile --adopt does).",
                                "將再向終端查詢一次；若其紀錄仍證明此付款，便會以「對帳採納」記錄為成功（與 qfecr reconcile --adopt 相同）。")
    static let adoptKeys = T("y / Enter  adopt it      n / Esc  back", "y / Enter 採納      n / Esc 返回")
    static func adoptAsking(_ id: String) -> T { T("Asking the terminal about \(id) again…", "正再向終端查詢 \(id)…") }
    static func adopted(_ id: String) -> T { T("Adopted \(id): now approved in the journal", "已採納 \(id)：日誌已記錄為成功") }
    static func notAdopted(_ detail: T) -> T { T("Not adopted: \(detail.english)", "未採納：\(detail.traditionalChinese)") }
}
