import ECRProtocol

/// An ECR Cloud answer as read from the body: `{"respcd","resperr","respmsg"}` (seed 004).
struct CloudAnswer: Sendable, Equatable {
    let respcd: String
    /// The cloud's words (`resperr`), kept for the cashier.
    let message: String
    /// `""` for pushes; the transaction record (an object) for a successful query.
    let respmsg: JSONValue?

    /// Nil when the body is not a JSON object with a `respcd`.
    init?(body: [UInt8]) {
        // Lenient: a code may come as a bare number, even with leading zeros (`"respcd":0000`).
        guard case .object(let object)? = try? JSONParser.parse(body, lenient: true),
              let code = object["respcd"]?.statusCode, !code.isEmpty else { return nil }
        respcd = code
        message = object["resperr"]?.scalarText ?? ""
        respmsg = object["respmsg"]
    }
}

/// Maps ECR Cloud answers onto `ECRResponse`, so that the engine's policy works unchanged:
///
/// | cloud `respcd`                                  | endpoint        | ECRResponse                                        |
/// |-------------------------------------------------|-----------------|----------------------------------------------------|
/// | 0000                                            | push (*/async)  | outer 6000, no data: accepted, result pending      |
/// | 0000, record in `respmsg`                       | query           | outer 6000, data = record (its `respcd` as is:      |
/// |                                                 |                 | 0000 success, 1143/1145 pending, other final);     |
/// |                                                 |                 | no `respcd`: `status` "1" → 0000, else 1145        |
/// | 0000, empty `respmsg`                           | query           | outer 6000, no data (pending)                      |
/// | 1136 order does not exist                       | query           | outer 6000, data respcd 1136 (not created yet)     |
/// | 1136 order to refund/print does not exist       | push            | outer 4006 (rejected: nothing was pushed),         |
/// |                                                 |                 | data respcd 1136 (as a terminal says it)           |
/// | 1143, 1145                                      | any             | outer 6000, data respcd 1143/1145 (pending)        |
/// | 1108 signature or app code error                | any             | outer 4003 (rejected)                              |
/// | 1104 parameters refused                         | any             | outer 4006 (rejected)                              |
/// | 1105, 1106 terminal not activated / not bound;  | any             | outer 4005 (rejected)                              |
/// | 1241, 1251 store missing / misconfigured        |                 |                                                    |
/// | 1100 maintenance, 1102 terminal busy/duplicate  | any             | outer 6002 (rejected)                              |
/// | anything else                                   | push            | unknown: it may have been pushed, ask by query     |
/// | anything else                                   | query           | unknown: nothing learned, the engine asks again    |
/// | a body that is not such JSON (any HTTP status)  | any             | unknown                                            |
///
/// A rejected answer keeps the cloud's words in `respmsg` and `resperr` ("ECR Cloud 1106: …").
enum CloudAnswerMapping {
    static func pushResponse(_ answer: CloudAnswer, endpoint: String) -> Result<ECRResponse, TransportFailure> {
        switch answer.respcd {
        case "0000":
            return .success(ECRResponse(outer: .accepted, respmsg: answer.message))
        case "1136":
            // Rejected (nothing was pushed), with the status a terminal gives for an unknown order.
            return .success(rejected(.badParameters, answer, status: .orderNotFound))
        default:
            return common(answer, endpoint: endpoint, unknownMeaning: "the request may have reached the terminal")
        }
    }

    static func queryResponse(_ answer: CloudAnswer, endpoint: String) -> Result<ECRResponse, TransportFailure> {
        switch answer.respcd {
        case "0000":
            guard let record = record(in: answer.respmsg) else {
                return .success(ECRResponse(outer: .accepted, respmsg: answer.message))
            }
            return .success(ECRResponse(outer: .accepted, respmsg: answer.message, data: TransactionRecord(fields: withStatus(record))))
        case TransactionStatus.orderNotFound.code:
            return .success(status(answer))
        default:
            return common(answer, endpoint: endpoint, unknownMeaning: "nothing was learned about the order")
        }
    }

    private static func common(_ answer: CloudAnswer, endpoint: String, unknownMeaning: String) -> Result<ECRResponse, TransportFailure> {
        switch answer.respcd {
        case TransactionStatus.enteringPassword.code, TransactionStatus.processing.code:
            return .success(status(answer))
        case "1108": return .success(rejected(.denied, answer))
        case "1104": return .success(rejected(.badParameters, answer))
        case "1105", "1106", "1241", "1251": return .success(rejected(.otherError, answer))
        case "1100", "1102": return .success(rejected(.requestError, answer))
        default:
            return .failure(.unknown("\(endpoint) answered \(answer.respcd) (\(answer.message)): \(unknownMeaning)."
                + IOFailure.mayHaveArrived, kind: .refusedByLink))
        }
    }

    /// A transaction status in `data`, as the terminal would report it.
    private static func status(_ answer: CloudAnswer) -> ECRResponse {
        let fields = JSONObject([("respcd", .string(answer.respcd)), ("resperr", .string(answer.message))])
        return ECRResponse(outer: .accepted, respmsg: answer.message, data: TransactionRecord(fields: fields))
    }

    private static func rejected(_ outer: OuterStatus, _ answer: CloudAnswer, status: TransactionStatus? = nil) -> ECRResponse {
        ECRResponse(outer: outer, respmsg: answer.message, resperr: "ECR Cloud \(answer.respcd): \(answer.message)",
                    data: status.map(statusRecord))
    }

    /// A `data` record holding only a transaction status, as a terminal reports one.
    static func statusRecord(_ status: TransactionStatus) -> TransactionRecord {
        TransactionRecord(fields: JSONObject([("respcd", .string(status.code))]))
    }

    /// The record of a query: an object, or an object serialized into a string.
    private static func record(in value: JSONValue?) -> JSONObject? {
        switch value {
        case .object(let object)?:
            return object.isEmpty ? nil : object
        case .string(let text)?:
            guard case .object(let object)? = try? JSONParser.parse(text, lenient: true), !object.isEmpty else { return nil }
            return object
        default:
            return nil
        }
    }

    /// The record's transaction status in `respcd`; a record that only has `status` ("1" = success,
    /// as in notifications) gets 0000, one with neither is still processing (1145).
    private static func withStatus(_ record: JSONObject) -> JSONObject {
        if let code = record["respcd"]?.statusCode, !code.isEmpty { return record }
        var fixed = record
        let succeeded = record["status"]?.scalarText == "1"
        fixed["respcd"] = .string(succeeded ? TransactionStatus.success.code : TransactionStatus.processing.code)
        return fixed
    }
}
