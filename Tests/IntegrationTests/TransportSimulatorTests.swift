import ECRConfiguration
import ECREngine
import ECRProtocol
import ECRSimulator
import ECRTransport
import Foundation
import XCTest

/// Every transport against the simulator, every operation: the transports and the virtual terminal
/// were written apart from each other, from the same protocol notes, so this is where they must agree.
final class TransportSimulatorTests: XCTestCase {
    private var simulator: SimulatorFixture!
    private var server: SimulatorServer { simulator.server }

    override func setUpWithError() throws {
        try start(customerDelay: 0)
    }

    /// Every listener on loopback, ports chosen by the kernel; the customer takes `customerDelay` s.
    private func start(customerDelay: Double) throws {
        simulator?.stop()
        simulator = try SimulatorFixture(customerDelay: customerDelay)
    }

    override func tearDown() {
        simulator?.stop()
        simulator = nil
    }

    private func transport(_ kind: TransportKind, _ change: (inout TerminalProfile) -> Void = { _ in }) throws -> any Transport {
        try simulator.transport(kind, change)
    }

    /// Sale, inquiry, partial refund, receipt, summary, cancel: each answered as the terminal would.
    private func everyLANOperation(over transport: any Transport, tag: String) async throws {
        let outTradeNo = "IT-\(tag)-\(UInt32.random(in: 0...UInt32.max))"
        let sale = ECRRequest.payment(PaymentRequest(amount: Amount(cents: 2_345), channel: .alipay, outTradeNo: outTradeNo))
        let paid = try await transport.perform(sale)
        XCTAssertEqual(paid.outer, .accepted, tag)
        XCTAssertEqual(paid.data?.status, .success, tag)
        XCTAssertEqual(paid.data?.amount, Amount(cents: 2_345), tag)
        let syssn = try XCTUnwrap(paid.data?.syssn, tag)

        let found = try await transport.perform(.inquiry(.outTradeNo(outTradeNo)))
        XCTAssertEqual(found.data?.syssn, syssn, tag)
        XCTAssertEqual(found.data?.status, .success, tag)

        let refund = try await transport.perform(.refund(RefundRequest(orderId: syssn, refundAmount: Amount(cents: 345))))
        XCTAssertEqual(refund.data?.status, .success, tag)
        XCTAssertEqual(refund.data?.origSyssn, syssn, tag)
        let after = try await transport.perform(.inquiry(.orderId(syssn)))
        XCTAssertEqual(after.data?.cancelState, .partiallyRefunded, tag)
        XCTAssertEqual(after.data?.refundableAmount, Amount(cents: 2_000), tag)

        let receipt = try await transport.perform(.printReceipt(orderId: syssn))
        XCTAssertEqual(receipt.outer, .accepted, tag)
        let summary = try await transport.perform(.printSummary)
        XCTAssertEqual(summary.outer, .accepted, tag)
        let cancel = try await transport.perform(.cancelRequest)
        XCTAssertEqual(cancel.outer, .accepted, tag)
    }

    func testHTTP() async throws {
        try await everyLANOperation(over: try transport(.http), tag: "http")
        try await everyLANOperation(over: try transport(.http) { $0.encryption = false }, tag: "http-plain")
    }

    func testHTTPSWithTheSimulatorsGeneratedCA() async throws {
        try await everyLANOperation(over: try transport(.https), tag: "https")
    }

    func testHTTPSRefusesTheSimulatorUnderTheDefaultQFECRPin() async throws {
        let https = try transport(.https) { $0.pin = .qfecrRoot }
        do {
            _ = try await https.perform(.printSummary)
            XCTFail("a generated CA must fail the QFECR pin")
        } catch {
            XCTAssertEqual(error.certainty, .notSent)
            XCTAssertTrue(error.message.contains("fails the pin"), error.message)
        }
    }

    func testTCPWithPacketsAndRaw() async throws {
        try await everyLANOperation(over: try transport(.tcp), tag: "tcp")
        try await everyLANOperation(over: try transport(.tcp) { $0.tcpFraming = .raw }, tag: "tcp-raw")
    }

    func testSerialOverTheSimulatorsPseudoTerminal() async throws {
        let serial = try transport(.serial)
        try await everyLANOperation(over: serial, tag: "serial")
        (serial as? any ClosingTransport)?.close()
    }

    func testWrongPOSKeyIsRejectedOverEveryLANTransport() async throws {
        for kind in [TransportKind.http, .tcp, .serial] {
            let wrong = try transport(kind) { $0.posKey = Secret("00000000000000000000000000000000") }
            let answer = try await wrong.perform(.printSummary)
            XCTAssertEqual(answer.category, .rejected, "\(kind)")
            (wrong as? any ClosingTransport)?.close()
        }
    }

    func testCloud() async throws {
        let cloud = try transport(.cloud)
        let outTradeNo = "IT-cloud-\(UInt32.random(in: 0...UInt32.max))"
        let pushed = try await cloud.perform(.payment(PaymentRequest(amount: Amount(cents: 1_500), channel: .wechat,
                                                                    outTradeNo: outTradeNo)))
        XCTAssertEqual(pushed.outer, .accepted)
        XCTAssertEqual(pushed.category, .pending, "the cloud only says the order was pushed")

        var record: TransactionRecord?
        for _ in 0..<50 where record?.status != .success {
            record = try await cloud.perform(.inquiry(.outTradeNo(outTradeNo))).data
            if record?.status != .success { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        XCTAssertEqual(record?.status, .success)
        XCTAssertEqual(record?.amount, Amount(cents: 1_500))
        let syssn = try XCTUnwrap(record?.syssn)

        let refund = try await cloud.perform(.refund(RefundRequest(orderId: syssn, refundAmount: Amount(cents: 500))))
        XCTAssertEqual(refund.outer, .accepted)
        let receipt = try await cloud.perform(.printReceipt(orderId: syssn))
        XCTAssertEqual(receipt.outer, .accepted, receipt.resperr)
        let summary = try await cloud.perform(.printSummary)
        XCTAssertEqual(summary.outer, .accepted)
        let cancel = try await cloud.perform(.cancelRequest)
        XCTAssertEqual(cancel.outer, .accepted)
        let missing = try await cloud.perform(.inquiry(.outTradeNo("IT-never-sent")))
        XCTAssertEqual(missing.category, .notFound)
    }

    func testCloudWithAWrongClientKeyIsRejected() async throws {
        let cloud = try transport(.cloud) { $0.cloudClientKey = Secret("WRONG-CLIENT-KEY") }
        let answer = try await cloud.perform(.printSummary)
        XCTAssertEqual(answer.outer, .denied)
        XCTAssertTrue(answer.resperr.contains("1108"), answer.resperr)
    }

    /// While a sync payment waits for its customer: a second trade is refused locally, an inquiry
    /// says the customer is busy, a cancel is accepted, and the payment ends cancelled on the terminal.
    func testInquiryAndCancelWhileAPaymentWaitsOverEveryLANTransport() async throws {
        try start(customerDelay: 30)
        for kind in [TransportKind.http, .https, .tcp, .serial] {
            let transport = try transport(kind)
            let outTradeNo = "IT-wait-\(kind.rawValue)"
            let payment = Task {
                try await transport.perform(.payment(PaymentRequest(amount: Amount(cents: 990), channel: .wechat, outTradeNo: outTradeNo)))
            }
            for _ in 0..<100 where !server.terminal.state.isBusy { try await Task.sleep(nanoseconds: 20_000_000) }
            XCTAssertTrue(server.terminal.state.isBusy, "\(kind): the payment reached the terminal")

            do {
                _ = try await transport.perform(.printSummary)
                XCTFail("\(kind): a second request must be refused while the payment waits")
            } catch {
                XCTAssertEqual(error.certainty, .notSent, "\(kind)")
            }
            let inquiry = try await transport.perform(.inquiry(.outTradeNo(outTradeNo)))
            XCTAssertEqual(inquiry.category, .pending, "\(kind)")
            let cancel = try await transport.perform(.cancelRequest)
            XCTAssertEqual(cancel.outer, .accepted, "\(kind)")
            let paid = try await payment.value
            XCTAssertEqual(paid.outer, .cancelledOnTerminal, "\(kind)")
            (transport as? any ClosingTransport)?.close()
            for _ in 0..<100 where server.terminal.state.isBusy { try await Task.sleep(nanoseconds: 20_000_000) }
        }
    }
}
