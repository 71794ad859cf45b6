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
        /// Refused before anything was sent; the message says why and what to do.
        case refuse(code: String?, message: String, rejection: Rejection)
    }

    /// `today` is the till's local date as `yyyy-MM-dd` (the card "same day" rule).
    static func check(_ result: Result<ECRResponse, TransportFailure>, origin: RefundOrigin, today: String) -> Verdict {
        let syssn = origin.originalSyssn
        let response: ECRResponse
        switch result {
        case .failure(let failure):
            return .refuse(code: nil, message: "could not check sale \(syssn) before refunding (\(failure.message)). Nothing was refunded; safe to try again.",
                           rejection: .notSent)
        case .success(let r):
            response = r
        }
        guard response.outer == .accepted else {
            return .refuse(code: response.outer.code,
                           message: "the terminal refused to look up sale \(syssn): \(response.meaning()). Nothing was refunded.",
                           rejection: .terminal)
        }
        guard let record = response.data, let status = record.status else {
            return .refuse(code: nil, message: "the terminal gave no details of sale \(syssn). Nothing was refunded; try again.",
                           rejection: .terminal)
        }
        if let other = record.syssn, other != syssn {
            return .refuse(code: nil, message: "the terminal answered about sale \(other), not \(syssn). Nothing was refunded; try again.",
                           rejection: .terminal)
        }
        if status.category == .notFound {
            return .refuse(code: status.code, message: "there is no sale \(syssn) on this terminal: check the number on the receipt. Nothing was refunded.",
                           rejection: .local)
        }
        guard status.category == .success else {
            return .refuse(code: status.code, message: "sale \(syssn) was not approved (\(status.meaning.english)): there is nothing to refund.",
                           rejection: .local)
        }
        if let type = record.tradeType, type.lowercased() != "payment" {
            return .refuse(code: nil, message: "\(syssn) is a \(type), not a sale: refund the original sale's syssn instead.",
                           rejection: .local)
        }
        let channel = record.channel
        if let channel, !channel.allowsRefund {
            return .refuse(code: nil, message: "\(channel.name.english) payments cannot be refunded through the terminal: give the money back another way.",
                           rejection: .local)
        }
        let cancel = record.cancelState
        if cancel == .reversed || cancel == .cancelled || cancel == .refunded {
            return .refuse(code: nil, message: "sale \(syssn) is already \(cancel!.meaning): nothing is left to refund.", rejection: .local)
        }
        let refundable: Amount
        if let value = record.refundableAmount {
            refundable = value
        } else if (cancel == nil || cancel == CancelState.none), let amount = record.amount {
            refundable = amount
        } else {
            return .refuse(code: nil, message: "the terminal did not say how much of sale \(syssn) is refundable: check it in the merchant portal.",
                           rejection: .local)
        }
        guard refundable.cents > 0 else {
            return .refuse(code: nil, message: "nothing of sale \(syssn) is left to refund.", rejection: .local)
        }
        let amount = origin.requestedAmount ?? refundable
        guard amount <= refundable else {
            return .refuse(code: nil, message: "\(amount.display) is more than the \(refundable.display) still refundable on sale \(syssn).",
                           rejection: .local)
        }
        if let channel, channel.cardRulesApply {
            let full = record.amount ?? refundable
            if amount != full || refundable != full {
                return .refuse(code: nil, message: "\(channel.name.english) sales can only be refunded in full (\(full.display)), on the day of the sale.",
                               rejection: .local)
            }
            if let saleDay = record.systemTime?.prefix(10), saleDay.count == 10, String(saleDay) != today {
                return .refuse(code: nil, message: "\(channel.name.english) sales can only be refunded on the day of the sale (\(saleDay)); refund it through the merchant portal instead.",
                               rejection: .local)
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
