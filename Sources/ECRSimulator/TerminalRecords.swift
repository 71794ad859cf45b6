import ECRProtocol
import Foundation

/// The `data` records a terminal returns, with the field names of seed 000 ("Trade Response Data",
/// "Refund Response Data", "Transaction Inquiry Data"). Trade answers carry amounts as strings and
/// inquiries as numbers: both occur in the field, so clients must read either.
enum TerminalRecords {
    /// Numeric ISO 4217 HKD, as the terminal reports it.
    static let currency = "344"

    static func trade(_ entry: LedgerEntry, settings: TerminalSettings) -> JSONObject {
        let status = entry.finalStatusCode ?? TransactionStatus.processing.code
        var o = JSONObject([
            ("respcd", .string(status)),
            ("respmsg", .string(TransactionStatus(code: status).meaning.english)),
            ("resperr", .string(entry.state == .approved ? "" : entry.failureReason ?? "")),
            ("mchntnm", .string(settings.merchantName)),
            ("sysdtm", .string(TerminalTime.stamp(entry.createdAt))),
            ("userid", .string(settings.storeId)),
            ("busicd", .string(entry.payType)),
            ("txamt", .string(String(entry.amount.cents))),
            ("txcurrcd", .string(currency)),
            ("chnlsn", .string(entry.channelOrderNo)),
            ("paydtm", .string(entry.state == .approved ? entry.completedAt.map(TerminalTime.stamp) ?? "" : "")),
            ("udid", .string(settings.deviceId)),
            ("syssn", .string(entry.syssn)),
            ("clisn", .string(entry.clientSerial)),
            ("out_trade_no", .string(entry.outTradeNo ?? "")),
        ])
        if let card = entry.card {
            o["cardscheme"] = .string(card.scheme)
            o["cardno"] = .string(card.maskedNumber)
        }
        return o
    }

    /// Makes a trade record describe another sale, as a terminal that mixed up its answers would
    /// (`.59`): another out_trade_no, syssn and amount. The ledger keeps the true payment.
    static func misattribute(_ record: inout JSONObject, _ entry: LedgerEntry) {
        record["out_trade_no"] = .string("OTHER-" + (entry.outTradeNo ?? entry.syssn))
        record["syssn"] = .string(String(entry.syssn.reversed()))
        record["txamt"] = .string(String(entry.amount.cents + 100))
    }

    static func refund(_ refund: LedgerEntry, payment: LedgerEntry) -> JSONObject {
        let stamp = TerminalTime.stamp(refund.createdAt)
        return JSONObject([
            ("respcd", .string(TransactionStatus.success.code)),
            ("respmsg", .string("refund approved")),
            ("resperr", .string("")),
            ("orig_syssn", .string(payment.syssn)),
            ("syssn", .string(refund.syssn)),
            ("out_trade_no", .string(refund.outTradeNo ?? payment.outTradeNo ?? "")),
            ("txamt", .string(String(refund.amount.cents))),
            ("originTxamt", .string(String(payment.amount.cents))),
            ("txcurrcd", .string(currency)),
            ("chnlsn", .string(refund.channelOrderNo)),
            ("sysdtm", .string(stamp)),
            ("txdtm", .string(stamp)),
            ("paydtm", .string(stamp)),
        ])
    }

    /// A refused or failed operation: the status, why, and what it was about.
    static func failure(code: String, reason: String, extra: [(String, JSONValue)] = []) -> JSONObject {
        var o = JSONObject([
            ("respcd", .string(code)),
            ("respmsg", .string(TransactionStatus(code: code).meaning.english)),
            ("resperr", .string(reason)),
        ])
        for (k, v) in extra { o[k] = v }
        return o
    }

    static func inquiry(_ entry: LedgerEntry, status: String, ledger: MerchantLedger, settings: TerminalSettings,
                        now: Date) -> JSONObject {
        let original = entry.origSyssn.flatMap { ledger.entry(syssn: $0) }
        var o = JSONObject([
            ("respcd", .string(status)),
            ("respmsg", .string(TransactionStatus(code: status).meaning.english)),
            ("server_time", .string(TerminalTime.stamp(now))),
            ("cancel", .number(String(entry.cancelState.rawValue))),
            ("clisn", .string(entry.clientSerial)),
            ("opuid", .string("0000")),
            ("syssn", .string(entry.syssn)),
            ("out_trade_no", .string(entry.outTradeNo ?? "")),
            ("tradetp", .string(entry.kind.rawValue)),
            ("sysdtm", .string(TerminalTime.stamp(entry.createdAt))),
            ("txcurrcd", .string(currency)),
            ("origssn", .string(entry.origSyssn ?? "")),
            ("opuser", .string("Store Account")),
            ("nickname", .string(settings.merchantName)),
            ("userid", .string(settings.storeId)),
            ("customer_source", .string("")),
            ("allow_refund_amt", .number(String(entry.refundable.cents))),
            ("desc", .string(entry.failureReason ?? "")),
            ("txamt", .number(String(entry.amount.cents))),
            ("busicd", .string(entry.payType)),
            ("origbusicd", .string(original?.payType ?? "")),
            ("chnlsn", .string(entry.channelOrderNo)),
        ])
        if let card = entry.card {
            o["cardscheme"] = .string(card.scheme)
            o["cardno"] = .string(card.maskedNumber)
            o["cardtype"] = .string(card.type)
            o["batchno"] = .string(card.batchNo)
            o["refno"] = .string(card.refNo)
        }
        return o
    }
}
