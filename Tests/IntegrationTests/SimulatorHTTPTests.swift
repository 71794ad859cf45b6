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

    /// The simulator with only its HTTP port, on a free one, and a customer who pays at once.
    func startTerminal() throws -> (SimulatorServer, UInt16) {
        var options = SimulatorOptions()
        options.httpPort = 0
        options.tcpPort = nil
        options.customerDelay = 0
        let server = try SimulatorServer.start(options, log: .silent)
        return (server, try XCTUnwrap(server.endpoints.httpPort))
    }

    func testPaymentThenDuplicateThenInquiry() throws {
        let (server, port) = try startTerminal()
        defer { server.stop() }

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

    /// Idle clients, a trickling one and an oversized body at the simulated terminal's HTTP port:
    /// it keeps answering real requests (it stopped after about 80 idle connections before).
    func testTheTerminalKeepsServingHostileClients() throws {
        let (server, port) = try startTerminal()
        defer { server.stop() }

        let idle = try (0..<200).map { _ in try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2) }
        defer { idle.forEach { $0.close() } }
        let trickling = try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2)
        defer { trickling.close() }
        try trickling.write(Array("POST /api/pos/trade HTTP/1.1\r\nHo".utf8), deadline: .after(seconds: 2))
        let oversized = try TCPConnection.connect(host: "127.0.0.1", port: port, timeout: 2)
        defer { oversized.close() }
        try oversized.write(Array("POST /api/pos/trade HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n".utf8), deadline: .after(seconds: 2))
        let refused = String(decoding: try oversized.read(maxCount: 4096, deadline: .after(seconds: 3)), as: UTF8.self)
        XCTAssertTrue(refused.hasPrefix("HTTP/1.1 413 "), refused)

        let started = Date()
        let inquiry = try send(.inquiry(.outTradeNo("IT-NONE")), to: port)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
        XCTAssertEqual(inquiry.outer, .accepted)
    }
}
