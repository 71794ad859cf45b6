import ECRProtocol
import ECRTransport

/// The outer codes after which the request never became a payment (DESIGN.md step 2).
let rejectionCodes: Set<String> = ["4003", "4004", "4005", "4006", "4007", "5001", "6002"]

/// What the answer to a payment or refund request means for the money.
enum TradeVerdict: Equatable {
    case approved(TransactionRecord)
    /// Accepted, result not known yet: poll.
    case pending(TransactionRecord?)
    case declined(code: String, TransactionRecord)
    /// Outer 6001: cancelled on the terminal, to be confirmed by one inquiry.
    case cancelledOnTerminal
    /// `said`: the terminal's own words, when they say more than the code's meaning.
    case rejected(code: String, said: String?)
    /// Nothing reached the terminal.
    case notSent(TransportFailure)
    /// It may have arrived: find out by inquiry, never by resending. A record about another
    /// transaction (`AnswerMatch`: a late answer to an earlier request on a shared line, or a terminal
    /// that mixes them up) is one of these: it settles nothing.
    case unknown(AnswerProblem)

    init(_ result: Result<ECRResponse, TransportFailure>, attempt: PaymentAttempt) {
        switch result {
        case .failure(let failure):
            self = failure.certainty == .notSent ? .notSent(failure) : .unknown(.failure(failure))
        case .success(let response):
            if let record = response.data {
                let differences = AnswerMatch.differences(record, attempt: attempt, arrival: .reply)
                if !differences.isEmpty {
                    self = .unknown(.aboutAnother(differences))
                    return
                }
            }
            switch response.outer.code {
            case OuterStatus.accepted.code:
                guard let record = response.data, let status = record.status else {
                    self = .pending(response.data)
                    return
                }
                switch status.category {
                case .success: self = .approved(record)
                // 1136 in a trade answer is odd; polling handles it safely (until the deadline).
                case .pending, .notFound: self = .pending(record)
                case .failure, .rejected, .cancelled:
                    self = .declined(code: status.code, record)
                }
            case OuterStatus.cancelledOnTerminal.code:
                self = .cancelledOnTerminal
            case let code where rejectionCodes.contains(code):
                // The terminal's (or cloud's) own words say more than the code alone, e.g. a cloud signature error.
                let said = response.resperr.isEmpty ? response.respmsg : response.resperr
                let meaning = response.outer.meaning.english
                self = .rejected(code: code, said: said.isEmpty || meaning.contains(said) ? nil : said)
            default:
                // An outer code nobody documented: it may have become a payment, so ask.
                self = .unknown(.unexpectedCode(code: response.outer.code))
            }
        }
    }
}

/// What an inquiry by out_trade_no says about a payment.
enum PaymentInquiryVerdict: Equatable {
    case approved(TransactionRecord)
    case pending
    /// 1136: the order does not exist (yet).
    case notFound
    case declined(code: String, TransactionRecord)
    /// No usable answer: transport failure or a refused inquiry.
    case noAnswer(AnswerProblem)
    /// A record about another transaction (`AnswerMatch`): it settles nothing.
    case mismatched([Mismatch])

    init(_ result: Result<ECRResponse, TransportFailure>, attempt: PaymentAttempt) {
        switch result {
        case .failure(let failure):
            self = .noAnswer(.failure(failure))
        case .success(let response):
            guard response.outer == .accepted else {
                self = .noAnswer(.inquiryRefused(code: response.outer.code))
                return
            }
            // Checked before the status: a record of another sale, even without one, is no sign of this one.
            if let record = response.data {
                let differences = AnswerMatch.differences(record, attempt: attempt, arrival: .reply)
                if !differences.isEmpty {
                    self = .mismatched(differences)
                    return
                }
            }
            guard let record = response.data, let status = record.status else {
                self = .pending
                return
            }
            self = Self(status: status, record: record)
        }
    }

    init(status: TransactionStatus, record: TransactionRecord) {
        switch status.category {
        case .success: self = .approved(record)
        case .pending: self = .pending
        case .notFound: self = .notFound
        case .failure, .rejected, .cancelled: self = .declined(code: status.code, record)
        }
    }
}

/// What an inquiry of the original sale says about a refund sent against it.
enum RefundInquiryVerdict: Equatable {
    /// The refundable amount dropped by exactly the refund and the sale shows as (partially) refunded.
    case refunded(TransactionRecord)
    /// Nothing changed yet.
    case unchanged
    /// Something changed, but not as this refund would: a person must look.
    case unexpected(SaleChange)
    case noAnswer(AnswerProblem)
    /// The answer is not about the original sale as the refund knows it (`AnswerMatch`).
    case mismatched([Mismatch])

    init(_ result: Result<ECRResponse, TransportFailure>, origin: RefundOrigin, amount: Amount) {
        switch result {
        case .failure(let failure):
            self = .noAnswer(.failure(failure))
        case .success(let response):
            guard response.outer == .accepted, let record = response.data else {
                self = .noAnswer(.saleInquiryRefused(code: response.outer.code))
                return
            }
            let differences = AnswerMatch.saleDifferences(record, origin: origin)
            if !differences.isEmpty {
                self = .mismatched(differences)
                return
            }
            guard let before = origin.refundableBefore, let now = record.refundableAmount else {
                self = .noAnswer(.noRefundableAmount)
                return
            }
            let refundedMark = record.cancelState == .refunded || record.cancelState == .partiallyRefunded
            // Both amounts came from outside (journal, terminal): checked, never trapped on.
            guard let expected = before.subtracting(amount) else {
                self = .unexpected(.cannotCheck(refund: amount, refundable: before))
                return
            }
            if now == expected && refundedMark {
                self = .refunded(record)
            } else if now == before {
                self = .unchanged
            } else {
                self = .unexpected(.refundableWent(from: before, to: now, expected: expected))
            }
        }
    }
}

extension TransactionRecord {
    /// A notification or query record's result: `respcd` when present, else a notification's `status` "1".
    var conclusiveStatus: TransactionStatus? {
        if let status { return status }
        if text("status") == "1" { return .success }
        return nil
    }
}
