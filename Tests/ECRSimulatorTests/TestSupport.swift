import ECRProtocol
import Foundation
import XCTest
@testable import ECRSimulator

let testKey = "f46b1f08bec1f39104792cc79ec9aacd"
/// 2025-11-21 10:00:00 +08:00, well inside a business day.
let morning = Date(timeIntervalSince1970: 1_763_690_400)

func body(_ request: ECRRequest, key: String = testKey, encrypted: Bool = true) -> [UInt8] {
    Array(try! EnvelopeEncoder.encode(request, posKey: key, encryption: encrypted).body.utf8)
}

func pay(_ cents: Int64, _ channel: Channel = .wechat, _ outTradeNo: String, scan: ScanType? = nil) -> ECRRequest {
    .payment(PaymentRequest(amount: Amount(cents: cents), channel: channel, outTradeNo: outTradeNo, scanType: scan))
}

func makeTerminal(delay: TimeInterval = 0, mode: AnswerMode = .sync, encryptAnswers: Bool = false,
                  scenario: Scenario? = nil) -> VirtualTerminal {
    VirtualTerminal(settings: TerminalSettings(posKey: testKey, mode: mode, customerDelay: delay,
                                               encryptAnswers: encryptAnswers, scenario: scenario))
}

extension VirtualTerminal {
    /// Sends a request and expects an immediate answer.
    mutating func answer(_ request: ECRRequest, at now: Date = morning, path: String? = nil,
                         file: StaticString = #filePath, line: UInt = #line) -> VirtualAnswer {
        answer(raw: body(request), at: now, path: path, file: file, line: line)
    }

    mutating func answer(raw: [UInt8], method: String = "POST", at now: Date = morning, path: String? = nil,
                         file: StaticString = #filePath, line: UInt = #line) -> VirtualAnswer {
        switch receive(TerminalRequest(method: method, path: path, body: raw), at: now) {
        case .answer(let a): return a
        case .waiting(let ticket, let until, _):
            XCTFail("expected an answer, the terminal waits (ticket \(ticket) until \(String(describing: until)))", file: file, line: line)
            return VirtualAnswer(request: nil, response: ECRResponse(outer: .otherError), delivery: .closeWithoutAnswer, printout: nil)
        }
    }

    mutating func inquire(_ key: InquiryKey, at now: Date = morning) -> TransactionRecord? {
        answer(.inquiry(key), at: now).response.data
    }
}

extension VirtualAnswer {
    /// The answer as a till would read it off the wire.
    var decoded: ECRResponse? {
        guard case .send(let bytes) = delivery else { return nil }
        return try? ResponseDecoder.decode(bytes, posKey: testKey)
    }
}
