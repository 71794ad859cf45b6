import ECRProtocol

/// Which open request an answer on a packet link belongs to. Answers carry no ref or func_type of
/// the request, and a terminal answers an inquiry or cancel at once while a trade still waits for its
/// customer, so answers can come out of order. The answer's fields say what it is (seed 000 §6:
/// trade, refund and inquiry data differ); what they do not settle goes to the oldest quick request,
/// since a trade's answer is the one that waits for a customer. Unverified on a device.
enum PacketTransportRouting {
    enum Shape: Sendable, Equatable {
        /// A payment's or refund's answer, or the terminal's "cancelled" (6001).
        case trade
        /// An inquiry record.
        case inquiry
        /// No data, a bare status, or an unreadable answer.
        case unclear
    }

    /// Fields only inquiry records carry (seed 000 "Transaction Inquiry Data").
    static let inquiryFields = ["server_time", "cancel", "tradetp", "allow_refund_amt", "opuid", "opuser", "nickname"]
    /// Fields only trade and refund answers carry (seed 000 "Trade/Refund Response Data").
    static let tradeFields = ["paydtm", "mchntnm", "udid", "orig_syssn", "originTxamt"]

    static func shape(of response: ECRResponse) -> Shape {
        if response.outer == .cancelledOnTerminal { return .trade }
        guard let fields = response.data?.fields else { return .unclear }
        if inquiryFields.contains(where: { fields[$0] != nil }) { return .inquiry }
        if tradeFields.contains(where: { fields[$0] != nil }) { return .trade }
        return .unclear
    }

    static func isTrade(_ operation: ECRProtocol.Operation) -> Bool {
        operation == .payment || operation == .refund
    }

    /// The id of the request that gets an answer of `shape`, among those waiting (oldest first);
    /// nil when none waits. A lone waiting request gets every answer.
    static func recipient(for shape: Shape, among waiting: [(id: Int, operation: ECRProtocol.Operation)]) -> Int? {
        guard waiting.count > 1 else { return waiting.first?.id }
        let preferred: ((id: Int, operation: ECRProtocol.Operation)) -> Bool
        switch shape {
        case .trade: preferred = { isTrade($0.operation) }
        case .inquiry: preferred = { $0.operation == .inquiry }
        case .unclear: preferred = { !isTrade($0.operation) }
        }
        return (waiting.first(where: preferred) ?? waiting.first)?.id
    }
}
