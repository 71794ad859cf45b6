import ECRProtocol
import Foundation

/// A signed notification QFPay would POST to the merchant's URL after a successful payment or refund
/// (PROTOCOL.md §7). Built here; the server posts it.
public struct MerchantNotification: Sendable, Hashable {
    public let url: String
    /// The exact bytes signed and sent.
    public let body: [UInt8]
    /// `X-QF-SIGN`: UPPERCASE MD5(body + notification key).
    public let signature: String
    /// `payment` or `refund`.
    public let notifyType: String
    public let syssn: String

    public var headers: [(String, String)] {
        [("Content-Type", "application/json"), ("X-QF-SIGN", signature)]
    }

    /// Alphabetic currency in notifications, where the terminal says `344`.
    static let currency = "HKD"

    static func make(for event: TerminalEvent, url: String, key: String, settings: TerminalSettings) -> MerchantNotification? {
        let object: JSONObject
        let syssn: String
        switch event {
        case .paymentFinished(let payment) where payment.state == .approved:
            syssn = payment.syssn
            object = JSONObject([
                ("notify_type", .string("payment")),
                ("status", .string("1")),
                ("respcd", .string(TransactionStatus.success.code)),
                ("syssn", .string(payment.syssn)),
                ("out_trade_no", .string(payment.outTradeNo ?? "")),
                ("txamt", .string(String(payment.amount.cents))),
                ("txcurrcd", .string(currency)),
                ("pay_type", .string(payment.payType)),
                ("txdtm", .string(TerminalTime.stamp(payment.createdAt))),
                ("sysdtm", .string(TerminalTime.stamp(payment.completedAt ?? payment.createdAt))),
                ("chnlsn", .string(payment.channelOrderNo)),
                ("cancel", .string("0")),
                ("mchid", .string(settings.storeId)),
            ])
        case .refundFinished(let refund, let payment):
            syssn = refund.syssn
            object = JSONObject([
                ("notify_type", .string("refund")),
                ("status", .string("1")),
                ("respcd", .string(TransactionStatus.success.code)),
                ("syssn", .string(refund.syssn)),
                ("out_trade_no", .string(refund.outTradeNo ?? "")),
                ("orig_syssn", .string(payment.syssn)),
                ("orig_out_trade_no", .string(payment.outTradeNo ?? "")),
                ("txamt", .string(String(refund.amount.cents))),
                ("txcurrcd", .string(currency)),
                ("pay_type", .string(refund.payType)),
                ("txdtm", .string(TerminalTime.stamp(refund.createdAt))),
                ("sysdtm", .string(TerminalTime.stamp(refund.createdAt))),
                ("chnlsn", .string(refund.channelOrderNo)),
                ("mchid", .string(settings.storeId)),
            ])
        default:
            return nil
        }
        let body = Array(JSONValue.object(object).serialized().utf8)
        return MerchantNotification(url: url, body: body,
                                    signature: NotificationSignature.sign(body: body, notificationKey: key),
                                    notifyType: object["notify_type"]!.stringValue!, syssn: syssn)
    }
}
