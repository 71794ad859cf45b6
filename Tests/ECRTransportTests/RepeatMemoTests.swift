import ECRProtocol
import Synchronization
import XCTest
@testable import ECRTransport

final class RepeatMemoTests: XCTestCase {
    private struct Refused: Error {}

    func testOnlyAnExactRepeatIsServedFromTheMemo() {
        let memo = RepeatMemo<[UInt8], String>()
        var made = 0
        func value(_ key: [UInt8]) -> String {
            memo.value(for: key) { made += 1; return "made \(made) for \(key)" }
        }
        XCTAssertEqual(value([1, 2]), "made 1 for [1, 2]")
        XCTAssertEqual(value([1, 2]), "made 1 for [1, 2]", "a repeat")
        XCTAssertEqual(value([1, 3]), "made 2 for [1, 3]", "one byte different")
        XCTAssertEqual(value([1, 2]), "made 3 for [1, 2]", "only the last is kept")
        XCTAssertEqual(made, 3)
    }

    func testBytesAreEqualOnlyWhenEveryByteIs() {
        XCTAssertEqual(MemoBytes(bytes: []), MemoBytes(bytes: []))
        XCTAssertEqual(MemoBytes(bytes: Array("{\"respcd\":\"0000\"}".utf8)), MemoBytes(bytes: Array("{\"respcd\":\"0000\"}".utf8)))
        XCTAssertNotEqual(MemoBytes(bytes: Array("{\"respcd\":\"0000\"}".utf8)), MemoBytes(bytes: Array("{\"respcd\":\"1143\"}".utf8)))
        XCTAssertNotEqual(MemoBytes(bytes: [1, 2, 3]), MemoBytes(bytes: [1, 2]))
        XCTAssertNotEqual(MemoBytes(bytes: []), MemoBytes(bytes: [0]))
    }

    func testAFailureIsNotKept() {
        let memo = RepeatMemo<Int, Int>()
        XCTAssertThrowsError(try memo.value(for: 1) { () throws(Refused) -> Int in throw Refused() })
        XCTAssertEqual(memo.value(for: 1) { 7 }, 7, "made again after the failure")
        XCTAssertThrowsError(try memo.value(for: 2) { () throws(Refused) -> Int in throw Refused() })
        XCTAssertEqual(memo.value(for: 1) { 8 }, 7, "a failure for another key does not replace the kept value")
    }
}

/// The cleaned answer a polling till gets again is the one cleaned before; any change is cleaned afresh.
final class SanitisingRepeatTests: XCTestCase {
    private final class Answers: Transport {
        private let queue: Mutex<[ECRResponse]>
        init(_ answers: [ECRResponse]) { queue = Mutex(answers) }
        var endpointDescription: String { "scripted" }
        func perform(_ request: ECRRequest) async throws(TransportFailure) -> ECRResponse {
            queue.withLock { $0.removeFirst() }
        }
    }

    func testARepeatedAnswerIsCleanedAsBeforeAndAChangedOneAfresh() async throws {
        let key = TransportFixtures.posKey
        let echoing = ECRResponse(outer: .denied, respmsg: "bad digest for \(key)\u{1B}[2J")
        let other = ECRResponse(outer: .denied, respmsg: "still bad for \(key.uppercased())\u{07}")
        let transport = SanitisingTransport(Answers([echoing, echoing, other, echoing]), masker: SecretMasker(secrets: [key]))
        var messages: [String] = []
        for _ in 0..<4 { messages.append(try await transport.perform(TransportFixtures.inquiry).respmsg) }
        XCTAssertEqual(messages[0], messages[1])
        XCTAssertEqual(messages[0], messages[3])
        XCTAssertNotEqual(messages[0], messages[2])
        for message in messages {
            XCTAssertFalse(message.lowercased().contains(key), message)
            XCTAssertFalse(message.contains("\u{1B}") || message.contains("\u{07}"), message)
        }
        XCTAssertTrue(messages[2].hasPrefix("still bad for"), messages[2])
    }
}
