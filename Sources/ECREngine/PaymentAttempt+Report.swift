import Foundation
import ECRProtocol

extension PaymentAttempt {
    /// The state scripts see: in-progress states read as `unknown`.
    public var reportedState: ReportedState { state.reported }

    /// The object `--json` prints: `state`, `out_trade_no`, `syssn`, `amount` (dollars), `channel`,
    /// `respcd`, `message`, and a few more that help a script (`kind`, `orig_syssn`, `rejection`).
    /// Absent values are JSON `null`, so every key is always there.
    public var report: JSONObject {
        func text(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
        var object = JSONObject([
            ("state", .string(reportedState.rawValue)),
            ("out_trade_no", .string(outTradeNo)),
            ("syssn", text(syssn)),
            ("amount", .string(amount.display)),
            ("channel", text(channel?.wireName)),
            ("respcd", text(respcd)),
            ("message", .string(message)),
            ("kind", .string(kind.rawValue)),
        ])
        if let refund { object["orig_syssn"] = .string(refund.originalSyssn) }
        if let rejection { object["rejection"] = .string(rejection.rawValue) }
        if let cardScheme { object["cardscheme"] = .string(cardScheme) }
        return object
    }
}
