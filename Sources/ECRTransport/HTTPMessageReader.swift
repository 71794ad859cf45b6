#if canImport(Glibc)
import Glibc
#endif

/// The incremental HTTP/1.1 reader under `HTTPRequestParser` and `HTTPResponseParser`: bytes go in
/// as they arrive, whole messages come out; bytes after a message wait for the next one.
/// Strict on framing (RFC 9112): CRLF line ends, no obs-fold, one agreed Content-Length, no
/// Content-Length beside Transfer-Encoding, chunked as the only transfer coding.
struct HTTPMessageReader: Sendable {
    enum StartLine: Sendable {
        case request(method: String, target: String, version: HTTPVersion)
        case response(version: HTTPVersion, status: Int, reason: String)
    }

    struct Message: Sendable {
        let start: StartLine
        let headers: HTTPHeaders
        let body: [UInt8]
    }

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
    }

    let isRequest: Bool
    let limits: HTTPLimits

    private var buffer: [UInt8] = []
    /// First byte not yet consumed.
    private var position = 0
    /// Where the search for the next LF resumes, so no byte is scanned twice.
    private var scanFrom = 0
    private var state = State.head
    /// The head's lines so far, as places in `buffer` (kept there until the head is read).
    private var headLines: [Range<Int>] = []
    private var headBytes = 0
    private var pendingStart: StartLine?
    private var pendingHeaders = HTTPHeaders()
    private var body: [UInt8] = []
    private var failure: HTTPParseError?

    /// A chunk-size line with extensions has no business being longer than this.
    private static let maxChunkLineBytes = 1024

    init(isRequest: Bool, limits: HTTPLimits) {
        self.isRequest = isRequest
        self.limits = limits
    }

    mutating func append(_ bytes: some Collection<UInt8>) {
        // What was read can go, except the lines of a head still being read.
        let keep = headLines.first?.lowerBound ?? position
        if keep > 0 && (keep == buffer.count || keep >= 4096) {
            buffer.removeFirst(keep)
            scanFrom -= keep
            position -= keep
            headLines = headLines.map { ($0.lowerBound - keep)..<($0.upperBound - keep) }
        }
        buffer.append(contentsOf: bytes)
    }

    /// Whether bytes of an unfinished message are held.
    var hasPartialMessage: Bool {
        if case .head = state { return position < buffer.count || !headLines.isEmpty }
        return true
    }

    /// The next whole message, or nil until more bytes arrive. `noBody` tells a response parser
    /// that this response cannot carry a body (it answers HEAD). After an error, the same error again.
    mutating func next(noBody: Bool = false) throws -> Message? {
        if let failure { throw failure }
        do {
            return try advance(noBody: noBody)
        } catch let error as HTTPParseError {
            failure = error
            throw error
        }
    }

    /// The peer closed: completes a read-until-close body, or says what was cut off.
    mutating func finish() throws -> Message? {
        if let failure { throw failure }
        let place: String
        switch state {
        case .head:
            guard hasPartialMessage else { return nil }
            place = "in the middle of the header block"
        case .untilClose:
            return complete()
        case .fixedBody(let remaining):
            place = "after \(body.count) of \(body.count + remaining) body bytes"
        case .chunkSize, .chunkData, .chunkDataEnd:
            place = "in the middle of a chunked body (\(body.count) bytes so far)"
        case .trailers:
            place = "in the trailer of a chunked body"
        }
        failure = .unexpectedEOF(place)
        throw failure!
    }

    // MARK: - The state machine

    private mutating func advance(noBody: Bool) throws -> Message? {
        while true {
            switch state {
            case .head:
                guard let line = try nextLine(limit: limits.maxHeaderBytes - headBytes, tooLong: .headerTooLarge(limit: limits.maxHeaderBytes)) else { return nil }
                headBytes += line.count + 2
                if line.isEmpty {
                    // Empty lines before a request line are tolerated (RFC 9112 §2.2).
                    if headLines.isEmpty && isRequest { continue }
                    if headLines.isEmpty { throw HTTPParseError.badStatusLine("") }
                    if let message = try endOfHead(noBody: noBody) { return message }
                } else {
                    headLines.append(line.startIndex..<line.endIndex)
                    if headLines.count - 1 > limits.maxHeaderCount { throw HTTPParseError.tooManyHeaders(limit: limits.maxHeaderCount) }
                }

            case .fixedBody(let remaining):
                let take = min(remaining, buffer.count - position)
                body.append(contentsOf: buffer[position..<position + take])
                position += take
                if remaining - take > 0 {
                    state = .fixedBody(remaining: remaining - take)
                    return nil
                }
                return complete()

            case .chunkSize:
                guard let line = try nextLine(limit: Self.maxChunkLineBytes, tooLong: .badChunkSize("longer than \(Self.maxChunkLineBytes) bytes")) else { return nil }
                let size = try Self.chunkSize(line)
                if size > limits.maxBodyBytes - body.count { throw HTTPParseError.bodyTooLarge(limit: limits.maxBodyBytes) }
                if size == 0 {
                    headBytes = 0
                    state = .trailers
                } else {
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                let take = min(remaining, buffer.count - position)
                body.append(contentsOf: buffer[position..<position + take])
                position += take
                if remaining - take > 0 {
                    state = .chunkData(remaining: remaining - take)
                    return nil
                }
                state = .chunkDataEnd

            case .chunkDataEnd:
                guard buffer.count - position >= 2 else {
                    if buffer.count > position && buffer[position] != 0x0D { throw HTTPParseError.badChunkFraming }
                    return nil
                }
                guard buffer[position] == 0x0D && buffer[position + 1] == 0x0A else { throw HTTPParseError.badChunkFraming }
                position += 2
                scanFrom = max(scanFrom, position)
                state = .chunkSize

            case .trailers:
                // Trailer fields are read past and ignored; they still count against the header limit.
                guard let line = try nextLine(limit: limits.maxHeaderBytes - headBytes, tooLong: .headerTooLarge(limit: limits.maxHeaderBytes)) else { return nil }
                headBytes += line.count + 2
                if line.isEmpty { return complete() }

            case .untilClose:
                if buffer.count - position > limits.maxBodyBytes - body.count { throw HTTPParseError.bodyTooLarge(limit: limits.maxBodyBytes) }
                body.append(contentsOf: buffer[position...])
                position = buffer.count
                return nil
            }
        }
    }

    /// The next CRLF-terminated line without its CRLF, or nil if it has not arrived yet.
    private mutating func nextLine(limit: Int, tooLong: HTTPParseError) throws -> ArraySlice<UInt8>? {
        scanFrom = max(scanFrom, position)
        guard let newline = Self.find(0x0A, in: buffer, from: scanFrom, to: buffer.count) else {
            scanFrom = buffer.count
            if buffer.count - position > limit { throw tooLong }
            return nil
        }
        if newline + 1 - position > limit { throw tooLong }
        guard newline > position, buffer[newline - 1] == 0x0D else { throw HTTPParseError.badLineEnding }
        if Self.find(0x0D, in: buffer, from: position, to: newline - 1) != nil { throw HTTPParseError.badLineEnding }
        let line = buffer[position..<newline - 1]
        position = newline + 1
        scanFrom = position
        return line
    }

    /// The first `byte` in `bytes[from..<to]`, found with `memchr`.
    private static func find(_ byte: UInt8, in bytes: [UInt8], from: Int, to: Int) -> Int? {
        guard from < to else { return nil }
        return bytes.withUnsafeBufferPointer { raw in
            guard let base = raw.baseAddress, let found = memchr(base + from, Int32(byte), to - from) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    private mutating func endOfHead(noBody: Bool) throws -> Message? {
        let start = try isRequest ? Self.requestLine(buffer[headLines[0]]) : Self.statusLine(buffer[headLines[0]])
        var headers = HTTPHeaders(capacity: headLines.count - 1)
        for line in headLines.dropFirst() {
            let field = try Self.headerField(buffer[line])
            headers.add(field.name, field.value)
        }
        headLines = []
        headBytes = 0
        pendingStart = start
        pendingHeaders = headers
        body = []

        if case .response(_, let status, _) = start, (100..<200).contains(status), status != 101 {
            // An interim answer (100 Continue): the real one follows.
            pendingStart = nil
            return nil
        }

        // One look through the fields for both framing headers; most messages have no Transfer-Encoding.
        var transferEncodings: [String] = [], lengths: [String] = []
        for field in headers {
            if field.name.caseInsensitiveEquals("Content-Length") {
                lengths.append(field.value)
            } else if field.name.caseInsensitiveEquals("Transfer-Encoding") {
                transferEncodings.append(field.value)
            }
        }
        if !transferEncodings.isEmpty && !lengths.isEmpty { throw HTTPParseError.contentLengthWithTransferEncoding }

        if case .response(_, let status, _) = start, noBody || HTTPResponse.statusForbidsBody(status) {
            return complete()
        }
        if !transferEncodings.isEmpty {
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map(Self.trimmedBlanks)
            guard codings.count == 1, codings[0].caseInsensitiveEquals("chunked") else {
                throw HTTPParseError.unsupportedTransferEncoding(transferEncodings.joined(separator: ", "))
            }
            state = .chunkSize
            return nil
        }
        if !lengths.isEmpty {
            let length = try Self.contentLength(lengths, limit: limits.maxBodyBytes)
            state = .fixedBody(remaining: length)
            return nil
        }
        if isRequest { return complete() }
        state = .untilClose
        return nil
    }

    private mutating func complete() -> Message {
        let message = Message(start: pendingStart!, headers: pendingHeaders, body: body)
        pendingStart = nil
        pendingHeaders = HTTPHeaders()
        body = []
        headBytes = 0
        state = .head
        return message
    }

    // MARK: - Pieces of the grammar

    private static func text(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenByte)
    }

    /// Field values: visible ASCII, space, tab and non-ASCII bytes; no other control characters.
    static func isFieldValue(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x09 || ($0 >= 0x20 && $0 != 0x7F) }
    }

    /// `HTTP/1.0` or `HTTP/1.1`, from a field that `looksLikeVersion`.
    private static func version(_ bytes: ArraySlice<UInt8>) -> HTTPVersion? {
        let start = bytes.startIndex
        guard bytes[start + 5] == UInt8(ascii: "1") else { return nil }
        switch bytes[start + 7] {
        case UInt8(ascii: "0"): return .http10
        case UInt8(ascii: "1"): return .http11
        default: return nil
        }
    }

    private static func looksLikeVersion(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count == 8 else { return false }
        let s = bytes.startIndex
        return bytes[s] == UInt8(ascii: "H") && bytes[s + 1] == UInt8(ascii: "T") && bytes[s + 2] == UInt8(ascii: "T")
            && bytes[s + 3] == UInt8(ascii: "P") && bytes[s + 4] == UInt8(ascii: "/")
            && bytes[s + 5] >= 0x30 && bytes[s + 5] <= 0x39 && bytes[s + 6] == UInt8(ascii: ".") && bytes[s + 7] >= 0x30 && bytes[s + 7] <= 0x39
    }

    private static func requestLine(_ line: ArraySlice<UInt8>) throws -> StartLine {
        let parts = line.split(separator: 0x20, omittingEmptySubsequences: false)
        guard parts.count == 3, isToken(parts[0]), !parts[1].isEmpty,
              parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw HTTPParseError.badRequestLine(text(line))
        }
        guard looksLikeVersion(parts[2]) else { throw HTTPParseError.badRequestLine(text(line)) }
        guard let version = version(parts[2]) else { throw HTTPParseError.unsupportedVersion(text(parts[2])) }
        return .request(method: text(parts[0]), target: text(parts[1]), version: version)
    }

    /// `HTTP/1.1 200 OK`: the version, a space, three digits, and a space and the reason (which may
    /// be empty or hold spaces of its own) or nothing. Split at the first two spaces by hand: a
    /// general split made an array for every answer.
    private static func statusLine(_ line: ArraySlice<UInt8>) throws -> StartLine {
        guard let firstSpace = line.firstIndex(of: 0x20) else { throw HTTPParseError.badStatusLine(text(line)) }
        let versionField = line[line.startIndex..<firstSpace]
        let afterVersion = line[(firstSpace + 1)...]
        let secondSpace = afterVersion.firstIndex(of: 0x20)
        let code = afterVersion[..<(secondSpace ?? afterVersion.endIndex)]
        let reason = secondSpace.map { line[($0 + 1)...] }
        guard looksLikeVersion(versionField), code.count == 3, code.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), code.first != 0x30,
              reason.map(isFieldValue) ?? true else {
            throw HTTPParseError.badStatusLine(text(line))
        }
        guard let version = version(versionField) else { throw HTTPParseError.unsupportedVersion(text(versionField)) }
        let status = code.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return .response(version: version, status: status, reason: reason.map(text) ?? "")
    }

    private static func headerField(_ line: ArraySlice<UInt8>) throws -> HTTPField {
        // No space before the colon and no obs-fold: both have been used to smuggle requests.
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), isToken(line[line.startIndex..<colon]) else {
            throw HTTPParseError.badHeader(text(line))
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == 0x20 || first == 0x09 { value.removeFirst() }
        while let last = value.last, last == 0x20 || last == 0x09 { value.removeLast() }
        guard isFieldValue(value) else { throw HTTPParseError.badHeader(text(line)) }
        return HTTPField(name: text(line[line.startIndex..<colon]), value: text(value))
    }

    /// One length, agreed on by every Content-Length field and list element.
    private static func contentLength(_ values: [String], limit: Int) throws -> Int {
        // The usual case, one field of plain digits, read without splitting and trimming.
        if values.count == 1, let only = values.first, (1...18).contains(only.utf8.count),
           only.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let length = Int(only) {
            guard length <= limit else { throw HTTPParseError.bodyTooLarge(limit: limit) }
            return length
        }
        let elements = values.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map(trimmedBlanks)
        for element in elements where element.isEmpty || !element.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            throw HTTPParseError.invalidContentLength(element)
        }
        let significant = Set(elements.map { String($0.drop { $0 == "0" }) })
        guard significant.count == 1, let digits = significant.first else {
            throw HTTPParseError.conflictingContentLength(values)
        }
        guard digits.count <= 18, let length = Int(digits.isEmpty ? "0" : digits), length <= limit else {
            throw HTTPParseError.bodyTooLarge(limit: limit)
        }
        return length
    }

    /// Without leading and trailing spaces and tabs (optional whitespace in a list element).
    private static func trimmedBlanks(_ element: Substring) -> String {
        let scalars = element.unicodeScalars
        let isBlank = { (scalar: Unicode.Scalar) in scalar == " " || scalar == "\t" }
        guard let first = scalars.firstIndex(where: { !isBlank($0) }), let last = scalars.lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(scalars[first...last])
    }

    private static func chunkSize(_ line: ArraySlice<UInt8>) throws -> Int {
        var digits = line.prefix { $0 != UInt8(ascii: ";") }
        while let last = digits.last, last == 0x20 || last == 0x09 { digits.removeLast() }
        guard !digits.isEmpty, digits.count <= 15, let size = Int(text(digits), radix: 16), size >= 0,
              digits.allSatisfy({ $0 != UInt8(ascii: "+") && $0 != UInt8(ascii: "-") }) else {
            throw HTTPParseError.badChunkSize(text(line))
        }
        return size
    }
}
