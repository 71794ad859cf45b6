import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport
import Synchronization

/// Requests, answers and timeouts the transport tests share.
enum TransportFixtures {
    /// The Chinese seed's default key: a test key, never a real terminal's.
    static let posKey = "f46b1f08bec1f39104792cc79ec9aacd"
    static let syssn = "20251121000100020001"
    static let outTradeNo = "T01-20251121-0001"

    static let payment = ECRRequest.payment(PaymentRequest(amount: Amount(cents: 12_345), channel: .wechat, outTradeNo: outTradeNo))
    static let refund = ECRRequest.refund(RefundRequest(orderId: syssn, refundAmount: Amount(cents: 500), allowModify: false))
    static let printReceipt = ECRRequest.printReceipt(orderId: syssn)
    static let inquiry = ECRRequest.inquiry(.outTradeNo(outTradeNo))
    /// One request of each operation, in func_type order.
    static let everyOperation: [ECRRequest] = [payment, refund, printReceipt, .printSummary, inquiry, .cancelRequest]

    /// Short deadlines, so failure tests end fast: a payment waits no longer than anything else.
    static let quick = TransportTimeouts(connect: 1, request: 0.5, payment: 0)

    /// A successful answer of the kind the terminal gives for `request`: trade, refund or inquiry data.
    static func answer(to request: ECRRequest) -> ECRResponse {
        var fields: [(String, JSONValue)] = [("respcd", .string("0000")), ("syssn", .string(syssn))]
        switch request {
        case .payment(let p):
            fields += [("out_trade_no", .string(p.outTradeNo)), ("txamt", .string(String(p.amount.cents))),
                       ("paydtm", .string("2025-11-21 14:32:09")), ("udid", .string("SIM1"))]
        case .refund:
            fields += [("orig_syssn", .string(syssn)), ("txamt", .string("500"))]
        case .inquiry:
            fields += [("out_trade_no", .string(outTradeNo)), ("cancel", .number("0")), ("tradetp", .string("payment")),
                       ("txamt", .number("12345"))]
        default:
            return ECRResponse(outer: .accepted, respmsg: "ok \(request.operation.funcType)")
        }
        return ECRResponse(outer: .accepted, respmsg: "ok \(request.operation.funcType)", data: TransactionRecord(fields: JSONObject(fields)))
    }

    /// The bytes of an answer as a terminal sends it: plain JSON.
    static func answerBytes(to request: ECRRequest) -> [UInt8] {
        Array(answer(to: request).serialized().utf8)
    }
}

/// What a stand-in terminal received.
struct SeenRequest: Sendable {
    let path: String?
    let contentType: String?
    let request: ECRRequest
    let form: DecodedEnvelope.Form
}

/// Reads a request body as the terminal would; fails the test if it cannot.
func readEnvelope(_ body: [UInt8], path: String? = nil, contentType: String? = nil) throws -> SeenRequest {
    let envelope = try EnvelopeDecoder.decode(body, posKey: TransportFixtures.posKey)
    XCTAssertTrue(envelope.digestMatches(posKey: TransportFixtures.posKey), "the digest must match the POS-KEY")
    return SeenRequest(path: path, contentType: contentType, request: try ECRRequest(content: envelope.content), form: envelope.form)
}

/// The failure `request` ends in; fails the test when it succeeds.
func failure(of transport: any Transport, _ request: ECRRequest, file: StaticString = #filePath, line: UInt = #line) async -> TransportFailure? {
    do {
        let response = try await transport.perform(request)
        XCTFail("expected a failure, got \(response.serialized())", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// Seconds `body` took.
func elapsed(_ body: () async -> Void) async -> Double {
    let start = Deadline.now.uptimeNanoseconds
    await body()
    return Double(Deadline.now.uptimeNanoseconds - start) / 1e9
}

/// A loopback port nothing listens on (bound, then released).
func closedLoopbackPort() throws -> UInt16 {
    let listener = try TCPListener(host: "127.0.0.1", port: 0)
    let port = listener.port
    listener.close()
    return port
}

/// Waits up to `seconds` for `condition`, polling; false when it never held.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Deadline.after(seconds: seconds)
    while !condition() {
        if deadline.hasPassed { return false }
        usleep(10_000)
    }
    return true
}

/// A wire observer that keeps notes as well as events.
final class NoteRecorder: WireNoteObserver {
    private let recorded = Mutex((events: [WireEvent](), notes: [WireNote]()))

    func observe(_ event: WireEvent) {
        recorded.withLock { $0.events.append(event) }
    }

    func observe(note: WireNote) {
        recorded.withLock { $0.notes.append(note) }
    }

    var events: [WireEvent] { recorded.withLock { $0.events } }
    var notes: [WireNote] { recorded.withLock { $0.notes } }

    func text(_ direction: WireEvent.Direction) -> String {
        String(decoding: events.filter { $0.direction == direction }.flatMap(\.bytes), as: UTF8.self)
    }
}
