import XCTest
import ECRProtocol
import ECRTransport
import ECRSimulator

/// The simulator as a client on the LAN sees it: real HTTP on loopback, real envelopes.
final class SimulatorHTTPTests: XCTestCase {
    let key = "f46b1f08bec1f39104792cc79ec9aacd"

    func send(_ request: ECRRequest, to port: UInt16) throws -> ECRResponse {
        let encoded = try EnvelopeEncoder.encode(request, posKey: key, encryption: true)
        let connection = try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2)
        defer { connection.close() }
        let http = HTTPRequest.post(request.operation.httpPath, host: "127.0.0.1:\(port)", contentType: "application/json",
                                    body: Array(encoded.body.utf8))
        let answer = try HTTPClient.exchange(http, over: connection, deadline: .after(seconds: 5))
        return try ResponseDecoder.decode(answer.body, posKey: key)
    }

    func testPaymentThenDuplicateThenInquiry() throws {
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = nil
        options.customerDelay = 0
        let server = try SimulatorServer.start(options, log: .silent)
        defer { server.stop() }
        let port = try XCTUnwrap(server.endpoints.httpPort)

        let payment = ECRRequest.payment(PaymentRequest(amount: Amount(cents: 1234), channel: .alipay, outTradeNo: "IT-1"))
        let first = try send(payment, to: port)
        XCTAssertEqual(first.category, .success)
        let syssn = try XCTUnwrap(first.data?.syssn)

        let duplicate = try send(payment, to: port)
        XCTAssertEqual(duplicate.data?.status?.code, "2011", "a reused out_trade_no must not become a second payment")

        let inquiry = try send(.inquiry(.outTradeNo("IT-1")), to: port)
        XCTAssertEqual(inquiry.data?.syssn, syssn)
        XCTAssertEqual(inquiry.data?.refundableAmount, Amount(cents: 1234))
        XCTAssertEqual(server.terminal.state.ledger.entries.count, 1)
    }
}
