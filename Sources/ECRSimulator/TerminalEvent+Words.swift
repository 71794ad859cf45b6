import ECRProtocol

extension TerminalEvent {
    /// What the customer or merchant did, in both languages. Ids make the narrow pane unreadable; the
    /// log pane has them.
    public var words: LocalizedText {
        switch self {
        case .paymentFinished(let e):
            let what = "payment \(e.amount.display) \(e.channel.wireName)"
            // A Latin name ("Visa / 萬事達卡") is set off by spaces in Chinese text; a Chinese one is not.
            let name = e.channel.name.traditionalChinese
            let channel = name.first?.isASCII == true ? " \(name) " : name
            switch e.state {
            case .approved: return LocalizedText("\(what) approved", "顧客以\(channel)付款 \(e.amount.display) 成功")
            case .declined:
                return LocalizedText("\(what) declined \(e.failureCode ?? "")", "顧客以\(channel)付款 \(e.amount.display) 失敗 \(e.failureCode ?? "")")
            case .notPaid:
                return LocalizedText("\(what) not paid (\(e.failureReason ?? ""))", "顧客沒有付款 \(e.amount.display)（\(name)）")
            case .paying: return LocalizedText("\(what) still paying", "顧客仍在以\(channel)付款 \(e.amount.display)")
            }
        case .refundFinished(let refund, let payment):
            return LocalizedText("merchant: refund \(refund.amount.display) done, refundable now \(payment.refundable.display)",
                                 "商戶：退款 \(refund.amount.display) 完成，尚餘可退 \(payment.refundable.display)")
        case .refundRefused(_, let reason):
            return LocalizedText("merchant: refund refused: \(reason)", "商戶：退款被拒絕")
        case .cancelled:
            return LocalizedText("cancel request ended it", "取消請求已終止交易")
        }
    }
}
