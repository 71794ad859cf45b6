import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

/// A transport failure keeps its not-sent/unknown split and says what kind of thing went wrong, so a
/// screen can word it in any language; the technician's text stays beside it.
final class TransportFailureKindTests: XCTestCase {
    func testSocketFailuresKeepTheirKind() {
        let cases: [(IOFailure, FailureKind, TransportFailure.Certainty)] = [
            (.connectionRefused("127.0.0.1:9001"), .connectionRefused, .notSent),
            (.connectTimeout("127.0.0.1:9001", seconds: 5), .timeout, .notSent),
            (.readTimeout("127.0.0.1:9001", afterSending: true), .timeout, .unknown),
            (.resetByPeer("127.0.0.1:9001", afterSending: true), .reset, .unknown),
            (.closedByPeer("127.0.0.1:9001", afterSending: false), .reset, .notSent),
            (.noSuchDevice("/dev/ttyUSB9", errno: ENOENT), .noDevice, .notSent),
            (.deviceBusy("/dev/ttyUSB0"), .busy, .notSent),
            (.tooLarge("127.0.0.1:9001", limit: 10, afterSending: true), .garbled, .unknown),
        ]
        for (io, kind, certainty) in cases {
            let failure = io.transportFailure
            XCTAssertEqual(failure.kind, kind, io.message)
            XCTAssertEqual(failure.certainty, certainty, io.message)
            XCTAssertEqual(failure.message, io.message, "the technician's text is kept")
        }
    }

    func testTLSFailuresNameTheirSubKind() {
        XCTAssertEqual(TLSFailure.handshakeFailed(reason: "no shared cipher").transportFailure.kind, .tls(.handshakeFailed))
        XCTAssertEqual(TLSFailure.timedOut(.handshake).transportFailure.kind, .tls(.handshakeFailed))
        XCTAssertEqual(TLSFailure.timedOut(.read).transportFailure.kind, .timeout)
        XCTAssertEqual(TLSFailure.connectionLost(.read, reason: "reset").transportFailure.certainty, .unknown)
    }

    func testAnUnreadableAnswerIsGarbledOrUndecryptable() {
        XCTAssertEqual(LANTransportEnvelope.unreadable(.encryptedWithoutKey, from: "127.0.0.1:9001").kind, .undecryptable)
        XCTAssertEqual(LANTransportEnvelope.unreadable(.garbled(preview: "<html>"), from: "127.0.0.1:9001").kind, .garbled)
        XCTAssertEqual(TransportWording.noAnswer(from: "127.0.0.1:9001", within: 30).kind, .timeout)
    }

    func testCleaningTheTextKeepsTheKind() {
        let failure = TransportFailure.unknown("No answer.", kind: .timeout)
        XCTAssertEqual(failure.withMessage("No answer (cleaned).").kind, .timeout)
    }
}
