import ECRProtocol
import ECRTransport

/// The Traditional Chinese wording, as a Hong Kong till says it. Codes, amounts, ids and brand names
/// stay as they are; the terminal's status meanings come from `StatusCodes`. Technician detail of a
/// transport failure (endpoints, errno) is not shown here: its kind is.
enum ChineseOutcomeText {
    static func reason(_ reason: OutcomeReason) -> String {
        switch reason {
        case .legacy(let text): return text
        case .recorded: return "已記錄，準備傳送"
        case .sent(.payment): return "已傳送到終端，等待回覆…"
        case .sent(.refund): return "退款已傳送到終端，等待回覆…"
        case .checkingSale(let sale): return "退款前正在核對交易 \(sale)…"
        case .stoppedBeforeSending(let kind): return "未傳送：收銀機在傳送前已停止。\(nothing(kind))，可以重試。"
        case .resumed: return "重新啟動後繼續：正在向終端查詢…"
        case .cancelledBeforeSending: return "傳送前已取消。未有退款。"
        case .askingAgain: return "正在再次向終端查詢…"
        case .settledByHand(let paid, let note):
            return "已人手確認為\(paid ? "已付款" : "未付款")" + (note.isEmpty ? "" : "：\(note)")
        case .refundRefused(let refusal): return refund(refusal)
        case .approved(let kind, let scheme, let cancelLost):
            var text = kind == .payment ? "交易成功" : "退款成功"
            if let scheme { text += "（\(scheme)）" }
            if cancelLost { text += "——取消送達前顧客已完成付款" }
            return text
        case .declined(let code):
            // A code StatusCodes does not know reads "交易失敗(代碼 N)" already.
            let meaning = status(code)
            return meaning.contains(code) ? "交易失敗（代碼 \(code)）" : "交易失敗：\(meaning)（\(code)）"
        case .waitingForCustomer: return "等待顧客付款…"
        case .refundAccepted: return "終端已接受退款，等待結果…"
        case .confirmingCancel: return "已在終端取消，正在確認…"
        case .rejectedByTerminal(let code, let said, let kind):
            let meaning = OutcomeText.outerMeaning(code).traditionalChinese
            return "終端拒絕了請求：\(meaning)\(said.map { "（終端訊息：\($0)）" } ?? "")。\(nothing(kind))。"
        case .notSent(let failure, let kind): return "未傳送：\(self.failure(failure))。\(nothing(kind))，可以重試。"
        case .asking(let problem): return "未有明確回覆（\(self.problem(problem))），正在向終端查詢…"
        case .cancelledOnTerminal(let code): return "已在終端取消（\(status(code))）。未有扣款。"
        case .cancelledByCashier(let code): return "已按收銀員要求取消（\(status(code))）。未有扣款。"
        case .cancelledBeforeCreated: return "終端在建立付款前已取消。未有扣款。"
        case .notFoundYet: return "終端暫時未有這筆付款（1136），繼續查詢…"
        case .cancelPendingCustomer: return "已發出取消；顧客可能仍在付款…"
        case .inquiryUnanswered(let problem): return "查詢未有回覆（\(self.problem(problem))），繼續查詢…"
        case .inquiryAboutAnother: return "查詢回覆的是另一筆交易，繼續查詢…"
        case .refundConfirmed(let sale, let refundable):
            return "退款已確認：交易 \(sale) 尚餘 \(refundable?.display ?? "?") 可退"
        case .refundCancelledOnTerminal: return "退款已在終端取消，原交易不變。未有退款。"
        case .saleUnchanged: return "原交易暫未顯示退款，繼續查詢…"
        case .saleChangedUnexpectedly(let change):
            let what: String
            switch change {
            case .cannotCheck(let refund, let refundable):
                what = "無法核對 \(refund.display) 的退款（可退金額 \(refundable.display)）"
            case .refundableWent(let from, let to, let expected):
                what = "原交易的可退金額由 \(from.display) 變為 \(to.display)，而非 \(expected.display)"
            }
            return "\(what)：再次退款前請人手核對原交易"
        case .saleUnanswered(let problem): return "原交易查詢未有回覆（\(self.problem(problem))），繼續查詢…"
        case .cancelSent: return "已發出取消；正在確認顧客是否在取消前已付款…"
        case .cancelNotTaken(let code):
            return "終端未接受取消（\(OutcomeText.outerMeaning(code).traditionalChinese)）；繼續等待結果…"
        case .cancelMayNotHaveArrived(let failure): return "取消可能未送達終端（\(self.failure(failure))）；繼續等待結果…"
        case .cancelledNeverCreated: return "已取消：終端從未建立這筆付款。未有扣款。"
        case .neverCreated: return "失敗：終端從未建立這筆付款（直至期限仍是 1136）。未有扣款，可以重試。"
        case .unresolved(let kind):
            return "未解決：期限前未有最終結果。請勿再次\(kind == .payment ? "收款" : "退款")：先查看終端或商戶後台，然後再查詢。"
        case .adoptedFromReconcile: return "交易成功——對賬時按終端的付款記錄補錄"
        }
    }

    static func nothing(_ kind: AttemptKind) -> String { kind == .payment ? "未有扣款" : "未有退款" }

    static func status(_ code: String) -> String { TransactionStatus(code: code).meaning.traditionalChinese }

    static func failure(_ failure: TransportFailure) -> String {
        switch failure.kind {
        case .connectionRefused: return "終端拒絕連線"
        case .unreachable: return "無法連接終端"
        case .timeout: return "終端在時限內沒有回應"
        case .reset: return "終端中斷了連線"
        case .tls(let kind): return "加密連線失敗：\(tls(kind))"
        case .garbled: return "終端的回覆無法讀取"
        case .undecryptable: return "終端的回覆無法解密 — 請核對 POS-KEY 及加密設定"
        case .noDevice: return "找不到序列埠裝置"
        case .permissionDenied: return "沒有權限使用連線裝置"
        case .busy: return "終端或線路正忙"
        case .invalidRequest: return "請求無效，無法傳送"
        case .refusedByLink: return "終端或雲端拒絕了請求"
        case .linkDown: return "連線已中斷"
        case .other: return failure.certainty == .notSent ? "連線失敗" : "與終端通訊失敗"
        }
    }

    static func tls(_ kind: TLSFailureKind) -> String {
        switch kind {
        case .untrustedCertificate: return "終端證書不受信任"
        case .certificateExpired: return "終端證書已過期"
        case .certificateNotYetValid: return "終端證書尚未生效"
        case .pinMismatch: return "終端證書與記錄不符"
        case .hostnameMismatch: return "證書與終端地址不符"
        case .certificateRejected: return "終端證書被拒絕"
        case .handshakeFailed: return "加密握手失敗"
        case .trustStoreUnusable: return "信任證書設定無法使用"
        case .connectionLost: return "加密連線中斷"
        case .protocolTooOld: return "終端只支援 1.2 版以前的加密協定，請更新終端的收銀程式"
        }
    }

    static func problem(_ problem: AnswerProblem) -> String {
        switch problem {
        case .failure(let failure): return self.failure(failure)
        case .unexpectedCode(let code): return "終端回覆了未知代碼 \(code)"
        case .aboutAnother(let differences): return "回覆的是另一筆交易：\(differences.map(mismatch).joined(separator: "；"))"
        case .inquiryRefused(let code): return "查詢被拒絕：\(OutcomeText.outerMeaning(code).traditionalChinese)"
        case .saleInquiryRefused(let code): return "原交易查詢被拒絕：\(OutcomeText.outerMeaning(code).traditionalChinese)"
        case .noRefundableAmount: return "原交易的回覆沒有可退金額（allow_refund_amt）"
        }
    }

    static func mismatch(_ mismatch: Mismatch) -> String {
        switch mismatch {
        case .amount(let theirs, let ours): return "金額 \(theirs.display)，而非 \(ours.display)"
        case .syssn(let theirs, let ours): return "syssn \(theirs)，而非 \(ours)"
        case .outTradeNo(let theirs, let ours): return "out_trade_no \(theirs)，而非 \(ours)"
        case .refundRecord: return "這是退款記錄，不是付款"
        case .refundOfSale(let sale): return "這是交易 \(sale) 的退款，不是付款"
        case .paymentRecord: return "這是付款記錄，不是退款"
        case .refundOfOtherSale(let theirs, let ours): return "這是交易 \(theirs) 的退款，而非 \(ours) 的"
        case .saleItself(let sale): return "這是交易 \(sale) 本身，不是它的退款"
        case .namesNeither(let outTradeNo, let sale, let amount):
            return "既沒有註明這筆退款（out_trade_no \(outTradeNo)），也沒有註明交易 \(sale ?? "?") 及金額 \(amount?.display ?? "?")"
        case .otherSale(let theirs, let ours): return "交易 \(theirs)，而非 \(ours)"
        case .refundRecordNotSale(let sale): return "這是退款記錄，不是交易 \(sale)"
        case .saleAmount(let theirs, let ours): return "金額 \(theirs.display)，而非原交易的 \(ours.display)"
        }
    }

    static func refund(_ refusal: RefundRefusal) -> String {
        switch refusal {
        case .checkFailed(let sale, let failure): return "退款前無法核對交易 \(sale)（\(self.failure(failure))）。未有退款，可以重試。"
        case .lookupRefused(let sale, let code):
            return "終端拒絕查詢交易 \(sale)：\(OutcomeText.outerMeaning(code).traditionalChinese)。未有退款。"
        case .noDetails(let sale): return "終端沒有提供交易 \(sale) 的資料。未有退款，請重試。"
        case .answeredOtherSale(let sale, let other): return "終端回覆的是交易 \(other)，而非 \(sale)。未有退款，請重試。"
        case .noSuchSale(let sale): return "此終端沒有交易 \(sale)：請核對收據上的號碼。未有退款。"
        case .saleNotApproved(let sale, let code): return "交易 \(sale) 未成功（\(status(code))）：沒有可退的款項。"
        case .notASale(let sale, _): return "\(sale) 不是銷售交易：請改用原交易的 syssn 退款。"
        case .channelNotRefundable(let channel):
            return "\(channel.name.traditionalChinese) 付款無法經終端退款，請以其他方式退還。"
        case .alreadyDone(let sale, let cancel): return "交易 \(sale) 已\(cancelWord(cancel))：沒有可退的款項。"
        case .refundableUnknown(let sale): return "終端沒有說明交易 \(sale) 尚餘多少可退：請在商戶後台查看。"
        case .nothingLeft(let sale): return "交易 \(sale) 已沒有可退金額。"
        case .moreThanRefundable(let amount, let refundable, let sale):
            return "\(amount.display) 多於交易 \(sale) 尚餘可退的 \(refundable.display)。"
        case .cardFullOnly(let channel, let full):
            return "\(channel.name.traditionalChinese) 交易只可於交易當日全額退款（\(full.display)）。"
        case .cardSameDayOnly(let channel, let saleDay):
            return "\(channel.name.traditionalChinese) 交易只可於交易當日（\(saleDay)）退款；請改經商戶後台退款。"
        }
    }

    static func cancelWord(_ cancel: CancelState) -> String {
        switch cancel {
        case .none: return "未取消"
        case .reversed: return "沖正"
        case .cancelled: return "撤銷"
        case .refunded: return "退款"
        case .preAuthCompleted: return "完成預授權"
        case .partiallyRefunded: return "部分退款"
        }
    }

    static func step(_ step: StepNote) -> String {
        switch step {
        case .text(let text): return text
        case .journaledBeforeSending: return "傳送前已記錄"
        case .paymentSent(let amount, let channel): return "已傳送付款 \(amount.display)（\(channel.name.traditionalChinese)）"
        case .checkingSale(let sale): return "退款交易 \(sale)：先核對原交易"
        case .refundSent(let amount, let sale, let refundable):
            return "已傳送交易 \(sale) 的退款 \(amount.display)（可退 \(refundable?.display ?? "?")）"
        case .resumed: return "重新啟動後繼續"
        case .cancelRequested: return "收銀員要求取消"
        case .askedAgain: return "人手再次查詢"
        case .approved(let kind, let via):
            let what = kind == .payment ? "交易成功" : "退款成功"
            switch via {
            case .answer: return what
            case .inquiry: return "\(what)（經查詢確認）"
            case .notification: return "\(what)（收到通知）"
            case .query: return "\(what)（收銀員查詢）"
            }
        case .acceptedPending: return "終端已接受，等待結果"
        case .cancelledOnTerminal: return "終端回覆 6001 已取消；以查詢確認"
        case .outcomeUnknown(let problem): return "結果未明：\(self.problem(problem))"
        case .stillProcessing: return "終端仍在處理"
        case .deadlinePassed: return "期限已過，仍未有最終結果"
        case .outcome(let reason): return self.reason(reason)
        }
    }

    static func refusal(_ refusal: EngineRefusal) -> String {
        switch refusal {
        case .busy(let id, let state) where state == .unresolved:
            return "\(id) 未解決：請先確認是否已付款（再次查詢或查看商戶後台），然後才開始新交易"
        case .busy(let id, let state):
            return "\(id) 仍在\(state.word.traditionalChinese)：請等候結果（或取消）後才開始另一筆交易"
        case .terminalBusy(let operation): return "終端正忙於\(self.operation(operation))：請稍後再試"
        case .invalidRequest(let error): return "請求未送出：\(request(error))"
        case .outTradeNoAlreadyUsed(let id): return "此收銀機已用過 out_trade_no \(id)：不填寫即可取得新的編號"
        case .unknownOutTradeNo(let id): return "此收銀機的記錄中沒有交易 \(id)"
        case .nothingToCancel: return "沒有進行中的交易可以取消"
        case .notUnresolved(let id, let state): return "\(id) 的狀態是「\(state.word.traditionalChinese)」，並非未解決：不需處理"
        case .journalUnavailable: return "交易記錄無法寫入：未有傳送任何請求；請檢查磁碟空間或權限後重試"
        case .invalidSetting: return "設定無效：請檢查設定檔"
        case .otherTerminal(let id, let terminal):
            return "\(id) 屬於終端 \(terminal)，不是此終端：只可在該終端繼續、查詢、取消及結算"
        }
    }

    static func operation(_ operation: ECRProtocol.Operation) -> String {
        switch operation {
        case .payment: return "付款"
        case .refund: return "退款"
        case .printReceipt: return "列印收據"
        case .printSummary: return "列印總結"
        case .inquiry: return "查詢"
        case .cancelRequest: return "取消請求"
        }
    }

    static func request(_ error: RequestError) -> String {
        switch error {
        case .missingField(let field): return "請求缺少 \(field)"
        case .invalidField(let field, _): return "\(field) 不正確"
        case .content: return "內容不正確"
        }
    }
}
