import ECRProtocol
import Foundation

/// A request as it reached the terminal, whatever carried it.
public struct TerminalRequest: Sendable, Hashable {
    /// HTTP method; TCP and serial requests count as POST.
    public var method: String
    /// The HTTP path; nil over TCP and serial, where func_type alone says what to do.
    public var path: String?
    public var body: [UInt8]

    public init(method: String = "POST", path: String? = nil, body: [UInt8]) {
        self.method = method
        self.path = path
        self.body = body
    }
}

/// The terminal's answer to one request, and how it leaves the terminal.
public struct VirtualAnswer: Sendable, Hashable {
    public enum Delivery: Sendable, Hashable {
        /// Send these bytes as the answer body.
        case send([UInt8])
        /// Close the connection without answering (the payment went through regardless).
        case closeWithoutAnswer
        /// The link fails mid-answer: only the first half of these bytes leaves (`cutHalf`), then
        /// the connection closes (a serial line just goes quiet).
        case cutShort([UInt8])
    }

    /// What was asked, when it could be read.
    public let request: ECRRequest?
    /// What the terminal meant to say, even when the delivery garbles or drops it.
    public let response: ECRResponse
    public let delivery: Delivery
    /// A receipt or summary the request printed.
    public let printout: Printout?

    /// One line for the simulator's log: the decoded request and the answer. Holds no secret.
    public var logLine: String {
        let asked = request.map(TerminalLog.describe) ?? "unreadable request"
        var line = "\(asked) → \(TerminalLog.describe(response))"
        switch delivery {
        case .closeWithoutAnswer: line += " [connection closed without answer]"
        case .cutShort: line += " [answer cut short]"
        case .send(let bytes) where TerminalLog.isGarbled(bytes): line += " [answer garbled]"
        case .send: break
        }
        return line
    }
}

/// What the terminal does with a request.
public enum TerminalReply: Sendable, Hashable {
    case answer(VirtualAnswer)
    /// A sync trade or refund: the customer is still busy. Collect the answer at `until`
    /// (nil: only a cancel request will end it), or earlier if the terminal's state changes.
    case waiting(ticket: Int, until: Date?, request: ECRRequest)
}

/// Short descriptions for the log.
enum TerminalLog {
    static func describe(_ request: ECRRequest) -> String { request.summary }

    static func describe(_ response: ECRResponse) -> String {
        var s = response.outer.code
        if let data = response.data {
            if let code = data.text("respcd") { s += " \(code)" }
            s += " " + response.meaning()
            if let syssn = data.syssn { s += " syssn=\(syssn)" }
            if let cancel = data.text("cancel"), let refundable = data.text("allow_refund_amt") {
                s += " cancel=\(cancel) allow_refund_amt=\(refundable)"
            }
        } else {
            s += " " + (response.respmsg.isEmpty ? response.meaning() : response.respmsg)
        }
        if !response.resperr.isEmpty { s += " (\(response.resperr))" }
        return s
    }

    static let garbageTail: [UInt8] = [0x00, 0xFF, 0xFE, 0x1B, 0x5B, 0x3F, 0x7F, 0xC3]

    /// Cut the answer short and add bytes that are neither JSON nor Base64.
    static func garble(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.prefix(max(1, bytes.count / 2))) + garbageTail
    }

    /// What leaves of an answer cut short: its first half (at least one byte).
    static func cutHalf(_ bytes: [UInt8]) -> [UInt8] {
        Array(bytes.prefix(max(1, bytes.count / 2)))
    }

    static func isGarbled(_ bytes: [UInt8]) -> Bool {
        bytes.count >= garbageTail.count && Array(bytes.suffix(garbageTail.count)) == garbageTail
    }
}
