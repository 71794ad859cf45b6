extension ECRRequest {
    /// One line for logs and the console's log pane: the operation and the fields that identify it.
    /// Holds nothing secret (requests carry no key).
    public var summary: String {
        switch self {
        case .payment(let p):
            var s = "payment \(p.amount.display) \(p.channel.wireName) out_trade_no=\(p.outTradeNo)"
            if let scan = p.scanType { s += " scan_type=\(scan.rawValue)" }
            if let t = p.paymentTimeout { s += " payment_timeout=\(t)" }
            return s
        case .refund(let r):
            return "refund orderId=\(r.orderId) amount=\(r.refundAmount?.display ?? "all")"
        case .printReceipt(let id):
            return "print receipt orderId=\(id)"
        case .printSummary:
            return "print summary"
        case .inquiry(.orderId(let id)):
            return "inquiry orderId=\(id)"
        case .inquiry(.outTradeNo(let id)):
            return "inquiry out_trade_no=\(id)"
        case .cancelRequest:
            return "cancel request"
        }
    }
}
