import XCTest
@testable import ECRTransport

final class HTTPParserTests: XCTestCase {
    private let tradeBody = Array(#""XczeNuwMCct+IaXZ00lv7Pern+ttWiSyG+Y62QH+wXr471L2opZR5JPeQPXADN/Xc1s+VL82RqBp0KFPo5Mm6KUFau0S1WRPC2YN4s6WpiFjwrbGPq3JPZ2OYXTGZHAb""#.utf8)

    private var tradeRequestBytes: [UInt8] {
        Array("POST /api/pos/trade HTTP/1.1\r\nHost: 192.168.1.50:9001\r\nContent-Type: application/json\r\nContent-Length: \(tradeBody.count)\r\n\r\n".utf8) + tradeBody
    }

    private let chunkedResponseBytes = Array((
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=\"value\"\r\n{\"res\r\n0000F\r\npcd\":\"6000\",\"da\r\n7 \r\nta\":\"\"}\r\n0\r\nX-Checksum: ignored\r\n\r\n"
        ).utf8)

    private func parseRequest(_ chunks: [[UInt8]], limits: HTTPLimits = HTTPLimits()) throws -> [HTTPRequest] {
        var parser = HTTPRequestParser(limits: limits)
        var requests: [HTTPRequest] = []
        for chunk in chunks {
            parser.append(chunk)
            while let request = try parser.nextRequest() { requests.append(request) }
        }
        if let last = try parser.finish() { requests.append(last) }
        return requests
    }

    private func parseResponse(_ chunks: [[UInt8]], limits: HTTPLimits = HTTPLimits(), method: String = "POST") throws -> [HTTPResponse] {
        var parser = HTTPResponseParser(limits: limits, requestMethod: method)
        var responses: [HTTPResponse] = []
        for chunk in chunks {
            parser.append(chunk)
            while let response = try parser.nextResponse() { responses.append(response) }
        }
        if let last = try parser.finish() { responses.append(last) }
        return responses
    }

    // MARK: - Every split point

    func testRequestGivesTheSameResultAtEverySplitPoint() throws {
        let bytes = tradeRequestBytes
        let expected = HTTPRequest(
            method: "POST", target: "/api/pos/trade",
            headers: ["Host": "192.168.1.50:9001", "Content-Type": "application/json", "Content-Length": "\(tradeBody.count)"],
            body: tradeBody)
        XCTAssertEqual(try parseRequest([bytes]), [expected])
        for split in 0...bytes.count {
            let requests = try parseRequest([Array(bytes[..<split]), Array(bytes[split...])])
            XCTAssertEqual(requests, [expected], "split at \(split)")
        }
        XCTAssertEqual(try parseRequest(bytes.map { [$0] }), [expected], "one byte at a time")
    }

    func testChunkedResponseGivesTheSameResultAtEverySplitPoint() throws {
        let bytes = chunkedResponseBytes
        let expected = HTTPResponse(status: 200, reason: "OK",
                                    headers: ["Content-Type": "application/json", "Transfer-Encoding": "chunked"],
                                    body: Array(#"{"respcd":"6000","data":""}"#.utf8))
        for split in 0...bytes.count {
            let responses = try parseResponse([Array(bytes[..<split]), Array(bytes[split...])])
            XCTAssertEqual(responses, [expected], "split at \(split)")
        }
        XCTAssertEqual(try parseResponse(bytes.map { [$0] }), [expected], "one byte at a time")
    }

    func testAResponseIsNotReportedBeforeItIsComplete() throws {
        var parser = HTTPResponseParser()
        let bytes = chunkedResponseBytes
        parser.append(bytes.dropLast())
        XCTAssertNil(try parser.nextResponse())
        XCTAssertTrue(parser.hasPartialMessage)
        parser.append(bytes.suffix(1))
        XCTAssertNotNil(try parser.nextResponse())
        XCTAssertFalse(parser.hasPartialMessage)
    }

    // MARK: - Framing

    func testPipelinedRequestsComeOutOneByOne() throws {
        let bytes = tradeRequestBytes + Array("\r\nGET /status?verbose=1 HTTP/1.0\r\n\r\n".utf8) + tradeRequestBytes
        let requests = try parseRequest([bytes])
        XCTAssertEqual(requests.map(\.method), ["POST", "GET", "POST"])
        XCTAssertEqual(requests[1].target, "/status?verbose=1")
        XCTAssertEqual(requests[1].path, "/status")
        XCTAssertEqual(requests[1].version, .http10)
        XCTAssertEqual(requests[2].body, tradeBody)
    }

    func testResponseWithoutLengthIsReadUntilClose() throws {
        let responses = try parseResponse([Array("HTTP/1.0 200 OK\r\nServer: terminal\r\n\r\n{\"respcd\":".utf8), Array("\"6000\"}".utf8)])
        XCTAssertEqual(responses.count, 1)
        XCTAssertEqual(responses.first?.bodyText, #"{"respcd":"6000"}"#)
    }

    func testResponsesThatCarryNoBody() throws {
        let head = try parseResponse([Array("HTTP/1.1 200 OK\r\nContent-Length: 42\r\n\r\n".utf8)], method: "HEAD")
        XCTAssertEqual(head.first?.body, [])
        let noContent = try parseResponse([Array("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)])
        XCTAssertEqual(noContent.map(\.status), [204, 200])
        XCTAssertEqual(noContent.last?.bodyText, "ok")
    }

    func testInterimContinueIsSkipped() throws {
        let responses = try parseResponse([Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".utf8)])
        XCTAssertEqual(responses.map(\.status), [200])
    }

    func testTheReasonIsEverythingAfterTheSecondSpace() throws {
        let texts = ["HTTP/1.1 404 Not  Found ", "HTTP/1.1 204 ", "HTTP/1.0 500 \t tab", "HTTP/1.1 200 OK"]
        let reasons = try texts.map { try parseResponse([Array("\($0)\r\nContent-Length: 0\r\n\r\n".utf8)]).first?.reason }
        XCTAssertEqual(reasons, ["Not  Found ", "", "\t tab", "OK"])
        let statuses = try texts.map { try parseResponse([Array("\($0)\r\nContent-Length: 0\r\n\r\n".utf8)]).first?.status }
        XCTAssertEqual(statuses, [404, 204, 500, 200])
    }

    func testStatusLineWithoutReasonAndRepeatedEqualLengthsAreAccepted() throws {
        let responses = try parseResponse([Array("HTTP/1.1 200\r\nContent-Length: 2\r\ncontent-length: 02\r\n\r\nok".utf8)])
        XCTAssertEqual(responses.first?.reason, "")
        XCTAssertEqual(responses.first?.bodyText, "ok")
    }

    func testHeaderValuesAreTrimmedAndNamesKeepTheirSpelling() throws {
        let request = try parseRequest([Array("GET / HTTP/1.1\r\nX-Till-ID: \t T01 \t\r\nx-till-id: T02\r\n\r\n".utf8)]).first
        XCTAssertEqual(request?.headers.fields, [HTTPField(name: "X-Till-ID", value: "T01"), HTTPField(name: "x-till-id", value: "T02")])
        XCTAssertEqual(request?.headers["X-TILL-ID"], "T01")
        XCTAssertEqual(request?.headers.values("x-till-id"), ["T01", "T02"])
    }

    // MARK: - Malformed input, one specific error each

    private func assertRequestFails(_ text: String, with expected: HTTPParseError, limits: HTTPLimits = HTTPLimits(),
                                    file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parseRequest([Array(text.utf8)], limits: limits), file: file, line: line) { error in
            XCTAssertEqual(error as? HTTPParseError, expected, file: file, line: line)
        }
    }

    private func assertResponseFails(_ text: String, with expected: HTTPParseError, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parseResponse([Array(text.utf8)]), file: file, line: line) { error in
            XCTAssertEqual(error as? HTTPParseError, expected, file: file, line: line)
        }
    }

    func testBadRequestLines() {
        assertRequestFails("GET /\r\n\r\n", with: .badRequestLine("GET /"))
        assertRequestFails("GET  / HTTP/1.1\r\n\r\n", with: .badRequestLine("GET  / HTTP/1.1"))
        assertRequestFails("G(T / HTTP/1.1\r\n\r\n", with: .badRequestLine("G(T / HTTP/1.1"))
        assertRequestFails("GET / HTTX/1.1\r\n\r\n", with: .badRequestLine("GET / HTTX/1.1"))
        assertRequestFails("GET /\u{7F} HTTP/1.1\r\n\r\n", with: .badRequestLine("GET /\u{7F} HTTP/1.1"))
        assertRequestFails("GET / HTTP/2.0\r\n\r\n", with: .unsupportedVersion("HTTP/2.0"))
    }

    func testBadStatusLines() {
        assertResponseFails("HTTP/1.1 2000 OK\r\n\r\n", with: .badStatusLine("HTTP/1.1 2000 OK"))
        assertResponseFails("HTTP/1.1 OK\r\n\r\n", with: .badStatusLine("HTTP/1.1 OK"))
        assertResponseFails("HTP/1.1 200 OK\r\n\r\n", with: .badStatusLine("HTP/1.1 200 OK"))
        assertResponseFails("HTTP/1.1 099 Low\r\n\r\n", with: .badStatusLine("HTTP/1.1 099 Low"))
        assertResponseFails("HTTP/3.0 200 OK\r\n\r\n", with: .unsupportedVersion("HTTP/3.0"))
        assertResponseFails("HTTP/1.1\r\n\r\n", with: .badStatusLine("HTTP/1.1"))
        assertResponseFails("HTTP/1.1  200 OK\r\n\r\n", with: .badStatusLine("HTTP/1.1  200 OK"))
        assertResponseFails("HTTP/1.1 200\tOK\r\n\r\n", with: .badStatusLine("HTTP/1.1 200\tOK"))
        assertResponseFails("HTTP/1.1 200 O\u{7}K\r\n\r\n", with: .badStatusLine("HTTP/1.1 200 O\u{7}K"))
        assertResponseFails("HTTP/1.11 200 OK\r\n\r\n", with: .badStatusLine("HTTP/1.11 200 OK"))
        assertResponseFails(" HTTP/1.1 200 OK\r\n\r\n", with: .badStatusLine(" HTTP/1.1 200 OK"))
    }

    func testBadHeaders() {
        assertRequestFails("GET / HTTP/1.1\r\nHost : till\r\n\r\n", with: .badHeader("Host : till"))
        assertRequestFails("GET / HTTP/1.1\r\nNoColonHere\r\n\r\n", with: .badHeader("NoColonHere"))
        assertRequestFails("GET / HTTP/1.1\r\n: empty name\r\n\r\n", with: .badHeader(": empty name"))
        assertRequestFails("GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n", with: .badHeader(" folded"))
        assertRequestFails("GET / HTTP/1.1\r\nA: b\u{01}c\r\n\r\n", with: .badHeader("A: b\u{01}c"))
    }

    func testLinesMustEndInCRLF() {
        assertRequestFails("GET / HTTP/1.1\nHost: till\n\n", with: .badLineEnding)
        assertRequestFails("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n", with: .badLineEnding)
    }

    func testBadContentLengths() {
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", with: .invalidContentLength("abc"))
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", with: .invalidContentLength("-1"))
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n", with: .invalidContentLength("+5"))
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: \r\n\r\n", with: .invalidContentLength(""))
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
                           with: .conflictingContentLength(["5", "6"]))
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\nhello!", with: .conflictingContentLength(["5, 6"]))
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", with: .bodyTooLarge(limit: 1024 * 1024))
    }

    func testTransferEncodingRules() {
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                           with: .contentLengthWithTransferEncoding)
        assertRequestFails("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", with: .unsupportedTransferEncoding("gzip"))
        assertRequestFails("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
                           with: .unsupportedTransferEncoding("gzip, chunked"))
        assertResponseFails("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                            with: .contentLengthWithTransferEncoding)
    }

    func testBadChunks() {
        let head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        assertRequestFails(head + "zz\r\n", with: .badChunkSize("zz"))
        assertRequestFails(head + "\r\n", with: .badChunkSize(""))
        assertRequestFails(head + "-5\r\n", with: .badChunkSize("-5"))
        assertRequestFails(head + "+5\r\n", with: .badChunkSize("+5"))
        assertRequestFails(head + "1 2\r\n", with: .badChunkSize("1 2"))
        assertRequestFails(head + "5\r\nhelloXX", with: .badChunkFraming)
        assertRequestFails(head + String(repeating: "0", count: 2000) + "\r\n", with: .badChunkSize("longer than 1024 bytes"))
    }

    func testUnexpectedEndOfInput() {
        assertRequestFails("POST / HTTP/1.1\r\nHost: t", with: .unexpectedEOF("in the middle of the header block"))
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nhello", with: .unexpectedEOF("after 5 of 10 body bytes"))
        assertRequestFails("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel",
                           with: .unexpectedEOF("in the middle of a chunked body (3 bytes so far)"))
        assertResponseFails("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
                            with: .unexpectedEOF("in the trailer of a chunked body"))
    }

    func testAnErrorSticks() {
        var parser = HTTPRequestParser()
        parser.append(Array("BAD\r\n\r\n".utf8))
        XCTAssertThrowsError(try parser.nextRequest())
        parser.append(tradeRequestBytes)
        XCTAssertThrowsError(try parser.nextRequest()) { XCTAssertEqual($0 as? HTTPParseError, .badRequestLine("BAD")) }
    }

    // MARK: - Limits

    func testDefaultLimits() {
        let limits = HTTPLimits()
        XCTAssertEqual(limits.maxHeaderBytes, 16 * 1024)
        XCTAssertEqual(limits.maxBodyBytes, 1024 * 1024)
        assertRequestFails("GET / HTTP/1.1\r\nX-Big: " + String(repeating: "a", count: 17 * 1024) + "\r\n\r\n",
                           with: .headerTooLarge(limit: 16 * 1024))
        let many = (0...limits.maxHeaderCount).map { "X-\($0): v\r\n" }.joined()
        assertRequestFails("GET / HTTP/1.1\r\n" + many + "\r\n", with: .tooManyHeaders(limit: limits.maxHeaderCount))
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n", with: .bodyTooLarge(limit: 1024 * 1024))
    }

    func testHeaderLimitIsReachedWithoutALineEnd() {
        // A peer that never sends a line end must not make the parser buffer forever.
        var parser = HTTPRequestParser(limits: HTTPLimits(maxHeaderBytes: 64))
        parser.append(Array(repeating: UInt8(ascii: "A"), count: 65))
        XCTAssertThrowsError(try parser.nextRequest()) { XCTAssertEqual($0 as? HTTPParseError, .headerTooLarge(limit: 64)) }
    }

    func testLimitsAreSettable() throws {
        let limits = HTTPLimits(maxHeaderBytes: 64, maxHeaderCount: 2, maxBodyBytes: 10)
        XCTAssertEqual(try parseRequest([Array("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789".utf8)], limits: limits).first?.body.count, 10)
        assertRequestFails("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n01234567890", with: .bodyTooLarge(limit: 10), limits: limits)
        assertRequestFails("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n012345\r\n5\r\n01234\r\n0\r\n\r\n",
                           with: .bodyTooLarge(limit: 10), limits: limits)
        assertRequestFails("GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", with: .tooManyHeaders(limit: 2), limits: limits)
        assertRequestFails("GET / HTTP/1.1\r\nA: " + String(repeating: "x", count: 60) + "\r\n\r\n", with: .headerTooLarge(limit: 64), limits: limits)
        XCTAssertThrowsError(try parseResponse([Array("HTTP/1.1 200 OK\r\n\r\n".utf8) + Array(repeating: 0x41, count: 11)],
                                               limits: limits)) {
            XCTAssertEqual($0 as? HTTPParseError, .bodyTooLarge(limit: 10))
        }
    }

    func testErrorsMapToStatusCodes() {
        XCTAssertEqual(HTTPParseError.bodyTooLarge(limit: 1).status, 413)
        XCTAssertEqual(HTTPParseError.headerTooLarge(limit: 1).status, 431)
        XCTAssertEqual(HTTPParseError.badHeader("x").status, 400)
        XCTAssertEqual(HTTPParseError.unsupportedVersion("HTTP/2.0").status, 505)
        XCTAssertEqual(HTTPParseError.badHeader("A: b\u{01}").description, #"malformed header line: "A: b\x01""#)
    }

    // MARK: - Serializing

    func testSerializedRequestParsesBackAndOwnsFraming() throws {
        var request = HTTPRequest.post("/api/pos/trade", host: "192.168.1.50:9001", contentType: "application/json", body: tradeBody)
        request.headers.add("Content-Length", "3")
        request.headers.add("Transfer-Encoding", "chunked")
        let bytes = try request.serialized()
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).hasPrefix("POST /api/pos/trade HTTP/1.1\r\nHost: 192.168.1.50:9001\r\n"))
        let parsed = try XCTUnwrap(parseRequest([bytes]).first)
        XCTAssertEqual(parsed.body, tradeBody)
        XCTAssertEqual(parsed.headers.values("Content-Length"), ["\(tradeBody.count)"])
        XCTAssertFalse(parsed.headers.contains("Transfer-Encoding"))
    }

    func testSerializedResponseParsesBack() throws {
        let response = HTTPResponse.text(200, "SUCCESS")
        let parsed = try parseResponse([try response.serialized()])
        XCTAssertEqual(parsed.first?.bodyText, "SUCCESS")
        XCTAssertEqual(parsed.first?.reason, "OK")
        let head = try HTTPResponse.text(200, "SUCCESS").serialized(headOnly: true)
        XCTAssertTrue(String(decoding: head, as: UTF8.self).hasSuffix("Content-Length: 7\r\n\r\n"))
    }

    func testSerializerRefusesHeaderInjection() {
        var request = HTTPRequest(method: "GET", target: "/")
        request.headers.add("X-Note", "a\r\nInjected: yes")
        XCTAssertThrowsError(try request.serialized()) { XCTAssertEqual($0 as? HTTPSerializationError, .invalidHeaderValue(name: "X-Note")) }
        XCTAssertThrowsError(try HTTPRequest(method: "GET", target: "/a b").serialized()) {
            XCTAssertEqual($0 as? HTTPSerializationError, .invalidTarget("/a b"))
        }
        XCTAssertThrowsError(try HTTPRequest(method: "G T", target: "/").serialized())
        var response = HTTPResponse(status: 200)
        response.headers.add("Bad Name", "x")
        XCTAssertThrowsError(try response.serialized()) { XCTAssertEqual($0 as? HTTPSerializationError, .invalidHeaderName("Bad Name")) }
    }

    func testHeadersSetKeepsPositionAndRemovesDuplicates() {
        var headers: HTTPHeaders = ["Host": "a", "X-A": "1", "x-a": "2", "Accept": "*/*"]
        headers.set("X-a", "3")
        XCTAssertEqual(headers.fields.map(\.name), ["Host", "X-A", "Accept"])
        XCTAssertEqual(headers["x-A"], "3")
        headers.remove("HOST")
        XCTAssertFalse(headers.contains("host"))
        headers.add("Connection", "keep-alive, Close")
        XCTAssertTrue(headers.hasToken("close", in: "connection"))
    }
}
