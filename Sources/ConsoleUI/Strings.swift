import ECRProtocol
import ECREngine

/// Every sentence the console shows, in English and Traditional Chinese. Screens take their words
/// from here (and state words from the engine), never from literals of their own.
public enum Strings {
    typealias T = LocalizedText

    // Status line and panes
    static func till(_ id: String) -> T { T("Till \(id)", "收銀機 \(id)") }
    static func key(_ masked: String) -> T { T("key \(masked)", "密鑰 \(masked)") }
    static let ready = T("ready", "就緒")
    static let busy = T("busy", "處理中")
    static let unreachable = T("unreachable", "無法連線")
    static let linkTLSRefused = T("TLS refused", "TLS 被拒")
    static func amountTitle(_ currency: String) -> T { T("Amount \(currency)", "金額 \(currency)") }
    static let channelTitle = T("Channel", "付款方式")
    static let logTitle = T("Log", "紀錄")
    static let logTitleHex = T("Log (hex)", "紀錄（十六進位）")
    static let historyTitle = T("History", "交易紀錄")
    static let customerTitle = T("Customer", "顧客")
    static let typeHint = T("Type an amount, then Enter", "輸入金額後按 Enter")
    static let logEmpty = T("requests and answers appear here", "請求與回應會顯示於此")
    static let historyEmpty = T("no transactions yet", "暫無交易")
    static let paxA920 = T("A920: QR only", "A920 只收二維碼")
    static let sale = T("sale", "收款")
    static let refund = T("refund", "退款")
    static func refundOf(_ syssn: String) -> T { T("of \(syssn)", "原交易 \(syssn)") }
    static let syssn = T("syssn", "交易號")
    static let orderNo = T("order", "訂單")
    static let resumed = T("resumed after a restart", "重新啟動後續查")

    // A sale in progress and its result
    static let waitingCustomer = T("Waiting for the customer…", "等待顧客付款…")
    static let waitingWord = T("waiting for the customer", "等待顧客付款")
    static func customerPaying(_ amount: String, _ channel: T) -> T {
        T("paying \(amount) (\(channel.english))…", "正在付款 \(amount)（\(channel.traditionalChinese)）…")
    }
    static let checking = T("No answer yet: asking the terminal…", "未有回覆：正向終端查詢…")
    static func secondsLeft(_ s: Int) -> T { T("\(s) s left", "尚餘 \(s) 秒") }
    static let escCancels = T("Esc cancels", "Esc 取消")
    static let cancelSent = T("Cancel sent; watching for the result", "已要求取消，正等待結果")

    // Unresolved
    static func banner(_ id: String, _ amount: String) -> T {
        T("UNRESOLVED \(amount) \(id): paid? F4 query again · F7 settle by hand",
          "未解決 \(amount) \(id)：是否已付款？F4 再查詢 · F7 手動結算")
    }

    static func elsewhere(_ count: Int, _ id: String) -> T {
        T(count == 1 ? "\(id) is unfinished at another terminal: resolve it there"
                     : "\(count) transactions are unfinished at other terminals (\(id)…): resolve them there",
          count == 1 ? "\(id) 在另一部終端尚未完成：請在該終端處理（不影響本終端）"
                     : "\(count) 筆交易在其他終端尚未完成（\(id)…）：請在該終端處理")
    }

    // Refusals and amount rules
    static func stillRunning(_ id: String) -> T {
        T("\(id) is still running: wait for its result or press Esc to cancel it",
          "\(id) 仍在進行：請等待結果，或按 Esc 取消")
    }
    static let unresolvedFirst = T("An unresolved transaction must be settled first: F4 query again or F7 settle by hand",
                                   "有未解決的交易，請先處理：F4 再查詢或 F7 手動結算")
    static let noChannel = T("No channel this terminal takes is available", "沒有此終端可用的付款方式")
    static let emptyAmount = T("Type the amount first, e.g. 12.50", "請先輸入金額，例如 12.50")
    static let zeroAmount = T("The amount is zero: a sale needs at least 0.01", "金額為零：最少為 0.01")
    static let twoDecimals = T("Two decimals at most, e.g. 12.34", "最多兩位小數，例如 12.34")
    static let lettersAreCommands = T("Letters are command keys — F1 lists them; type the amount in digits",
                                      "字母是指令鍵（F1 列出）；金額請用數字輸入")
    static let unfinished = T("Finish the amount after the '.', e.g. 12.50", "請完成小數點後的金額，例如 12.50")
    static let oneDot = T("Only one '.' in an amount", "金額只可有一個小數點")
    static let tooLong = T("That is more digits than any sale", "位數太多")
    static func aboveMaximum(_ max: String) -> T { T("Above the maximum of \(max): check the amount", "超過上限 \(max)：請檢查金額") }
    static let nothingToCancel = T("Nothing is running to cancel", "沒有進行中的交易可取消")
    static let selectRow = T("No transaction to act on: History is empty", "交易紀錄是空的，沒有可處理的交易")
    static let onlyApprovedSales = T("Only an approved sale can be refunded: Tab to History, pick the sale with ↑/↓, then F3",
                                     "只可退款已成功的收款：按 Tab 到交易紀錄，用 ↑/↓ 選擇該收款，再按 F3")
    static func notRefundable(_ channel: T) -> T {
        T("\(channel.english) payments cannot be refunded through the terminal: give the money back another way",
          "\(channel.traditionalChinese) 付款無法經終端退款，請以其他方式退還")
    }
    static let nothingLeft = T("Nothing is left to refund on this sale", "此交易已無可退金額")
    static let noSyssn = T("The terminal gave this transaction no syssn: nothing to print or refund", "此交易沒有交易號，無法列印或退款")
    static let nothingUnresolved = T("Nothing is unresolved", "沒有未解決的交易")

    // Dialogs
    static let cancelTitle = T("Cancel this sale?", "取消這筆交易？")
    static let cancelBody = T("The terminal is asked to cancel. The customer may still pay first: the terminal's answer decides.",
                              "將要求終端取消。顧客仍可能先完成付款，以終端的結果為準。")
    static let cancelKeys = T("y / Enter  cancel it      n / Esc  keep waiting", "y / Enter 取消交易      n / Esc 繼續等待")
    static let quitTitle = T("Quit while a sale runs?", "交易進行中，要離開嗎？")
    static let quitBody = T("The sale goes on at the terminal; its result is found on the next start.",
                            "交易會在終端繼續；下次啟動時會查明結果。")
    static let quitTypedTitle = T("Quit and lose the amount?", "離開並放棄金額？")
    static func quitTypedBody(_ amount: String) -> T {
        T("\(amount) is typed but not charged: quitting loses it.", "已輸入 \(amount) 但未收款：離開會放棄此金額。")
    }
    static let quitKeys = T("y / Enter  quit      n / Esc  stay", "y / Enter 離開      n / Esc 留下")
    static let refundTitle = T("Refund", "退款")
    static func refundSale(_ syssn: String, _ amount: String, _ channel: String) -> T {
        T("Sale \(syssn)  \(amount)  \(channel)", "原交易 \(syssn)  \(amount)  \(channel)")
    }
    static func refundable(_ amount: String) -> T { T("Refundable: \(amount)", "可退金額：\(amount)") }
    static let refundAmount = T("Refund amount:", "退款金額：")
    static let cardRule = T("Card sales refund only in full, on the day of the sale.", "信用卡交易只可於交易當日全額退款。")
    static let refundKeys = T("Enter  continue      Esc  close", "Enter 繼續      Esc 關閉")
    static func refundConfirm(_ amount: String, _ syssn: String) -> T {
        T("Refund \(amount) of sale \(syssn)?", "確定退款 \(amount)（原交易 \(syssn)）？")
    }
    static let refundConfirmKeys = T("y / Enter  send the refund      n / Esc  back", "y / Enter 送出退款      n / Esc 返回")
    static func aboveRefundable(_ amount: String) -> T { T("More than the refundable \(amount)", "超過可退金額 \(amount)") }
    static let cardFullOnly = T("Card sales refund only the full amount", "信用卡交易只可全額退款")
    static let sameTitle = T("Charge this amount again?", "再次收取相同金額？")
    static func sameBody(_ amount: String, _ id: String) -> T {
        T("\(amount) (\(id)) was APPROVED after the restart: the customer has paid it. Charge \(amount) again?",
          "\(amount)（\(id)）重新啟動後查明為成功：顧客已付款。要再收取 \(amount) 嗎？")
    }
    static let sameKeys = T("y / Enter  charge again      n / Esc  do not", "y / Enter 再次收款      n / Esc 不要")
    static func settleTitle(_ id: String) -> T { T("Settle \(id) by hand", "手動結算 \(id)") }
    static let settleBody = T("Check the merchant portal or the terminal's own screen first.", "請先查看商戶後台或終端畫面。")
    static let settleAsk = T("y  it was paid      n  it was not paid      Esc  back", "y 已付款      n 未付款      Esc 返回")
    static func settleReason(_ paid: Bool) -> T {
        paid ? T("Paid. Reason (who checked, where):", "已付款。原因（誰於何處核實）：")
             : T("Not paid. Reason (who checked, where):", "未付款。原因（誰於何處核實）：")
    }
    static let settleKeys = T("Enter  record it      Esc  back", "Enter 記錄      Esc 返回")
    static let reasonNeeded = T("Type a reason first", "請先輸入原因")
    // The log list and the exchange detail
    static func logFilterName(_ filter: LogFilter) -> T {
        switch filter {
        case .all: return T("all", "全部")
        case .errors: return T("errors", "錯誤")
        case .payment: return T("payment", "付款")
        case .refund: return T("refund", "退款")
        case .inquiry: return T("inquiry", "查詢")
        case .print: return T("print", "列印")
        case .cancel: return T("cancel", "取消")
        }
    }
    static func logListTitle(_ filter: LogFilter, _ shown: Int, _ total: Int) -> T {
        filter == .all ? T("Log: exchanges (\(total))", "紀錄：通訊（\(total)）")
            : T("Log: \(logFilterName(filter).english) (\(shown) of \(total))",
                "紀錄：\(logFilterName(filter).traditionalChinese)（\(shown)／\(total)）")
    }
    /// An operation of the protocol by name, with its func_type for those who know the codes.
    static func operationName(_ operation: Operation) -> T {
        let name: T
        switch operation {
        case .payment: name = T("payment", "付款")
        case .refund: name = T("refund", "退款")
        case .printReceipt: name = T("receipt print", "列印收據")
        case .printSummary: name = T("summary print", "列印日結")
        case .inquiry: name = T("inquiry", "查詢")
        case .cancelRequest: name = T("cancel request", "取消請求")
        }
        return T("\(name.english) (\(operation.funcType))", "\(name.traditionalChinese)（\(operation.funcType)）")
    }
    static let logNoneMatch = T("no exchange matches; f changes the filter", "沒有符合的通訊；按 f 更換篩選")
    static let noExchange = T("No exchange to open yet", "尚無可開啟的通訊")
    static func exchangeTitle(_ id: Int, _ what: String) -> T { T("Exchange #\(id) · \(what)", "通訊 #\(id) · \(what)") }
    static let note = T("note", "備註")
    static let exchangeKeys = T("Esc close · ↑/↓ PgUp/PgDn scroll", "Esc 關閉 · ↑/↓ PgUp/PgDn 捲動")
    static let sentAt = T("Sent at", "送出時間")
    static let answeredAt = T("Answered at", "回覆時間")
    /// For an exchange that failed: it ended, but nothing (usable) was answered.
    static let endedAt = T("Ended at", "結束時間")
    static let totalTime = T("Total", "總時間")
    static let stillWaiting = T("waiting for the answer", "等待回覆中")
    static func milliseconds(_ ms: String) -> T { T("\(ms) ms", "\(ms) 毫秒") }
    static let connectTime = T("Connect", "連線")
    static let handshakeTime = T("TLS handshake", "TLS 交握")
    static let firstByteTime = T("First byte", "首位元組")
    static let phasesNotRecorded = T("the transport measured no steps of this exchange", "傳輸層未量度此通訊的各步驟時間")
    static let tlsSession = T("TLS", "TLS")
    static let tlsRefused = T("the handshake failed; the terminal showed this chain", "交握失敗；終端出示以下憑證鏈")
    static func certificate(_ number: Int, of count: Int) -> T {
        T("Certificate \(number) of \(count)\(number == 1 ? " · the terminal's" : "")",
          "憑證 \(number)／\(count)\(number == 1 ? " · 終端本身" : "")")
    }
    static let subject = T("Subject", "主體")
    static let issuer = T("Issuer", "簽發者")
    static let notBefore = T("Not before", "生效時間")
    static let notAfter = T("Not after", "到期時間")
    static let fingerprint = T("SHA-256", "SHA-256")
    static let failure = T("Failure", "失敗")
    static let notSent = T("not sent: nothing reached the terminal, safe to try again",
                           "未送出：終端未收到，可安全重試")
    static let mayHaveArrived = T("no answer: the request may have arrived; find the outcome by inquiry, never by resending",
                                  "沒有回覆：請求可能已送達；請以查詢確認結果，切勿重送")
    static let requestHeading = T("Request", "請求")
    static let answerHeading = T("Answer", "回覆")
    static let noAnswer = T("(none)", "（無）")
    static func bytesSent(_ n: Int) -> T { T("Bytes sent (\(n))", "送出位元組（\(n)）") }
    static func bytesReceived(_ n: Int) -> T { T("Bytes received (\(n))", "收到位元組（\(n)）") }
    static let noBytes = T("(not captured)", "（未擷取）")
    static func fieldName(_ name: WirePacketField.Name) -> T {
        switch name {
        case .startIndicator: return T("start indicator", "起始標記")
        case .version: return T("version", "版本")
        case .type: return T("type", "類型")
        case .ref: return T("ref", "序號")
        case .totalLength: return T("total length", "總長度")
        case .dataLength: return T("data length", "資料長度")
        case .data: return T("data", "資料")
        case .endIndicator: return T("end indicator", "結束標記")
        case .unframed: return T("unframed", "非封包")
        }
    }
    /// What a packet is, beside its type byte; the request and answer words match the headings above.
    static func packetKind(_ kind: PacketKind) -> T {
        switch kind {
        case .request: return T("request", "請求")
        case .answer: return T("answer", "回覆")
        case .acknowledgement: return T("acknowledgement", "確認")
        case .error: return T("error", "錯誤")
        case .unknown: return T("unknown", "未知")
        }
    }

    static func exported(_ path: String) -> T { T("exported to \(path) (keys masked)", "已匯出至 \(path)（密鑰已遮蔽）") }
    static func exportFailed(_ path: String, _ why: String) -> T {
        T("cannot export to \(path): \(why); check the directory's permissions and free space",
          "無法匯出至 \(path)：\(why)；請檢查目錄權限及剩餘空間")
    }
    static let exportNoDirectory = T("cannot export: neither XDG_DATA_HOME nor HOME is an absolute path; set one",
                                     "無法匯出：XDG_DATA_HOME 及 HOME 皆非絕對路徑；請設定其一")
    static let nothingToExport = T("Nothing to export: the log list is empty", "沒有可匯出的內容：紀錄清單是空的")

    // The day's totals
    static func totalsTitle(_ date: String) -> T { T("Totals for \(date)", "\(date) 合計") }
    static let totalsClose = T("Esc closes the totals", "Esc 關閉合計")
    static let totalsPayments = T("Sales", "收款")
    static let totalsRefunds = T("Refunds", "退款")
    static let totalsAmount = T("Amount", "金額")
    static let totalsNet = T("Net", "淨額")
    static let totalsApproved = T("Money moved", "實際收支")
    static func totalsCount(_ today: Int, _ all: Int) -> T {
        T("\(today) of \(all) in the history are today's; by channel: approved ones only",
          "交易紀錄 \(all) 筆中今日 \(today) 筆；按付款方式只計成功交易")
    }
    static let totalsByChannel = T("By channel", "按付款方式")
    static let totalsByState = T("By state", "按狀態")
    static let totalsNone = T("none today", "今日沒有")
    static let totalsOverflow = T("The totals do not fit in 64-bit cents: the history is damaged; run qfecr history --totals and check the journal",
                                  "合計超出 64 位元（分）範圍：交易紀錄已損壞；請執行 qfecr history --totals 並檢查日誌")

    static let helpTitle = T("Help: every key", "說明：所有按鍵")
    static let helpClose = T("Esc closes this help", "Esc 關閉說明")
    static let helpLetters = T("Letters work where F-keys do not (h c r q p s m l e x).", "沒有 F 鍵時可用字母（h c r q p s m l e x）。")
    static func tooSmall(_ w: Int, _ h: Int) -> T {
        T("window too small (need 80×24, have \(w)×\(h))", "視窗太小（需要 80×24，現為 \(w)×\(h)）")
    }
    static let tooSmallHint = T("Enlarge the window; F10 quits.", "請放大視窗；F10 離開。")

    // Results of the cashier's own requests, in the engine's words (`OutcomeText`)
    /// What was asked and what the terminal said; the attempt's settled state only when the answer was
    /// about that attempt (by out_trade_no) and succeeded, so the two never contradict.
    static func queried(_ what: T, _ answer: TerminalAnswer) -> T {
        func said(_ language: Language) -> String {
            let terminal = OutcomeText.render(answer, language: language)
            guard case .inquiry(.outTradeNo) = answer.request, answer.succeeded, let attempt = answer.attempt else { return terminal }
            let word = attempt.state.word.text(in: language)
            let reason = OutcomeText.render(attempt.reason, language: language)
            // "approved (VISA)" already says approved.
            if reason.lowercased().hasPrefix(word.lowercased()) { return reason }
            return word + (language == .english ? ", " : "，") + reason
        }
        return T("query \(what.english): \(said(.english))", "查詢 \(what.traditionalChinese)：\(said(.traditionalChinese))")
    }
    static func bySyssn(_ syssn: String) -> T { T("syssn \(syssn)", "交易號 \(syssn)") }
    static func printed(_ syssn: String, _ answer: TerminalAnswer) -> T {
        T("print \(syssn): \(OutcomeText.render(answer, language: .english))",
          "列印 \(syssn)：\(OutcomeText.render(answer, language: .traditionalChinese))")
    }
    static func summaryPrinted(_ answer: TerminalAnswer) -> T {
        T("summary: \(OutcomeText.render(answer, language: .english))",
          "總結：\(OutcomeText.render(answer, language: .traditionalChinese))")
    }

    static let contexts: [KeyContext: T] = [
        .everywhere: T("anywhere", "任何時候"), .amount: T("amount", "金額"), .lists: T("lists", "清單"),
        .history: T("history", "交易紀錄"), .log: T("log", "紀錄"), .running: T("unresolved", "未解決"), .dialogs: T("dialogs", "對話框"),
        .technician: T("technician", "技術人員"),
        .reconcile: T("reconcile", "對帳"),
        .firstRun: T("first-run screen", "首次使用畫面"),
    ]
}

extension LocalizedText {
    /// Shorthand for screens.
    func callAsFunction(_ language: Language) -> String { text(in: language) }
}

/// Which language the console speaks: `--lang` wins, then the configuration's `language`, then the
/// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`: zh_TW, zh_HK, zh_MO and zh-Hant mean Traditional Chinese).
public enum ConsoleLanguage {
    public static func resolve(flag: String?, configured: Language?, environment: [String: String]) throws(LanguageError) -> Language {
        if let flag {
            guard let language = Language(rawValue: flag) else { throw LanguageError(given: flag) }
            return language
        }
        if let configured { return configured }
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        let tag = locale.split(separator: ".").first.map(String.init)?.replacingOccurrences(of: "-", with: "_").lowercased() ?? ""
        let traditional = ["zh_tw", "zh_hk", "zh_mo", "zh_hant"]
        return traditional.contains(where: { tag.hasPrefix($0) }) ? .traditionalChinese : .english
    }
}

public struct LanguageError: Error, Sendable, Equatable, CustomStringConvertible {
    public let given: String
    public var description: String { "--lang '\(given)' is not a language the console speaks: use en or zh-Hant" }
}
