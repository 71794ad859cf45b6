import ECREngine
import ECRProtocol
import XCTest

// The fault-injection matrix, one class per transport, one test per fault (FaultMatrix.swift runs and
// checks each case). The simulated terminal's outcome is chosen by the amount's cents:
// .51 declined, .52 customer cancels, .53 never pays, .54 paid but the connection drops, .55 slow,
// .56 garbled answer, .57 answered at once (result by inquiry only); `--mode ack` answers every trade at once.

/// LAN HTTP: one POST per request.
final class FaultMatrixHTTPTests: XCTestCase {
    private var rig: FaultMatrixRig { FaultMatrixRig.shared(.http) }
    override class func tearDown() {
        FaultMatrixRig.release(.http)
        super.tearDown()
    }

    func testApproved() async throws {
        try await rig.sale(cents: 1_000, expect: .approved, respcd: "0000")
    }

    func testDeclined51() async throws {
        try await rig.sale(cents: 1_051, expect: .declined, respcd: "1205")
    }

    /// 6001, confirmed by one inquiry (1261 not paid) before it is shown as final.
    func testCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, expect: .cancelled, respcd: "1261", path: [.cancelling])
    }

    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws {
        try await rig.neverPaysUntilTheDeadline()
    }

    /// The cancel (5001) ends the waiting trade with 6001, confirmed by inquiry.
    func testNeverPays53CancelledWhileWaiting() async throws {
        try await rig.neverPaysCancelledWhileWaiting(expect: .cancelled)
    }

    /// Paid, but no answer: unknown, found by inquiry, never resent.
    func testConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testSlow55() async throws {
        try await rig.sale(cents: 1_055, expect: .approved, respcd: "0000")
    }

    /// Paid, but the answer is garbage: unknown, found by inquiry, never resent.
    func testGarbled56() async throws {
        try await rig.sale(cents: 1_056, expect: .approved, respcd: "0000", path: [.unknown])
    }

    /// 6000 with no result: awaiting, the result by inquiry.
    func testAnsweredAtOnce57() async throws {
        try await rig.sale(cents: 1_057, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testModeAckApproved() async throws {
        try await rig.sale(cents: 1_000, mode: .ack, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    /// In ack mode there is no 6001: the customer's cancel is seen only by inquiry, as 1261 (not paid),
    /// which the policy reads as declined.
    func testModeAckCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, mode: .ack, expect: .declined, respcd: "1261", path: [.awaiting])
    }

    /// The at-once answer itself is lost: unknown, then found by inquiry.
    func testModeAckConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, mode: .ack, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testRestartMidWaitResumesAndApproves() async throws {
        try await rig.restartMidWait()
    }

    func testRefundInFull() async throws {
        try await rig.refund(partial: nil)
    }

    func testRefundPartThenTheRest() async throws {
        try await rig.refund(partial: Amount(cents: 200))
    }
}

/// LAN HTTPS, trusting the simulator's generated CA (pinned by fingerprint).
final class FaultMatrixHTTPSTests: XCTestCase {
    private var rig: FaultMatrixRig { FaultMatrixRig.shared(.https) }
    override class func tearDown() {
        FaultMatrixRig.release(.https)
        super.tearDown()
    }

    func testApproved() async throws {
        try await rig.sale(cents: 1_000, expect: .approved, respcd: "0000")
    }

    func testDeclined51() async throws {
        try await rig.sale(cents: 1_051, expect: .declined, respcd: "1205")
    }

    /// 6001, confirmed by one inquiry (1261 not paid) before it is shown as final.
    func testCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, expect: .cancelled, respcd: "1261", path: [.cancelling])
    }

    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws {
        try await rig.neverPaysUntilTheDeadline()
    }

    /// The cancel (5001) ends the waiting trade with 6001, confirmed by inquiry.
    func testNeverPays53CancelledWhileWaiting() async throws {
        try await rig.neverPaysCancelledWhileWaiting(expect: .cancelled)
    }

    /// Paid, but no answer: unknown, found by inquiry, never resent.
    func testConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testSlow55() async throws {
        try await rig.sale(cents: 1_055, expect: .approved, respcd: "0000")
    }

    /// Paid, but the answer is garbage: unknown, found by inquiry, never resent.
    func testGarbled56() async throws {
        try await rig.sale(cents: 1_056, expect: .approved, respcd: "0000", path: [.unknown])
    }

    /// 6000 with no result: awaiting, the result by inquiry.
    func testAnsweredAtOnce57() async throws {
        try await rig.sale(cents: 1_057, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testModeAckApproved() async throws {
        try await rig.sale(cents: 1_000, mode: .ack, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    /// In ack mode there is no 6001: the customer's cancel is seen only by inquiry, as 1261 (not paid),
    /// which the policy reads as declined.
    func testModeAckCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, mode: .ack, expect: .declined, respcd: "1261", path: [.awaiting])
    }

    /// The at-once answer itself is lost: unknown, then found by inquiry.
    func testModeAckConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, mode: .ack, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testRestartMidWaitResumesAndApproves() async throws {
        try await rig.restartMidWait()
    }

    func testRefundInFull() async throws {
        try await rig.refund(partial: nil)
    }

    func testRefundPartThenTheRest() async throws {
        try await rig.refund(partial: Amount(cents: 200))
    }
}

/// LAN TCP with QFPay packets (the default framing).
final class FaultMatrixTCPPacketTests: XCTestCase {
    private var rig: FaultMatrixRig { FaultMatrixRig.shared(.tcpPacket) }
    override class func tearDown() {
        FaultMatrixRig.release(.tcpPacket)
        super.tearDown()
    }

    func testApproved() async throws {
        try await rig.sale(cents: 1_000, expect: .approved, respcd: "0000")
    }

    func testDeclined51() async throws {
        try await rig.sale(cents: 1_051, expect: .declined, respcd: "1205")
    }

    /// 6001, confirmed by one inquiry (1261 not paid) before it is shown as final.
    func testCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, expect: .cancelled, respcd: "1261", path: [.cancelling])
    }

    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws {
        try await rig.neverPaysUntilTheDeadline()
    }

    /// The cancel (5001) ends the waiting trade with 6001, confirmed by inquiry.
    func testNeverPays53CancelledWhileWaiting() async throws {
        try await rig.neverPaysCancelledWhileWaiting(expect: .cancelled)
    }

    /// Paid, but no answer: unknown, found by inquiry, never resent.
    func testConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testSlow55() async throws {
        try await rig.sale(cents: 1_055, expect: .approved, respcd: "0000")
    }

    /// Paid, but the answer is garbage: unknown, found by inquiry, never resent.
    func testGarbled56() async throws {
        try await rig.sale(cents: 1_056, expect: .approved, respcd: "0000", path: [.unknown])
    }

    /// 6000 with no result: awaiting, the result by inquiry.
    func testAnsweredAtOnce57() async throws {
        try await rig.sale(cents: 1_057, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testModeAckApproved() async throws {
        try await rig.sale(cents: 1_000, mode: .ack, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    /// In ack mode there is no 6001: the customer's cancel is seen only by inquiry, as 1261 (not paid),
    /// which the policy reads as declined.
    func testModeAckCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, mode: .ack, expect: .declined, respcd: "1261", path: [.awaiting])
    }

    /// The at-once answer itself is lost: unknown, then found by inquiry.
    func testModeAckConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, mode: .ack, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testRestartMidWaitResumesAndApproves() async throws {
        try await rig.restartMidWait()
    }

    func testRefundInFull() async throws {
        try await rig.refund(partial: nil)
    }

    func testRefundPartThenTheRest() async throws {
        try await rig.refund(partial: Amount(cents: 200))
    }
}

/// LAN TCP with bare bodies (`tcp_framing = raw`).
final class FaultMatrixTCPRawTests: XCTestCase {
    private var rig: FaultMatrixRig { FaultMatrixRig.shared(.tcpRaw) }
    override class func tearDown() {
        FaultMatrixRig.release(.tcpRaw)
        super.tearDown()
    }

    func testApproved() async throws {
        try await rig.sale(cents: 1_000, expect: .approved, respcd: "0000")
    }

    func testDeclined51() async throws {
        try await rig.sale(cents: 1_051, expect: .declined, respcd: "1205")
    }

    /// 6001, confirmed by one inquiry (1261 not paid) before it is shown as final.
    func testCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, expect: .cancelled, respcd: "1261", path: [.cancelling])
    }

    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws {
        try await rig.neverPaysUntilTheDeadline()
    }

    /// The cancel (5001) ends the waiting trade with 6001, confirmed by inquiry.
    func testNeverPays53CancelledWhileWaiting() async throws {
        try await rig.neverPaysCancelledWhileWaiting(expect: .cancelled)
    }

    /// Paid, but no answer: unknown, found by inquiry, never resent.
    func testConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testSlow55() async throws {
        try await rig.sale(cents: 1_055, expect: .approved, respcd: "0000")
    }

    /// Paid, but the answer is garbage: unknown, found by inquiry, never resent.
    func testGarbled56() async throws {
        try await rig.sale(cents: 1_056, expect: .approved, respcd: "0000", path: [.unknown])
    }

    /// 6000 with no result: awaiting, the result by inquiry.
    func testAnsweredAtOnce57() async throws {
        try await rig.sale(cents: 1_057, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testModeAckApproved() async throws {
        try await rig.sale(cents: 1_000, mode: .ack, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    /// In ack mode there is no 6001: the customer's cancel is seen only by inquiry, as 1261 (not paid),
    /// which the policy reads as declined.
    func testModeAckCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, mode: .ack, expect: .declined, respcd: "1261", path: [.awaiting])
    }

    /// The at-once answer itself is lost: unknown, then found by inquiry.
    func testModeAckConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, mode: .ack, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testRestartMidWaitResumesAndApproves() async throws {
        try await rig.restartMidWait()
    }

    func testRefundInFull() async throws {
        try await rig.refund(partial: nil)
    }

    func testRefundPartThenTheRest() async throws {
        try await rig.refund(partial: Amount(cents: 200))
    }
}

/// USB serial: packets over the simulator's pseudo-terminal.
final class FaultMatrixSerialTests: XCTestCase {
    private var rig: FaultMatrixRig { FaultMatrixRig.shared(.serial) }
    override class func tearDown() {
        FaultMatrixRig.release(.serial)
        super.tearDown()
    }

    func testApproved() async throws {
        try await rig.sale(cents: 1_000, expect: .approved, respcd: "0000")
    }

    func testDeclined51() async throws {
        try await rig.sale(cents: 1_051, expect: .declined, respcd: "1205")
    }

    /// 6001, confirmed by one inquiry (1261 not paid) before it is shown as final.
    func testCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, expect: .cancelled, respcd: "1261", path: [.cancelling])
    }

    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws {
        try await rig.neverPaysUntilTheDeadline()
    }

    /// The cancel (5001) ends the waiting trade with 6001, confirmed by inquiry.
    func testNeverPays53CancelledWhileWaiting() async throws {
        try await rig.neverPaysCancelledWhileWaiting(expect: .cancelled)
    }

    /// Paid, but no answer: unknown, found by inquiry, never resent.
    func testConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testSlow55() async throws {
        try await rig.sale(cents: 1_055, expect: .approved, respcd: "0000")
    }

    /// Paid, but the answer is garbage: unknown, found by inquiry, never resent.
    func testGarbled56() async throws {
        try await rig.sale(cents: 1_056, expect: .approved, respcd: "0000", path: [.unknown])
    }

    /// 6000 with no result: awaiting, the result by inquiry.
    func testAnsweredAtOnce57() async throws {
        try await rig.sale(cents: 1_057, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testModeAckApproved() async throws {
        try await rig.sale(cents: 1_000, mode: .ack, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    /// In ack mode there is no 6001: the customer's cancel is seen only by inquiry, as 1261 (not paid),
    /// which the policy reads as declined.
    func testModeAckCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, mode: .ack, expect: .declined, respcd: "1261", path: [.awaiting])
    }

    /// The at-once answer itself is lost: unknown, then found by inquiry.
    func testModeAckConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, mode: .ack, expect: .approved, respcd: "0000", path: [.unknown])
    }

    func testRestartMidWaitResumesAndApproves() async throws {
        try await rig.restartMidWait()
    }

    func testRefundInFull() async throws {
        try await rig.refund(partial: nil)
    }

    func testRefundPartThenTheRest() async throws {
        try await rig.refund(partial: Amount(cents: 200))
    }
}

/// The ECR Cloud: every trade is answered "pushed" at once and its result is found only by
/// `/ecr/v1/query`. The LAN answer faults (.54 dropped connection, .56 garbled bytes) happen between
/// the terminal and a LAN till, so over the cloud they are plain approvals found by query; there is no
/// 6001 either, so a customer's cancel is a query result of 1261 (not paid), which the policy reads as
/// declined. What the cloud must guarantee is the same: one payment, one push, the outcome by query.
final class FaultMatrixCloudTests: XCTestCase {
    private var rig: FaultMatrixRig { FaultMatrixRig.shared(.cloud) }
    override class func tearDown() {
        FaultMatrixRig.release(.cloud)
        super.tearDown()
    }

    func testApproved() async throws {
        try await rig.sale(cents: 1_000, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testDeclined51() async throws {
        try await rig.sale(cents: 1_051, expect: .declined, respcd: "1205", path: [.awaiting])
    }

    func testCustomerCancels52() async throws {
        try await rig.sale(cents: 1_052, expect: .declined, respcd: "1261", path: [.awaiting])
    }

    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws {
        try await rig.neverPaysUntilTheDeadline()
    }

    func testNeverPays53CancelledWhileWaiting() async throws {
        try await rig.neverPaysCancelledWhileWaiting(expect: .cancelled)
    }

    func testConnectionDropped54() async throws {
        try await rig.sale(cents: 1_054, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testSlow55() async throws {
        try await rig.sale(cents: 1_055, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testGarbled56() async throws {
        try await rig.sale(cents: 1_056, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testAnsweredAtOnce57() async throws {
        try await rig.sale(cents: 1_057, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    /// `--mode ack` changes only the LAN ports: the cloud answers every trade at once anyway.
    func testModeAckApproved() async throws {
        try await rig.sale(cents: 1_000, mode: .ack, expect: .approved, respcd: "0000", path: [.awaiting])
    }

    func testRestartMidWaitResumesAndApproves() async throws {
        try await rig.restartMidWait()
    }
}
