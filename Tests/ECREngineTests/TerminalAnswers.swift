import ECRProtocol
import ECRTransport

/// Terminal answers, built the way the terminal shapes them.
enum Terminal {
    static func outer(_ code: String, data: [(String, String)]? = nil) -> ECRResponse {
        let record = data.map { TransactionRecord(fields: JSONObject($0.map { ($0.0, JSONValue.string($0.1)) })) }
        return ECRResponse(outer: OuterStatus(code: code), respmsg: "", resperr: "", data: record)
    }

    /// 6000 with a transaction status in `data`.
    static func status(_ respcd: String, outTradeNo: String? = nil, syssn: String? = nil, more: [(String, String)] = []) -> ECRResponse {
        var fields: [(String, String)] = [("respcd", respcd)]
        if let outTradeNo { fields.append(("out_trade_no", outTradeNo)) }
        if let syssn { fields.append(("syssn", syssn)) }
        return outer("6000", data: fields + more)
    }

    static let approved = status("0000", syssn: "20261121000100020001", more: [("chnlsn", "4200001234"), ("cardscheme", "VISA")])
    static let accepted = outer("6000")
    static let processing = status("1145")
    static let enteringPassword = status("1143")
    static let notFound = status("1136")
    static let cancelled = outer("6001")

    /// An inquiry answer about a sale, for refunds.
    static func sale(syssn: String = "SALE0001", txamt: Int, refundable: Int, cancel: Int = 0, busicd: String = "800101",
                     sysdtm: String = "2026-11-21 10:00:00", respcd: String = "0000", tradetp: String = "payment") -> ECRResponse {
        status(respcd, syssn: syssn, more: [("txamt", String(txamt)), ("allow_refund_amt", String(refundable)),
                                            ("cancel", String(cancel)), ("busicd", busicd), ("sysdtm", sysdtm),
                                            ("tradetp", tradetp)])
    }

    static let timeout = TransportFailure.unknown("no answer within 30 s")
    static let refused = TransportFailure.notSent("connection refused by 192.168.1.50:9001")
}
