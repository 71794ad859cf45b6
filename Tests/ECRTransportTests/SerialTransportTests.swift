import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

final class SerialTransportTests: XCTestCase {
    /// A virtual line with a test thread playing the terminal on its far side.
    private final class Line: @unchecked Sendable {
        // Safe to share: the pty locks internally; the thread is joined once by `finish`.
        let pty: PseudoTerminal
        let terminal: PacketTerminal
        private var thread: JoinableThread?

        init(_ terminal: PacketTerminal, answers: Int, seconds: Double = 5, symlink: String? = nil) throws {
            pty = try PseudoTerminal(symlinkPath: symlink)
            self.terminal = terminal
            let pty = self.pty
            thread = try JoinableThread(name: "serial terminal") { terminal.serve(pty, answers: answers, seconds: seconds) }
        }

        func finish() {
            thread?.join()
            pty.close()
        }
    }

    /// One turn of a stand-in terminal's loop: up to 20 ms of what the till sent, fed to its link
    /// (or the link's timers when nothing came). Nil when the line closed or failed.
    private static func readStep(_ pty: PseudoTerminal, _ link: inout PacketLink, deadline: Deadline) -> [PacketLink.Action]? {
        let now = Deadline.now.uptimeNanoseconds / 1_000_000
        do {
            let bytes = try pty.read(maxCount: 4096, deadline: deadline.capped(by: .after(seconds: 0.02)))
            return bytes.isEmpty ? nil : link.received(bytes: bytes, at: now)
        } catch let failure as IOFailure where failure.kind == .readTimeout {
            return link.tick(at: now)
        } catch {
            return nil
        }
    }

    private func transport(_ line: Line, timeouts: TransportTimeouts = TransportTimeouts(connect: 1, request: 3, payment: 0),
                           observer: (any WireObserver)? = nil) -> SerialTransport {
        SerialTransport(device: line.pty.devicePath, posKey: TransportFixtures.posKey, timeouts: timeouts, observer: observer)
    }

    func testEveryOperationOverOneOpenLineWithRefsCounting() async throws {
        let line = try Line(PacketTerminal(), answers: TransportFixtures.everyOperation.count)
        defer { line.finish() }
        let serial = transport(line)
        defer { serial.close() }
        XCTAssertEqual(serial.endpointDescription, "serial \(line.pty.devicePath) 9600")
        for request in TransportFixtures.everyOperation {
            let response = try await serial.perform(request)
            XCTAssertEqual(response.data, TransportFixtures.answer(to: request).data, "\(request.operation)")
        }
        XCTAssertEqual(line.terminal.seen.map(\.request), TransportFixtures.everyOperation)
        XCTAssertEqual(line.terminal.refs, [1, 2, 3, 4, 5, 6])
    }

    func testAnswerSplitIntoPacketsIsReassembled() async throws {
        let line = try Line(PacketTerminal(maxDataPerPacket: 32), answers: 1)
        defer { line.finish() }
        let serial = transport(line)
        defer { serial.close() }
        let response = try await serial.perform(TransportFixtures.payment)
        XCTAssertEqual(response.data, TransportFixtures.answer(to: TransportFixtures.payment).data)
    }

    func testMissingAckIsUnknownAfterASecondAndTheSameTransportOpensTheLineAgain() async throws {
        let device = try makeScratchDirectory(self).appendingPathComponent("qfecr-tty").path
        let silent = try Line(PacketTerminal(behaviour: .neverAcknowledge), answers: 1, seconds: 1.3, symlink: device)
        let serial = SerialTransport(device: device, posKey: TransportFixtures.posKey,
                                     timeouts: TransportTimeouts(connect: 1, request: 3, payment: 0))
        defer { serial.close() }
        var result: TransportFailure?
        let seconds = await elapsed { result = await failure(of: serial, TransportFixtures.payment) }
        XCTAssertEqual(result?.certainty, .unknown)
        XCTAssertTrue(result?.message.contains("no acknowledgement for packet ref 0x01") ?? false, result?.message ?? "")
        XCTAssertEqual(seconds, 1.0, accuracy: 0.6)
        silent.finish()

        // The device comes back (a new line behind the same path): the transport opens it again,
        // and refs go on from where they were.
        let line = try Line(PacketTerminal(), answers: 1, symlink: device)
        defer { line.finish() }
        _ = try await serial.perform(TransportFixtures.inquiry)
        XCTAssertEqual(line.terminal.refs, [2])
    }

    func testUnansweredRequestsLeaveTheLineOpenAndRefsCounting() async throws {
        let line = try Line(PacketTerminal(behaviour: .acknowledgeOnly), answers: 1, seconds: 1.5)
        defer { line.finish() }
        let serial = transport(line, timeouts: TransportTimeouts(connect: 1, request: 0.5, payment: 0))
        defer { serial.close() }
        let first = await failure(of: serial, TransportFixtures.inquiry)
        XCTAssertEqual(first?.certainty, .unknown)
        let second = await failure(of: serial, TransportFixtures.inquiry)
        XCTAssertEqual(second?.certainty, .unknown)
        XCTAssertEqual(line.terminal.refs, [1, 2], "the line stayed open and refs went on")
    }

    func testGarbageBeforeTheAnswerIsReportedAndIgnored() async throws {
        let line = try Line(PacketTerminal(behaviour: .garbageBeforeAnswer), answers: 1)
        defer { line.finish() }
        let recorder = NoteRecorder()
        let serial = transport(line, observer: recorder)
        defer { serial.close() }
        let response = try await serial.perform(TransportFixtures.payment)
        XCTAssertEqual(response.data?.status, .success)
        XCTAssertTrue(recorder.notes.contains { $0.text.contains("not part of a packet") }, "\(recorder.notes)")
        XCTAssertEqual(Set(recorder.events.map(\.label)), [line.pty.devicePath])
    }

    func testInquiryAndCancelAreAnsweredWhileAPaymentWaitsForItsCustomer() async throws {
        let line = try Line(PacketTerminal(tradeDelay: 0.8), answers: 3)
        defer { line.finish() }
        let serial = transport(line)
        defer { serial.close() }
        let payment = Task { try await serial.perform(TransportFixtures.payment) }
        XCTAssertTrue(eventually { line.terminal.seen.count == 1 })
        let refused = await failure(of: serial, TransportFixtures.refund)
        XCTAssertEqual(refused?.certainty, .notSent)
        let inquiry = try await serial.perform(TransportFixtures.inquiry)
        XCTAssertEqual(inquiry.data?.tradeType, "payment", "the inquiry got the inquiry record")
        let cancel = try await serial.perform(.cancelRequest)
        XCTAssertNil(cancel.data)
        let paid = try await payment.value
        XCTAssertEqual(paid.data?.text("paydtm"), "2025-11-21 14:32:09", "the payment got the trade answer")
    }

    /// A message the terminal sends while no request is open (a late answer to a request an earlier
    /// run gave up on) must still be acknowledged within 1000 ms, or the terminal takes the link down
    /// and the next request's answer is lost with it. The next request must not throw it away unread.
    func testAMessageArrivingBetweenRequestsIsAcknowledgedNotDiscarded() async throws {
        let pty = try PseudoTerminal()
        let lateAcked = LockedBox<Double?>(nil)
        let answeredSecond = LockedBox(false)
        let thread = try JoinableThread(name: "serial terminal") {
            let deadline = Deadline.after(seconds: 6)
            var link = PacketLink()
            func now() -> Milliseconds { Deadline.now.uptimeNanoseconds / 1_000_000 }
            var requests: [ECRRequest] = []
            var lateRef: UInt8?
            var lateSentAt = Deadline.now
            var pendingAnswer: [UInt8]?
            func perform(_ actions: [PacketLink.Action]) {
                for action in actions {
                    switch action {
                    case .write(let bytes): _ = try? pty.write(bytes, deadline: deadline)
                    case .deliver(_, let message):
                        if let request = try? readEnvelope(message).request {
                            requests.append(request)
                            pendingAnswer = TransportFixtures.answerBytes(to: request)
                        }
                    case .acknowledged(let ref) where ref == lateRef:
                        lateAcked.mutate { $0 = Double(Deadline.now.uptimeNanoseconds - lateSentAt.uptimeNanoseconds) / 1e9 }
                    case .acknowledged where requests.count == 2:
                        answeredSecond.value = true
                    default: break
                    }
                }
            }
            while !deadline.hasPassed && !answeredSecond.value {
                if case .idle = link.status, let answer = pendingAnswer {
                    pendingAnswer = nil
                    if let actions = try? link.send(message: answer, at: now()) { perform(actions) }
                } else if case .idle = link.status, requests.count == 1, lateRef == nil, pendingAnswer == nil {
                    // The first request is answered and acknowledged: the line is idle on the till's
                    // side. Now the terminal's late message for a request nobody waits for any more.
                    Thread.sleep(forTimeInterval: 0.1)
                    lateSentAt = Deadline.now
                    let late = Array(#"{"respcd":"6001","respmsg":"cancelled","resperr":"","data":""}"#.utf8)
                    guard let actions = try? link.send(message: late, at: now()) else { return }
                    for case .armAckTimer(let ref, _) in actions { lateRef = ref }
                    perform(actions)
                }
                guard let actions = Self.readStep(pty, &link, deadline: deadline) else { return }
                perform(actions)
            }
        }
        defer { thread.join(); pty.close() }
        let serial = SerialTransport(device: pty.devicePath, posKey: TransportFixtures.posKey,
                                     timeouts: TransportTimeouts(connect: 1, request: 3, payment: 0))
        defer { serial.close() }
        _ = try await serial.perform(TransportFixtures.inquiry)
        try await Task.sleep(for: .milliseconds(500))   // the late message arrives while nothing is open
        let second = try await serial.perform(TransportFixtures.inquiry)
        XCTAssertEqual(second.data, TransportFixtures.answer(to: TransportFixtures.inquiry).data)
        let acked = try XCTUnwrap(lateAcked.value, "the late message was never acknowledged")
        XCTAssertLessThan(acked, 1.0, "acknowledged within the protocol's 1000 ms")
    }

    /// A cancel gave up waiting; its late answer (6002, no data) then arrives while a payment waits
    /// alone. An answer without data cannot be told apart, so it must not settle the payment as
    /// "rejected, safe to try again": the payment gets its own answer.
    func testALateAnswerWithoutDataNeverSettlesTheNextSale() async throws {
        let pty = try PseudoTerminal()
        let thread = try JoinableThread(name: "serial terminal") {
            let deadline = Deadline.after(seconds: 6)
            var link = PacketLink()
            func now() -> Milliseconds { Deadline.now.uptimeNanoseconds / 1_000_000 }
            var requests: [ECRRequest] = []
            var outbox: [[UInt8]] = []
            var done = false
            func perform(_ actions: [PacketLink.Action]) {
                for action in actions {
                    switch action {
                    case .write(let bytes): _ = try? pty.write(bytes, deadline: deadline)
                    case .deliver(_, let message):
                        guard let request = try? readEnvelope(message).request else { continue }
                        requests.append(request)
                        if request.operation == .payment {
                            // First the cancel's late "busy" answer, then the payment's own approval.
                            outbox.append(Array(#"{"respcd":"6002","respmsg":"busy","resperr":"","data":""}"#.utf8))
                            outbox.append(TransportFixtures.answerBytes(to: request))
                        }
                    case .acknowledged where requests.count == 2 && outbox.isEmpty:
                        done = true
                    default: break
                    }
                }
            }
            while !deadline.hasPassed && !done {
                if case .idle = link.status, !outbox.isEmpty {
                    if let actions = try? link.send(message: outbox.removeFirst(), at: now()) { perform(actions) }
                }
                guard let actions = Self.readStep(pty, &link, deadline: deadline) else { return }
                perform(actions)
            }
        }
        defer { thread.join(); pty.close() }
        let serial = SerialTransport(device: pty.devicePath, posKey: TransportFixtures.posKey,
                                     timeouts: TransportTimeouts(connect: 1, request: 0.5, payment: 2))
        defer { serial.close() }
        do {
            _ = try await serial.perform(.cancelRequest)
            XCTFail("the stand-in never answers the cancel")
        } catch {
            XCTAssertEqual(error.certainty, .unknown)
        }
        let sale = try await serial.perform(TransportFixtures.payment)
        XCTAssertEqual(sale.outer, .accepted, "the payment's own answer, not the cancel's late 6002")
        XCTAssertEqual(sale.category, .success)
    }

    func testGarbledAnswerIsUnknownAndTheLineStaysUsable() async throws {
        let line = try Line(PacketTerminal { request in
            request.operation == .payment ? Array("#garbled#".utf8) : TransportFixtures.answerBytes(to: request)
        }, answers: 2)
        defer { line.finish() }
        let serial = transport(line)
        defer { serial.close() }
        let failure = await failure(of: serial, TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .unknown)
        let inquiry = try await serial.perform(TransportFixtures.inquiry)
        XCTAssertEqual(inquiry.data?.status, .success)
    }

    func testMissingDeviceIsNotSent() async throws {
        let serial = SerialTransport(device: "/dev/qfecr-no-such-tty", posKey: TransportFixtures.posKey)
        let failure = await failure(of: serial, TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertTrue(failure?.message.contains("No device at /dev/qfecr-no-such-tty") ?? false, failure?.message ?? "")
    }

    func testDeviceWithoutPermissionIsNotSentWithTheDialoutHint() async throws {
        guard getuid() != 0 else { throw XCTSkip("running as root: file permissions do not apply") }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        XCTAssertEqual(chmod(pty.slavePath, 0), 0)
        let failure = await failure(of: SerialTransport(device: pty.slavePath, posKey: TransportFixtures.posKey), TransportFixtures.payment)
        XCTAssertEqual(failure?.certainty, .notSent)
        XCTAssertTrue(failure?.message.contains("usermod -aG dialout") ?? false, failure?.message ?? "")
    }
}
