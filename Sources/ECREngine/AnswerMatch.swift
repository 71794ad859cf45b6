import ECRProtocol

/// Whether a record the terminal or QFPay sent can be about an attempt (DESIGN.md step 5). A record
/// that does not match settles nothing: the attempt stays as it was and is asked about again.
///
/// Every identifying field the record carries must agree with the attempt — `out_trade_no`, `txamt`
/// (cents), the kind (payment or refund: `tradetp`, `notify_type`, `orig_syssn`), the original sale
/// of a refund, and the `syssn` once the attempt knows its own. Fields a record leaves out are not held
/// against it, because the terminal's answer to the till's own request often omits them (a trade
/// answer may carry no `txamt`). A record that arrives by other means (a notification, a query the
/// cashier made) must in addition name the attempt: see `Arrival.external`.
enum AnswerMatch {
    enum Arrival {
        /// The answer to this attempt's own trade or inquiry request.
        case reply
        /// A notification or the cashier's query. A payment's is found by its out_trade_no already;
        /// a refund's must carry the refund's out_trade_no, its syssn, or the original sale together
        /// with exactly this refund's amount.
        case external
    }

    /// What differs (`amount 0.01, not 10.00`); empty when the record matches.
    static func differences(_ record: TransactionRecord, attempt: PaymentAttempt, arrival: Arrival) -> [Mismatch] {
        var found: [Mismatch] = []
        let amount = attempt.amount.cents > 0 ? attempt.amount : nil
        if let theirs = record.amount, let amount, theirs != amount {
            found.append(.amount(theirs: theirs, ours: amount))
        }
        if let theirs = record.syssn, let ours = attempt.syssn, theirs != ours {
            found.append(.syssn(theirs: theirs, ours: ours))
        }
        switch attempt.kind {
        case .payment:
            if let theirs = record.outTradeNo, theirs != attempt.outTradeNo {
                found.append(.outTradeNo(theirs: theirs, ours: attempt.outTradeNo))
            }
            if let kind = record.namedKind, kind != .payment {
                found.append(.refundRecord)
            } else if let sale = record.origSyssn {
                found.append(.refundOfSale(sale: sale))
            }
        case .refund:
            let original = attempt.refund?.originalSyssn
            // The sale a refund record names: `orig_syssn` (`origssn`), or the request's `orderId` echoed.
            let namedSale = record.origSyssn ?? record.text("orderId")
            if record.namedKind == .payment {
                found.append(.paymentRecord)
            }
            if let theirs = namedSale, let original, theirs != original {
                found.append(.refundOfOtherSale(theirs: theirs, ours: original))
            }
            if let theirs = record.syssn, theirs == original {
                found.append(.saleItself(sale: theirs))
            }
            // Over LAN the terminal picks a refund's out_trade_no (often the sale's): it only speaks
            // against the record when nothing else ties it to the sale.
            if let theirs = record.outTradeNo, theirs != attempt.outTradeNo, namedSale == nil {
                found.append(.outTradeNo(theirs: theirs, ours: attempt.outTradeNo))
            }
            if arrival == .external, found.isEmpty, !namesRefund(record, attempt) {
                found.append(.namesNeither(outTradeNo: attempt.outTradeNo, sale: original, amount: amount))
            }
        }
        return found
    }

    /// What an inquiry of a refund's original sale must show: that sale, as a payment, for its amount.
    static func saleDifferences(_ record: TransactionRecord, origin: RefundOrigin) -> [Mismatch] {
        var found: [Mismatch] = []
        if let theirs = record.syssn, theirs != origin.originalSyssn {
            found.append(.otherSale(theirs: theirs, ours: origin.originalSyssn))
        }
        if let kind = record.namedKind, kind != .payment {
            found.append(.refundRecordNotSale(sale: origin.originalSyssn))
        }
        if let theirs = record.amount, let ours = origin.originalAmount, theirs != ours {
            found.append(.saleAmount(theirs: theirs, ours: ours))
        }
        return found
    }

    /// One line for the activity log: what was ignored, and why.
    static func ignored(_ what: String, _ differences: [Mismatch]) -> String {
        "\(what) ignored: \(differences.map(EnglishOutcomeText.mismatch).joined(separator: "; "))"
    }

    private static func namesRefund(_ record: TransactionRecord, _ attempt: PaymentAttempt) -> Bool {
        if record.outTradeNo == attempt.outTradeNo { return true }
        if let ours = attempt.syssn, record.syssn == ours { return true }
        // The terminal chose the refund's out_trade_no: the sale and exactly this amount must both be named.
        return record.origSyssn != nil && record.origSyssn == attempt.refund?.originalSyssn
            && attempt.amount.cents > 0 && record.amount == attempt.amount
    }
}

extension TransactionRecord {
    /// The kind the record says it is (`tradetp`, a notification's `notify_type`), nil when it does not say.
    var namedKind: AttemptKind? {
        for key in ["tradetp", "notify_type"] {
            guard let value = text(key)?.lowercased() else { continue }
            if value == "payment" { return .payment }
            if value == "refund" || value == "cancel" { return .refund }
        }
        return nil
    }
}
