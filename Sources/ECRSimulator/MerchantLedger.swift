import ECRProtocol
import Foundation

/// The merchant's books as QFPay keeps them: every payment and refund, with the rules a real
/// account enforces. A value: the terminal owns one, and it is saved whole after every change.
public struct MerchantLedger: Codable, Sendable, Hashable {
    public private(set) var entries: [LedgerEntry] = []
    /// The last sequence number used in a syssn; never reused, even across days.
    private var sequence: Int = 0

    public init() {}

    public func entry(syssn: String) -> LedgerEntry? {
        entries.first { $0.syssn == syssn }
    }

    public func entry(outTradeNo: String) -> LedgerEntry? {
        entries.first { $0.outTradeNo == outTradeNo }
    }

    /// `orderId` is documented as the syssn, and elsewhere as "syssn or out_trade_no": take both.
    public func entry(orderId: String) -> LedgerEntry? {
        entry(syssn: orderId) ?? entry(outTradeNo: orderId)
    }

    public func refunds(of syssn: String) -> [LedgerEntry] {
        entries.filter { $0.kind == .refund && $0.origSyssn == syssn }
    }

    /// Entries created on a business day (`20251121`).
    public func entries(onDay day: String) -> [LedgerEntry] {
        entries.filter { TerminalTime.day($0.createdAt) == day }
    }

    // MARK: Payments

    /// Records a payment the customer has just been asked for.
    public mutating func openPayment(amount: Amount, channel: Channel, payType: String, outTradeNo: String,
                                     at now: Date) throws(LedgerRefusal) -> LedgerEntry {
        guard entry(outTradeNo: outTradeNo) == nil else { throw .duplicateOutTradeNo(outTradeNo) }
        let number = nextSequence()
        let syssn = Self.syssn(day: now, sequence: number)
        let entry = LedgerEntry(kind: .payment, syssn: syssn, outTradeNo: outTradeNo, amount: amount, channel: channel,
                                payType: payType, channelOrderNo: Self.channelOrderNo(channel, syssn: syssn),
                                clientSerial: Self.clientSerial(number), createdAt: now, completedAt: nil, state: .paying,
                                failureCode: nil, failureReason: nil, card: Self.card(for: channel, sequence: number),
                                origSyssn: nil, refunded: .zero)
        entries.append(entry)
        return entry
    }

    @discardableResult
    public mutating func approve(syssn: String, at now: Date) -> LedgerEntry? {
        finish(syssn: syssn, at: now) { $0.state = .approved }
    }

    @discardableResult
    public mutating func decline(syssn: String, code: String, reason: String, at now: Date) -> LedgerEntry? {
        finish(syssn: syssn, at: now) {
            $0.state = .declined
            $0.failureCode = code
            $0.failureReason = reason
        }
    }

    @discardableResult
    public mutating func closeUnpaid(syssn: String, reason: String, at now: Date) -> LedgerEntry? {
        finish(syssn: syssn, at: now) {
            $0.state = .notPaid
            $0.failureCode = LedgerEntry.notPaidCode
            $0.failureReason = reason
        }
    }

    /// Only a payment still being paid can change state: a late cancel never undoes an approval.
    private mutating func finish(syssn: String, at now: Date, _ change: (inout LedgerEntry) -> Void) -> LedgerEntry? {
        guard let index = entries.firstIndex(where: { $0.syssn == syssn }), entries[index].state == .paying else { return nil }
        change(&entries[index])
        entries[index].completedAt = now
        return entries[index]
    }

    // MARK: Refunds

    /// Checks a refund without recording it; nil `amount` means everything still refundable.
    /// Returns the payment and the amount that would be refunded.
    public func checkRefund(orderId: String, amount: Amount?, at now: Date) throws(LedgerRefusal) -> (payment: LedgerEntry, amount: Amount) {
        guard let payment = entry(orderId: orderId) else { throw .unknownOrder(orderId) }
        guard payment.kind == .payment else { throw .refundOfRefund(orderId) }
        guard payment.state == .approved else { throw .notPaid(orderId) }
        guard payment.channel.allowsRefund else { throw .channelNotRefundable(payment.channel) }
        let refundable = payment.refundable
        guard refundable > .zero else { throw .alreadyRefunded(orderId) }
        let requested = amount ?? refundable
        guard requested > .zero else { throw .zeroAmount }
        guard requested <= refundable else { throw .aboveRefundable(requested: requested, refundable: refundable) }
        if payment.channel.cardRulesApply, requested != payment.amount,
           TerminalTime.day(payment.createdAt) == TerminalTime.day(now) {
            throw .cardPartialSameDay(refundable: refundable)
        }
        return (payment, requested)
    }

    /// Records an approved refund and updates the payment's refundable amount and cancel state.
    public mutating func refund(orderId: String, amount: Amount?, outTradeNo: String? = nil,
                                at now: Date) throws(LedgerRefusal) -> LedgerEntry {
        if let outTradeNo, entry(outTradeNo: outTradeNo) != nil { throw .duplicateOutTradeNo(outTradeNo) }
        let (payment, refundAmount) = try checkRefund(orderId: orderId, amount: amount, at: now)
        let number = nextSequence()
        let syssn = Self.syssn(day: now, sequence: number)
        let refund = LedgerEntry(kind: .refund, syssn: syssn, outTradeNo: outTradeNo, amount: refundAmount,
                                 channel: payment.channel, payType: payment.payType,
                                 channelOrderNo: Self.channelOrderNo(payment.channel, syssn: syssn),
                                 clientSerial: Self.clientSerial(number), createdAt: now, completedAt: now,
                                 state: .approved, failureCode: nil, failureReason: nil, card: payment.card,
                                 origSyssn: payment.syssn, refunded: .zero)
        let index = entries.firstIndex { $0.syssn == payment.syssn }!
        entries[index].refunded = entries[index].refunded + refundAmount
        entries.append(refund)
        return refund
    }

    // MARK: Numbering

    /// Makes the next syssn numbers follow `number`; never moves the sequence back. A simulator
    /// without a state file starts from the clock, so a restart does not hand out a syssn again.
    public mutating func continueSequence(after number: Int) {
        sequence = max(sequence, number)
    }

    /// Milliseconds since 2020-01-01 UTC: a sequence start that grows with time (12 digits until 2051).
    public static func clockSequence(at date: Date) -> Int {
        max(0, Int((date.timeIntervalSince1970 - 1_577_836_800) * 1000))
    }

    private mutating func nextSequence() -> Int {
        sequence += 1
        return sequence
    }

    /// `20251121` + 12-digit sequence: sorts by time and stays unique.
    static func syssn(day: Date, sequence: Int) -> String {
        TerminalTime.day(day) + String(format: "%012ld", sequence)
    }

    static func clientSerial(_ sequence: Int) -> String {
        String(format: "%06ld", sequence % 1_000_000)
    }

    /// Wallets return their own order number; card acquirers leave it empty (as QFPay's samples show).
    static func channelOrderNo(_ channel: Channel, syssn: String) -> String {
        switch channel {
        case .wechat: return "4200" + syssn
        case .alipay: return "2088" + syssn
        case .payme: return "PM" + syssn
        case .unionQR: return "UPQ" + syssn
        case .fps: return "FPS" + syssn
        case .octopus: return "OEM" + syssn
        case .cardPayment, .unionPayCard, .amexCard: return ""
        }
    }

    /// Test cards, varied so receipts and the console show more than one scheme.
    static func card(for channel: Channel, sequence: Int) -> CardDetails? {
        let ref = String(400_000_000_000 + sequence % 100_000_000_000)
        let batch = "000001"
        switch channel {
        case .cardPayment:
            return sequence % 2 == 1
                ? CardDetails(scheme: "VISA", maskedNumber: "476173******0010", type: "CREDIT", batchNo: batch, refNo: ref)
                : CardDetails(scheme: "MASTERCARD", maskedNumber: "520000******1096", type: "DEBIT", batchNo: batch, refNo: ref)
        case .unionPayCard:
            return CardDetails(scheme: "UNIONPAY", maskedNumber: "622848******0017", type: "DEBIT", batchNo: batch, refNo: ref)
        case .amexCard:
            return CardDetails(scheme: "AMEX", maskedNumber: "371449*****8431", type: "CREDIT", batchNo: batch, refNo: ref)
        default:
            return nil
        }
    }
}
