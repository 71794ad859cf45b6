import Foundation
import ECRProtocol
import ECRTransport

/// Decides, from the terminal's answer about the original sale, whether a refund may be sent and
/// for how much — so an impossible refund is refused at the till instead of on the terminal.
enum RefundPolicy {
    struct Approval: Equatable {
        var amount: Amount
        var channel: Channel?
        var origin: RefundOrigin
    }

    enum Verdict: Equatable {
        case send(Approval)
        /// Refused before the refund was sent; the refusal says why and what to do.
        case refuse(code: String?, RefundRefusal)
    }

    /// `today` is the till's local date as `yyyy-MM-dd` (the card "same day" rule).
    static func check(_ result: Result<ECRResponse, TransportFailure>, origin: RefundOrigin, today: String) -> Verdict {
        let syssn = origin.originalSyssn
        let response: ECRResponse
        switch result {
        case .failure(let failure):
            return .refuse(code: nil, .checkFailed(sale: syssn, failure: failure))
        case .success(let r):
            response = r
        }
        guard response.outer == .accepted else {
            return .refuse(code: response.outer.code, .lookupRefused(sale: syssn, code: response.outer.code))
        }
        guard let record = response.data, let status = record.status else {
            return .refuse(code: nil, .noDetails(sale: syssn))
        }
        if let other = record.syssn, other != syssn {
            return .refuse(code: nil, .answeredOtherSale(sale: syssn, other: other))
        }
        if status.category == .notFound {
            return .refuse(code: status.code, .noSuchSale(sale: syssn))
        }
        guard status.category == .success else {
            return .refuse(code: status.code, .saleNotApproved(sale: syssn, code: status.code))
        }
        if let type = record.tradeType, type.lowercased() != "payment" {
            return .refuse(code: nil, .notASale(sale: syssn, type: type))
        }
        let channel = record.channel
        if let channel, !channel.allowsRefund {
            return .refuse(code: nil, .channelNotRefundable(channel: channel))
        }
        let cancel = record.cancelState
        if let cancel, cancel == .reversed || cancel == .cancelled || cancel == .refunded {
            return .refuse(code: nil, .alreadyDone(sale: syssn, cancel: cancel))
        }
        let refundable: Amount
        if let value = record.refundableAmount {
            refundable = value
        } else if (cancel == nil || cancel == CancelState.none), let amount = record.amount {
            refundable = amount
        } else {
            return .refuse(code: nil, .refundableUnknown(sale: syssn))
        }
        guard refundable.cents > 0 else {
            return .refuse(code: nil, .nothingLeft(sale: syssn))
        }
        let amount = origin.requestedAmount ?? refundable
        guard amount <= refundable else {
            return .refuse(code: nil, .moreThanRefundable(amount: amount, refundable: refundable, sale: syssn))
        }
        if let channel, channel.cardRulesApply {
            let full = record.amount ?? refundable
            if amount != full || refundable != full {
                return .refuse(code: nil, .cardFullOnly(channel: channel, full: full))
            }
            if let saleDay = record.systemTime?.prefix(10), saleDay.count == 10, String(saleDay) != today {
                return .refuse(code: nil, .cardSameDayOnly(channel: channel, saleDay: String(saleDay)))
            }
        }
        var checked = origin
        checked.refundableBefore = refundable
        checked.originalAmount = record.amount
        checked.originalCancelState = cancel?.rawValue
        return .send(Approval(amount: amount, channel: channel, origin: checked))
    }

    static func day(_ date: Date, timeZone: TimeZone) -> String {
        let stamp = OutTradeNoGenerator.stamp(date, timeZone: timeZone)
        let c = Array(stamp)
        return String(c[0..<4]) + "-" + String(c[4..<6]) + "-" + String(c[6..<8])
    }
}
