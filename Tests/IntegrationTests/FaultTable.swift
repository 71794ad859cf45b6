@testable import ECREngine
import ECRSimulator
import Foundation
import Synchronization

/// The fault matrix as a table, filled in by the cases as they run: for each fault and transport,
/// the final state, the trades the till sent, and the payments lost or charged twice (counted from
/// the simulator's ledger against the journal). Each recorded cell rewrites the Markdown file named
/// by `QFECR_FAULT_TABLE` (`make fault-table` sets it), so the file always holds what ran.
enum FaultTable {
    /// The rows in the order the table shows them; the faults first.
    enum Row: Int, CaseIterable, Sendable {
        case connectionRefused, droppedAfterRequest, droppedMidAnswer, garbled, wrongKey, slowerThanTimeout, terminalBusy,
             terminalRestarted, answerForAnotherSale, tillKilled
        case approved, declined, customerCancels, neverPays, neverPaysCancelled, slowWithinTimeout, answeredAtOnce, ackMode,
             ackModeCustomerCancels, ackModeDropped

        var title: String {
            switch self {
            case .connectionRefused: return "connection refused"
            case .droppedAfterRequest: return "drop after the request (.54)"
            case .droppedMidAnswer: return "drop in the middle of the answer (.58)"
            case .garbled: return "garbled answer (.56)"
            case .wrongKey: return "wrong key"
            case .slowerThanTimeout: return "answer slower than the timeout (.61)"
            case .terminalBusy: return "terminal busy"
            case .terminalRestarted: return "terminal killed and restarted mid-payment, state kept"
            case .answerForAnotherSale: return "answer for another sale and amount (.59)"
            case .tillKilled: return "till killed mid-payment"
            case .approved: return "no fault (approved)"
            case .declined: return "declined (.51)"
            case .customerCancels: return "customer cancels (.52)"
            case .neverPays: return "never pays, deadline passes (.53)"
            case .neverPaysCancelled: return "never pays, cashier cancels (.53)"
            case .slowWithinTimeout: return "slow within the timeout (.55)"
            case .answeredAtOnce: return "answered at once (.57)"
            case .ackMode: return "ack mode, approved"
            case .ackModeCustomerCancels: return "ack mode, customer cancels"
            case .ackModeDropped: return "ack mode, acknowledgement dropped"
            }
        }
    }

    struct Cell: Sendable {
        var state: String
        var sent: Int
        var lost: Int
        var doubled: Int
    }

    private static let cells = Mutex<[FaultMatrixRig.Lane: [Row: Cell]]>([:])

    /// Cells that cannot exist for a transport, with the reason (shown instead of a result).
    static let impossible: [FaultMatrixRig.Lane: [Row: String]] = [
        .cloud: [
            .ackModeCustomerCancels: "the cloud answers every trade at once", .ackModeDropped: "the cloud answers every trade at once",
        ],
    ]

    /// Notes for cells whose fault the transport turns into something else.
    static let notes: [FaultMatrixRig.Lane: [Row: String]] = [
        .cloud: [
            .droppedAfterRequest: "LAN link fault: the cloud answers \"pushed\", result by query",
            .droppedMidAnswer: "LAN link fault: the cloud answers \"pushed\", result by query",
            .garbled: "LAN link fault: the cloud answers \"pushed\", result by query",
            .answerForAnotherSale: "LAN answer fault: the cloud's result comes by query",
            .wrongKey: "the cloud client key (the cloud does not use the POS-KEY)",
        ],
        .serial: [
            .connectionRefused: "a serial line has no connection: the device is missing",
            .terminalBusy: "the sale holding the terminal comes from another till over HTTP: a serial line has room for one till",
        ],
    ]

    /// Records one cell: `payments` are the ledger's payment entries under the attempt's out_trade_no.
    static func record(_ row: Row, lane: FaultMatrixRig.Lane, attempt: PaymentAttempt, journaled: AttemptState?, sent: Int,
                       payments: [LedgerEntry]) {
        let charged = payments.filter { $0.state == .approved }.count
        let lost = charged > 0 && journaled != .approved ? 1 : 0
        // The way there, when it went through doubt: `unknown → approved` shows an inquiry settled it.
        let doubts = [AttemptState.unknown, .unresolved].filter { doubt in attempt.history.contains { $0.to == doubt } }
        let state = (doubts.map(\.rawValue) + [attempt.state.rawValue]).joined(separator: " → ")
        let cell = Cell(state: state, sent: sent, lost: lost, doubled: max(0, charged - 1))
        let snapshot = cells.withLock { cells in
            cells[lane, default: [:]][row] = cell
            return cells
        }
        if let path = ProcessInfo.processInfo.environment["QFECR_FAULT_TABLE"], !path.isEmpty {
            try? markdown(snapshot).write(toFile: path, atomically: true, encoding: .utf8)
        }
    }

    /// The table: one row per fault, one column per transport; each cell `state · sent · lost · double`.
    static func markdown(_ cells: [FaultMatrixRig.Lane: [Row: Cell]]) -> String {
        let lanes = FaultMatrixRig.Lane.allCases
        var footnotes: [String] = []
        func footnote(_ text: String) -> String {
            if let index = footnotes.firstIndex(of: text) { return "[\(index + 1)]" }
            footnotes.append(text)
            return "[\(footnotes.count)]"
        }
        var text = "Each cell: final state (before → : the doubt an inquiry settled) · sales the till sent (tried to send; never more than one) "
            + "· payments lost · double charges.\n\n"
        text += "| fault | " + lanes.map(\.title).joined(separator: " | ") + " |\n"
        text += "|---|" + String(repeating: "---|", count: lanes.count) + "\n"
        var lost = 0, doubled = 0, filled = 0
        for row in Row.allCases {
            let line = lanes.map { lane -> String in
                if let reason = impossible[lane]?[row] { return "n/a " + footnote(reason) }
                guard let cell = cells[lane]?[row] else { return "not run" }
                filled += 1
                lost += cell.lost
                doubled += cell.doubled
                let note = notes[lane]?[row].map { " " + footnote($0) } ?? ""
                return "\(cell.state) · \(cell.sent) · \(cell.lost) · \(cell.doubled)" + note
            }
            text += "| \(row.title) | " + line.joined(separator: " | ") + " |\n"
        }
        text += "\n" + footnotes.enumerated().map { "[\($0.offset + 1)] \($0.element)" }.joined(separator: "  \n") + "\n"
        text += "\n\(filled) cells run: \(lost) lost payments, \(doubled) double charges.\n"
        return text
    }
}

extension FaultMatrixRig.Lane {
    var title: String {
        switch self {
        case .http: return "HTTP"
        case .https: return "HTTPS"
        case .tcpPacket: return "TCP packet"
        case .tcpRaw: return "TCP raw"
        case .serial: return "serial"
        case .cloud: return "cloud"
        }
    }
}

extension Fault {
    /// Where this case goes in the table (refunds are not faults).
    var row: FaultTable.Row? {
        switch self {
        case .approved: return .approved
        case .declined51: return .declined
        case .customerCancels52: return .customerCancels
        case .neverPays53IsUnresolvedAtTheDeadlineThenCancelled: return .neverPays
        case .neverPays53CancelledWhileWaiting: return .neverPaysCancelled
        case .connectionDropped54: return .droppedAfterRequest
        case .slow55: return .slowWithinTimeout
        case .garbled56: return .garbled
        case .answeredAtOnce57: return .answeredAtOnce
        case .modeAckApproved: return .ackMode
        case .modeAckCustomerCancels52: return .ackModeCustomerCancels
        case .modeAckConnectionDropped54: return .ackModeDropped
        case .restartMidWaitResumesAndApproves: return .tillKilled
        case .refundInFull, .refundPartThenTheRest: return nil
        case .connectionRefused: return .connectionRefused
        case .answerCutShort58: return .droppedMidAnswer
        case .wrongKey: return .wrongKey
        case .answerAfterTheDeadline61: return .slowerThanTimeout
        case .terminalBusy: return .terminalBusy
        case .terminalRestartedMidPayment: return .terminalRestarted
        case .answerForAnotherSale59: return .answerForAnotherSale
        }
    }
}
