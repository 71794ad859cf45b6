import ECRProtocol

extension TerminalEvent {
    /// What the customer or merchant did, in both languages, for the demo's narrow customer pane: the
    /// outcome first (a cut line still says it), then the amount and the channel by name — never a wire
    /// code. Ids make the pane unreadable; the log pane has them.
    public var words: LocalizedText {
        switch self {
        case .paymentFinished(let e):
            let amount = e.amount.display
            let en = "\(amount) (\(e.channel.name.english))", zh = "\(amount)（\(e.channel.name.traditionalChinese)）"
            switch e.state {
            case .approved: return LocalizedText("paid \(en)", "已付款 \(zh)")
            case .declined:
                let why = TransactionStatus(code: e.failureCode ?? LedgerEntry.notPaidCode).meaning
                let code = e.failureCode.map { ($0, "（\($0)）") }
                return LocalizedText("declined \(en): \(why.english)\(code.map { " (\($0.0))" } ?? "")",
                                     "付款失敗 \(zh)：\(why.traditionalChinese)\(code?.1 ?? "")")
            case .notPaid:
                switch e.failureReason {
                case LedgerEntry.cancelledByCustomer?:
                    return LocalizedText("did not pay \(en): cancelled on the terminal", "沒有付款 \(zh)：顧客在終端取消")
                case LedgerEntry.cancelledByRequest?:
                    return LocalizedText("did not pay \(en): the cashier cancelled", "沒有付款 \(zh)：收銀員已取消")
                default:
                    return LocalizedText("did not pay \(en)", "沒有付款 \(zh)")
                }
            case .paying: return LocalizedText("still paying \(en)", "仍在付款 \(zh)")
            }
        case .refundFinished(let refund, let payment):
            return LocalizedText("refunded \(refund.amount.display) (\(refund.channel.name.english)); \(payment.refundable.display) still refundable",
                                 "已退款 \(refund.amount.display)（\(refund.channel.name.traditionalChinese)）；尚餘可退 \(payment.refundable.display)")
        case .refundRefused(_, let refusal):
            return LocalizedText("refund refused: \(refusal.words.english)", "退款被拒絕：\(refusal.words.traditionalChinese)")
        case .cancelled(let what):
            return what.hasPrefix("refund")
                ? LocalizedText("cancel request: the terminal stopped the refund", "取消請求：終端已停止退款")
                : LocalizedText("cancel request: the terminal stopped the payment", "取消請求：終端已停止付款")
        }
    }
}

extension LedgerRefusal {
    /// Why the merchant's books refused a refund, in both languages, without ids.
    public var words: LocalizedText {
        switch self {
        case .duplicateOutTradeNo: return LocalizedText("the till's order number was already used", "收銀機的訂單號已使用過")
        case .unknownOrder: return LocalizedText("the terminal does not know that sale", "終端沒有這筆交易")
        case .refundOfRefund: return LocalizedText("a refund cannot be refunded, only a sale", "只可退款收款交易，退款交易不可再退")
        case .notPaid: return LocalizedText("the sale was not paid, so nothing can go back", "該交易未付款，沒有可退款項")
        case .channelNotRefundable(let channel):
            return LocalizedText("\(channel.name.english) payments cannot be refunded on the terminal",
                                 "\(channel.name.traditionalChinese)付款無法經終端退款")
        case .alreadyRefunded: return LocalizedText("the sale is already refunded in full", "該交易已全額退款")
        case .cardPartialSameDay(let refundable):
            return LocalizedText("card sales refund in full on the day of the sale (\(refundable.display))",
                                 "信用卡交易於交易當日只可全額退款（\(refundable.display)）")
        case .aboveRefundable(let requested, let refundable):
            return LocalizedText("\(requested.display) is more than the \(refundable.display) still refundable",
                                 "\(requested.display) 超過尚可退的 \(refundable.display)")
        case .zeroAmount: return LocalizedText("a refund needs at least 0.01", "退款最少為 0.01")
        }
    }
}
