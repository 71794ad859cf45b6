import ECRConfiguration
import ECREngine
import ECRProtocol
import XCTest

// The fault-injection matrix: one class per transport, one test per fault, so every cell shows in
// the output by name. XCTest on Linux finds only the test methods a class declares itself, so each
// class lists its faults; what a fault must come to is said once, in `FaultMatrixRig.check`.
// The simulated terminal's outcome is chosen by the amount's cents: .51 declined, .52 customer
// cancels, .53 never pays, .54 paid but the connection drops, .55 slow, .56 garbled answer,
// .57 answered at once (result by inquiry only); `--mode ack` answers every trade at once.

/// One row of the matrix.
enum Fault {
    case approved
    case declined51
    /// 6001, confirmed by one inquiry (1261 not paid) before it is shown as final.
    case customerCancels52
    case neverPays53IsUnresolvedAtTheDeadlineThenCancelled
    /// The cancel (5001) ends the waiting trade with 6001, confirmed by inquiry.
    case neverPays53CancelledWhileWaiting
    /// Paid, but no answer: unknown, found by inquiry, never resent.
    case connectionDropped54
    case slow55
    /// Paid, but the answer is garbage: unknown, found by inquiry, never resent.
    case garbled56
    /// 6000 with no result: awaiting, the result by inquiry.
    case answeredAtOnce57
    case modeAckApproved
    /// In ack mode there is no 6001: the customer's cancel is seen only by inquiry, as 1261 (not paid),
    /// which the policy reads as declined. LAN only.
    case modeAckCustomerCancels52
    /// The at-once answer itself is lost: unknown, then found by inquiry. LAN only.
    case modeAckConnectionDropped54
    case restartMidWaitResumesAndApproves
    /// LAN only, as the simulated cloud takes no refunds.
    case refundInFull
    case refundPartThenTheRest
    /// Nothing listens where the till points: the sale fails before it reaches a terminal.
    case connectionRefused
    /// Paid, but the link fails in the middle of the answer: unknown, found by inquiry, never resent.
    case answerCutShort58
    /// The till's key is not the terminal's: the terminal cannot read the sale and takes no payment.
    case wrongKey
    /// Paid only after the till's deadline: unresolved, then "query again" finds it approved.
    case answerAfterTheDeadline61
    /// Another till's sale holds the terminal: this sale is refused, nothing is charged.
    case terminalBusy
    /// The terminal dies mid-payment and comes back with its state: the till finds the payment by inquiry.
    case terminalRestartedMidPayment
    /// The answer names another sale and amount: never taken as this sale's, found by inquiry.
    case answerForAnotherSale59
}

extension FaultMatrixRig {
    /// Runs one fault over this rig's transport and checks what it must come to.
    ///
    /// The ECR Cloud answers every trade "pushed" at once and its result is found only by
    /// `/ecr/v1/query`. The LAN answer faults (.54 dropped connection, .56 garbled bytes) happen between
    /// the terminal and a LAN till, so over the cloud they are plain approvals found by query; there is
    /// no 6001 either, so a customer's cancel is a query result of 1261 (not paid), which the policy
    /// reads as declined. `--mode ack` changes only the LAN ports: the cloud answers every trade at
    /// once anyway. What the cloud must guarantee is the same: one payment, one push, the outcome by query.
    func check(_ fault: Fault, file: StaticString = #filePath, line: UInt = #line) async throws {
        let cloud = lane.isCloud
        try await FaultMatrixRig.$running.withValue(fault) { try await run(fault, cloud: cloud, file: file, line: line) }
    }

    private func run(_ fault: Fault, cloud: Bool, file: StaticString, line: UInt) async throws {
        /// On the cloud every trade passes through "awaiting"; on a LAN only the faults that say so.
        func path(_ lan: [AttemptState]) -> [AttemptState] { cloud ? [.awaiting] : lan }
        func lanOnly() -> Bool {
            if cloud { XCTFail("\(lane): \(fault) is a LAN case", file: file, line: line) }
            return !cloud
        }
        switch fault {
        case .connectionRefused:
            try await nothingCharged(expect: .rejected, file: file, line: line) { profile, scratch in
                profile.port = Int(try closedLoopbackPort())
                profile.cloudBaseURL = "http://127.0.0.1:\(try closedLoopbackPort())"
                profile.device = scratch + "/no-such-terminal"
            }
        case .wrongKey:
            try await nothingCharged(expect: .rejected, file: file, line: line) { profile, _ in
                profile.posKey = Secret("00112233445566778899aabbccddeeff")
                profile.cloudClientKey = Secret("NOT-THE-CLIENT-KEY")
            }
        case .terminalBusy:
            try await busyTerminal(file: file, line: line)
        case .answerCutShort58:
            try await sale(cents: 1_058, expect: .approved, respcd: "0000", path: path([.unknown]), file: file, line: line)
        case .answerForAnotherSale59:
            try await sale(cents: 1_059, expect: .approved, respcd: "0000", path: path([.unknown]), file: file, line: line)
        case .answerAfterTheDeadline61:
            try await answerAfterTheDeadline(file: file, line: line)
        case .terminalRestartedMidPayment:
            try await terminalRestartedMidPayment(file: file, line: line)
        case .approved:
            try await sale(cents: 1_000, expect: .approved, respcd: "0000", path: path([]), file: file, line: line)
        case .declined51:
            try await sale(cents: 1_051, expect: .declined, respcd: "1205", path: path([]), file: file, line: line)
        case .customerCancels52:
            try await sale(cents: 1_052, expect: cloud ? .declined : .cancelled, respcd: "1261", path: path([.cancelling]),
                           file: file, line: line)
        case .neverPays53IsUnresolvedAtTheDeadlineThenCancelled:
            try await neverPaysUntilTheDeadline(file: file, line: line)
        case .neverPays53CancelledWhileWaiting:
            try await neverPaysCancelledWhileWaiting(expect: .cancelled, file: file, line: line)
        case .connectionDropped54:
            try await sale(cents: 1_054, expect: .approved, respcd: "0000", path: path([.unknown]), file: file, line: line)
        case .slow55:
            try await sale(cents: 1_055, expect: .approved, respcd: "0000", path: path([]), file: file, line: line)
        case .garbled56:
            try await sale(cents: 1_056, expect: .approved, respcd: "0000", path: path([.unknown]), file: file, line: line)
        case .answeredAtOnce57:
            try await sale(cents: 1_057, expect: .approved, respcd: "0000", path: [.awaiting], file: file, line: line)
        case .modeAckApproved:
            try await sale(cents: 1_000, mode: .ack, expect: .approved, respcd: "0000", path: [.awaiting], file: file, line: line)
        case .modeAckCustomerCancels52:
            guard lanOnly() else { return }
            try await sale(cents: 1_052, mode: .ack, expect: .declined, respcd: "1261", path: [.awaiting], file: file, line: line)
        case .modeAckConnectionDropped54:
            guard lanOnly() else { return }
            try await sale(cents: 1_054, mode: .ack, expect: .approved, respcd: "0000", path: [.unknown], file: file, line: line)
        case .restartMidWaitResumesAndApproves:
            try await restartMidWait(file: file, line: line)
        case .refundInFull:
            guard lanOnly() else { return }
            try await refund(partial: nil, file: file, line: line)
        case .refundPartThenTheRest:
            guard lanOnly() else { return }
            try await refund(partial: Amount(cents: 200), file: file, line: line)
        }
    }
}

/// A column of the matrix: one way of reaching the terminal, with its simulators shared by the
/// class's tests and stopped when the class is done.
protocol FaultMatrixColumn: XCTestCase {
    static var lane: FaultMatrixRig.Lane { get }
}

extension FaultMatrixColumn {
    func check(_ fault: Fault, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await FaultMatrixRig.shared(Self.lane).check(fault, file: file, line: line)
    }
}

/// LAN HTTP: one POST per request.
final class FaultMatrixHTTPTests: XCTestCase, FaultMatrixColumn {
    static let lane = FaultMatrixRig.Lane.http
    override class func tearDown() {
        FaultMatrixRig.release(lane)
        super.tearDown()
    }

    func testApproved() async throws { try await check(.approved) }
    func testDeclined51() async throws { try await check(.declined51) }
    func testCustomerCancels52() async throws { try await check(.customerCancels52) }
    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws { try await check(.neverPays53IsUnresolvedAtTheDeadlineThenCancelled) }
    func testNeverPays53CancelledWhileWaiting() async throws { try await check(.neverPays53CancelledWhileWaiting) }
    func testConnectionDropped54() async throws { try await check(.connectionDropped54) }
    func testSlow55() async throws { try await check(.slow55) }
    func testGarbled56() async throws { try await check(.garbled56) }
    func testAnsweredAtOnce57() async throws { try await check(.answeredAtOnce57) }
    func testModeAckApproved() async throws { try await check(.modeAckApproved) }
    func testModeAckCustomerCancels52() async throws { try await check(.modeAckCustomerCancels52) }
    func testModeAckConnectionDropped54() async throws { try await check(.modeAckConnectionDropped54) }
    func testRestartMidWaitResumesAndApproves() async throws { try await check(.restartMidWaitResumesAndApproves) }
    func testConnectionRefused() async throws { try await check(.connectionRefused) }
    func testAnswerCutShort58() async throws { try await check(.answerCutShort58) }
    func testWrongKey() async throws { try await check(.wrongKey) }
    func testAnswerAfterTheDeadline61() async throws { try await check(.answerAfterTheDeadline61) }
    func testTerminalBusy() async throws { try await check(.terminalBusy) }
    func testAnswerForAnotherSale59() async throws { try await check(.answerForAnotherSale59) }
    func testTerminalRestartedMidPayment() async throws { try await check(.terminalRestartedMidPayment) }
    func testRefundInFull() async throws { try await check(.refundInFull) }
    func testRefundPartThenTheRest() async throws { try await check(.refundPartThenTheRest) }
}

/// LAN HTTPS, trusting the simulator's generated CA (pinned by fingerprint).
final class FaultMatrixHTTPSTests: XCTestCase, FaultMatrixColumn {
    static let lane = FaultMatrixRig.Lane.https
    override class func tearDown() {
        FaultMatrixRig.release(lane)
        super.tearDown()
    }

    func testApproved() async throws { try await check(.approved) }
    func testDeclined51() async throws { try await check(.declined51) }
    func testCustomerCancels52() async throws { try await check(.customerCancels52) }
    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws { try await check(.neverPays53IsUnresolvedAtTheDeadlineThenCancelled) }
    func testNeverPays53CancelledWhileWaiting() async throws { try await check(.neverPays53CancelledWhileWaiting) }
    func testConnectionDropped54() async throws { try await check(.connectionDropped54) }
    func testSlow55() async throws { try await check(.slow55) }
    func testGarbled56() async throws { try await check(.garbled56) }
    func testAnsweredAtOnce57() async throws { try await check(.answeredAtOnce57) }
    func testModeAckApproved() async throws { try await check(.modeAckApproved) }
    func testModeAckCustomerCancels52() async throws { try await check(.modeAckCustomerCancels52) }
    func testModeAckConnectionDropped54() async throws { try await check(.modeAckConnectionDropped54) }
    func testRestartMidWaitResumesAndApproves() async throws { try await check(.restartMidWaitResumesAndApproves) }
    func testConnectionRefused() async throws { try await check(.connectionRefused) }
    func testAnswerCutShort58() async throws { try await check(.answerCutShort58) }
    func testWrongKey() async throws { try await check(.wrongKey) }
    func testAnswerAfterTheDeadline61() async throws { try await check(.answerAfterTheDeadline61) }
    func testTerminalBusy() async throws { try await check(.terminalBusy) }
    func testAnswerForAnotherSale59() async throws { try await check(.answerForAnotherSale59) }
    func testTerminalRestartedMidPayment() async throws { try await check(.terminalRestartedMidPayment) }
    func testRefundInFull() async throws { try await check(.refundInFull) }
    func testRefundPartThenTheRest() async throws { try await check(.refundPartThenTheRest) }
}

/// LAN TCP with QFPay packets (the default framing).
final class FaultMatrixTCPPacketTests: XCTestCase, FaultMatrixColumn {
    static let lane = FaultMatrixRig.Lane.tcpPacket
    override class func tearDown() {
        FaultMatrixRig.release(lane)
        super.tearDown()
    }

    func testApproved() async throws { try await check(.approved) }
    func testDeclined51() async throws { try await check(.declined51) }
    func testCustomerCancels52() async throws { try await check(.customerCancels52) }
    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws { try await check(.neverPays53IsUnresolvedAtTheDeadlineThenCancelled) }
    func testNeverPays53CancelledWhileWaiting() async throws { try await check(.neverPays53CancelledWhileWaiting) }
    func testConnectionDropped54() async throws { try await check(.connectionDropped54) }
    func testSlow55() async throws { try await check(.slow55) }
    func testGarbled56() async throws { try await check(.garbled56) }
    func testAnsweredAtOnce57() async throws { try await check(.answeredAtOnce57) }
    func testModeAckApproved() async throws { try await check(.modeAckApproved) }
    func testModeAckCustomerCancels52() async throws { try await check(.modeAckCustomerCancels52) }
    func testModeAckConnectionDropped54() async throws { try await check(.modeAckConnectionDropped54) }
    func testRestartMidWaitResumesAndApproves() async throws { try await check(.restartMidWaitResumesAndApproves) }
    func testConnectionRefused() async throws { try await check(.connectionRefused) }
    func testAnswerCutShort58() async throws { try await check(.answerCutShort58) }
    func testWrongKey() async throws { try await check(.wrongKey) }
    func testAnswerAfterTheDeadline61() async throws { try await check(.answerAfterTheDeadline61) }
    func testTerminalBusy() async throws { try await check(.terminalBusy) }
    func testAnswerForAnotherSale59() async throws { try await check(.answerForAnotherSale59) }
    func testTerminalRestartedMidPayment() async throws { try await check(.terminalRestartedMidPayment) }
    func testRefundInFull() async throws { try await check(.refundInFull) }
    func testRefundPartThenTheRest() async throws { try await check(.refundPartThenTheRest) }
}

/// LAN TCP with bare bodies (`tcp_framing = raw`).
final class FaultMatrixTCPRawTests: XCTestCase, FaultMatrixColumn {
    static let lane = FaultMatrixRig.Lane.tcpRaw
    override class func tearDown() {
        FaultMatrixRig.release(lane)
        super.tearDown()
    }

    func testApproved() async throws { try await check(.approved) }
    func testDeclined51() async throws { try await check(.declined51) }
    func testCustomerCancels52() async throws { try await check(.customerCancels52) }
    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws { try await check(.neverPays53IsUnresolvedAtTheDeadlineThenCancelled) }
    func testNeverPays53CancelledWhileWaiting() async throws { try await check(.neverPays53CancelledWhileWaiting) }
    func testConnectionDropped54() async throws { try await check(.connectionDropped54) }
    func testSlow55() async throws { try await check(.slow55) }
    func testGarbled56() async throws { try await check(.garbled56) }
    func testAnsweredAtOnce57() async throws { try await check(.answeredAtOnce57) }
    func testModeAckApproved() async throws { try await check(.modeAckApproved) }
    func testModeAckCustomerCancels52() async throws { try await check(.modeAckCustomerCancels52) }
    func testModeAckConnectionDropped54() async throws { try await check(.modeAckConnectionDropped54) }
    func testRestartMidWaitResumesAndApproves() async throws { try await check(.restartMidWaitResumesAndApproves) }
    func testConnectionRefused() async throws { try await check(.connectionRefused) }
    func testAnswerCutShort58() async throws { try await check(.answerCutShort58) }
    func testWrongKey() async throws { try await check(.wrongKey) }
    func testAnswerAfterTheDeadline61() async throws { try await check(.answerAfterTheDeadline61) }
    func testTerminalBusy() async throws { try await check(.terminalBusy) }
    func testAnswerForAnotherSale59() async throws { try await check(.answerForAnotherSale59) }
    func testTerminalRestartedMidPayment() async throws { try await check(.terminalRestartedMidPayment) }
    func testRefundInFull() async throws { try await check(.refundInFull) }
    func testRefundPartThenTheRest() async throws { try await check(.refundPartThenTheRest) }
}

/// USB serial: packets over the simulator's pseudo-terminal.
final class FaultMatrixSerialTests: XCTestCase, FaultMatrixColumn {
    static let lane = FaultMatrixRig.Lane.serial
    override class func tearDown() {
        FaultMatrixRig.release(lane)
        super.tearDown()
    }

    func testApproved() async throws { try await check(.approved) }
    func testDeclined51() async throws { try await check(.declined51) }
    func testCustomerCancels52() async throws { try await check(.customerCancels52) }
    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws { try await check(.neverPays53IsUnresolvedAtTheDeadlineThenCancelled) }
    func testNeverPays53CancelledWhileWaiting() async throws { try await check(.neverPays53CancelledWhileWaiting) }
    func testConnectionDropped54() async throws { try await check(.connectionDropped54) }
    func testSlow55() async throws { try await check(.slow55) }
    func testGarbled56() async throws { try await check(.garbled56) }
    func testAnsweredAtOnce57() async throws { try await check(.answeredAtOnce57) }
    func testModeAckApproved() async throws { try await check(.modeAckApproved) }
    func testModeAckCustomerCancels52() async throws { try await check(.modeAckCustomerCancels52) }
    func testModeAckConnectionDropped54() async throws { try await check(.modeAckConnectionDropped54) }
    func testRestartMidWaitResumesAndApproves() async throws { try await check(.restartMidWaitResumesAndApproves) }
    func testConnectionRefused() async throws { try await check(.connectionRefused) }
    func testAnswerCutShort58() async throws { try await check(.answerCutShort58) }
    func testWrongKey() async throws { try await check(.wrongKey) }
    func testTerminalRestartedMidPayment() async throws { try await check(.terminalRestartedMidPayment) }
    func testAnswerAfterTheDeadline61() async throws { try await check(.answerAfterTheDeadline61) }
    func testTerminalBusy() async throws { try await check(.terminalBusy) }
    func testAnswerForAnotherSale59() async throws { try await check(.answerForAnotherSale59) }
    func testRefundInFull() async throws { try await check(.refundInFull) }
    func testRefundPartThenTheRest() async throws { try await check(.refundPartThenTheRest) }
}

/// The ECR Cloud (see `FaultMatrixRig.check` for how its answers differ). The ack-mode LAN faults
/// and refunds are LAN cases.
final class FaultMatrixCloudTests: XCTestCase, FaultMatrixColumn {
    static let lane = FaultMatrixRig.Lane.cloud
    override class func tearDown() {
        FaultMatrixRig.release(lane)
        super.tearDown()
    }

    func testApproved() async throws { try await check(.approved) }
    func testDeclined51() async throws { try await check(.declined51) }
    func testCustomerCancels52() async throws { try await check(.customerCancels52) }
    func testNeverPays53IsUnresolvedAtTheDeadlineThenCancelled() async throws { try await check(.neverPays53IsUnresolvedAtTheDeadlineThenCancelled) }
    func testNeverPays53CancelledWhileWaiting() async throws { try await check(.neverPays53CancelledWhileWaiting) }
    func testConnectionDropped54() async throws { try await check(.connectionDropped54) }
    func testSlow55() async throws { try await check(.slow55) }
    func testGarbled56() async throws { try await check(.garbled56) }
    func testAnsweredAtOnce57() async throws { try await check(.answeredAtOnce57) }
    func testModeAckApproved() async throws { try await check(.modeAckApproved) }
    func testRestartMidWaitResumesAndApproves() async throws { try await check(.restartMidWaitResumesAndApproves) }
    func testConnectionRefused() async throws { try await check(.connectionRefused) }
    func testAnswerCutShort58() async throws { try await check(.answerCutShort58) }
    func testWrongKey() async throws { try await check(.wrongKey) }
    func testAnswerAfterTheDeadline61() async throws { try await check(.answerAfterTheDeadline61) }
    func testTerminalBusy() async throws { try await check(.terminalBusy) }
    func testAnswerForAnotherSale59() async throws { try await check(.answerForAnotherSale59) }
    func testTerminalRestartedMidPayment() async throws { try await check(.terminalRestartedMidPayment) }
}
