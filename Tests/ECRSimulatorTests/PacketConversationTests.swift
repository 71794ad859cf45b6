import ECRProtocol
import XCTest
@testable import ECRSimulator

final class PacketConversationTests: XCTestCase {
    private let encoder = PacketEncoder()

    private func writes(_ steps: [PacketConversation.Step]) -> [[UInt8]] {
        steps.compactMap { if case .write(let b) = $0 { return b } else { return nil } }
    }

    func testRequestIsAcknowledgedThenHandled() throws {
        var conversation = PacketConversation(settings: PacketLink.Settings())
        let request = Array("\"abc\"".utf8)
        let steps = conversation.received(try encoder.encodeRequest(request, ref: 5)[0], at: 0)
        XCTAssertEqual(steps, [.write(encoder.encodeAck(ref: 5)), .handle(request)])
    }

    func testAnswersGoOutOneAtATimeAndInOrder() throws {
        var conversation = PacketConversation(settings: PacketLink.Settings())
        let first = conversation.answer(Array("one".utf8), at: 0)
        XCTAssertEqual(writes(first).count, 1)
        let ref = writes(first)[0][4]
        XCTAssertEqual(conversation.answer(Array("two".utf8), at: 10), [], "waits for the ack of the first")
        let afterAck = conversation.received(encoder.encodeAck(ref: ref), at: 20)
        let second = writes(afterAck)
        XCTAssertEqual(second.count, 1)
        XCTAssertEqual(Array(second[0][9..<12]), Array("two".utf8))
    }

    func testMissingAckTakesTheLinkDown() {
        var conversation = PacketConversation(settings: PacketLink.Settings(ackTimeout: 1000))
        _ = conversation.answer(Array("one".utf8), at: 0)
        _ = conversation.answer(Array("two".utf8), at: 0)
        XCTAssertEqual(conversation.tick(at: 999).filter { if case .linkDown = $0 { return true } else { return false } }.count, 0)
        let down = conversation.tick(at: 1000)
        XCTAssertTrue(down.contains { if case .linkDown = $0 { return true } else { return false } })
        // Starts over: the next answer goes out at once.
        XCTAssertEqual(writes(conversation.answer(Array("three".utf8), at: 1001)).count, 1)
    }

    func testRawSplitterFindsEachForm() {
        var splitter = RawMessageSplitter()
        splitter.append(Array("  \"QUJD\\\"x\"{\"content\":{\"a\":\"}\"},\"digest\":\"D\"}".utf8))
        XCTAssertEqual(splitter.next().map { String(decoding: $0, as: UTF8.self) }, "\"QUJD\\\"x\"")
        XCTAssertEqual(splitter.next().map { String(decoding: $0, as: UTF8.self) }, "{\"content\":{\"a\":\"}\"},\"digest\":\"D\"}")
        XCTAssertNil(splitter.next())
        let lenient = "{content:{func_type=4001,orderId='1}2'}, digest:'X'}"
        splitter.append(Array((lenient + "{").utf8))
        XCTAssertEqual(splitter.next(), Array(lenient.utf8), "a brace inside quotes does not end it")
        splitter = RawMessageSplitter()
        // Split across reads.
        splitter.append(Array("{\"content\":".utf8))
        XCTAssertNil(splitter.next())
        XCTAssertTrue(splitter.hasPartialMessage)
        splitter.append(Array("{},\"digest\":\"\"}".utf8))
        XCTAssertNotNil(splitter.next())
        // Bare Base64 ends at whitespace, or at a pause.
        splitter.append(Array("QUJDRA==\nRUZH".utf8))
        XCTAssertEqual(splitter.next(), Array("QUJDRA==".utf8))
        XCTAssertNil(splitter.next())
        XCTAssertEqual(splitter.flush(), Array("RUZH".utf8))
        XCTAssertFalse(splitter.hasPartialMessage)
    }
}
