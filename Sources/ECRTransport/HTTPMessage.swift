import Foundation

public enum HTTPVersion: String, Sendable, Hashable {
    case http10 = "HTTP/1.0"
    case http11 = "HTTP/1.1"
}

/// One header line as sent: the name keeps its spelling, comparisons ignore case.
public struct HTTPField: Sendable, Hashable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Header fields in the order they came, looked up without regard to case.
public struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [HTTPField]

    public init(_ fields: [HTTPField] = []) {
        self.fields = fields
    }

    init(capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }

    public func makeIterator() -> IndexingIterator<[HTTPField]> { fields.makeIterator() }

    public var count: Int { fields.count }

    /// The first value of `name`, if any.
    public subscript(name: String) -> String? {
        fields.first { $0.name.caseInsensitiveEquals(name) }?.value
    }

    public func values(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveEquals(name) }.map(\.value)
    }

    public func contains(_ name: String) -> Bool {
        fields.contains { $0.name.caseInsensitiveEquals(name) }
    }

    /// Whether a comma-separated header such as `Connection` lists `token`.
    public func hasToken(_ token: String, in name: String) -> Bool {
        fields.contains { field in
            guard field.name.caseInsensitiveEquals(name) else { return false }
            // The server asks twice per request: an ASCII value is read as bytes, without Foundation.
            guard field.value.utf8.allSatisfy({ $0 < 0x80 }) else {
                return field.value.split(separator: ",").contains { $0.trimmingCharacters(in: .whitespaces).caseInsensitiveEquals(token) }
            }
            return field.value.utf8.split(separator: UInt8(ascii: ",")).contains { element in
                let blank = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
                guard let first = element.firstIndex(where: { !blank($0) }), let last = element.lastIndex(where: { !blank($0) }) else {
                    return token.isEmpty
                }
                return Substring(element[first...last]).caseInsensitiveEquals(token)
            }
        }
    }

    public mutating func add(_ name: String, _ value: String) {
        fields.append(HTTPField(name: name, value: value))
    }

    /// Replaces every `name` field with one, kept where the first one was.
    public mutating func set(_ name: String, _ value: String) {
        guard let first = fields.firstIndex(where: { $0.name.caseInsensitiveEquals(name) }) else {
            add(name, value)
            return
        }
        let spelling = fields[first].name
        remove(name)
        fields.insert(HTTPField(name: spelling, value: value), at: first)
    }

    public mutating func remove(_ name: String) {
        fields.removeAll { $0.name.caseInsensitiveEquals(name) }
    }
}

public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    /// The request target as sent: `/api/pos/trade`, possibly with a query.
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(method: String, target: String, version: HTTPVersion = .http11, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// A POST with `Host` and `Content-Type` set, as every terminal and cloud call is.
    public static func post(_ target: String, host: String, contentType: String, body: [UInt8]) -> HTTPRequest {
        HTTPRequest(method: "POST", target: target, headers: ["Host": host, "Content-Type": contentType], body: body)
    }

    /// The path without the query. (A target is ASCII, so its bytes are searched, not its characters.)
    public var path: Substring {
        guard let query = target.utf8.firstIndex(of: UInt8(ascii: "?")) else { return target[...] }
        return target[..<query]
    }
}

public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var reason: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, reason: String? = nil, version: HTTPVersion = .http11, headers: HTTPHeaders = [:], body: [UInt8] = []) {
        self.status = status
        self.reason = reason ?? HTTPResponse.standardReason(status)
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// A plain-text answer: errors, and the notification receiver's `SUCCESS`.
    public static func text(_ status: Int, _ text: String) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// Whether the status forbids a body (RFC 9112 §6.3).
    static func statusForbidsBody(_ status: Int) -> Bool {
        (100..<200).contains(status) || status == 204 || status == 304
    }

    public static func standardReason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: ""
        }
    }
}

extension StringProtocol {
    /// ASCII case-insensitive equality: header names and tokens are ASCII by definition.
    func caseInsensitiveEquals(_ other: some StringProtocol) -> Bool {
        let left = utf8, right = other.utf8
        guard left.count == right.count else { return false }
        // Both sides' bytes in place (any native string): a header name is compared on every message.
        if let equal = left.withContiguousStorageIfAvailable({ left in
            right.withContiguousStorageIfAvailable { right in
                for i in 0..<left.count where asciiLower(left[i]) != asciiLower(right[i]) { return false }
                return true
            }
        }), let equal {
            return equal
        }
        var rest = right.makeIterator()
        for byte in left {
            guard let theirs = rest.next(), asciiLower(byte) == asciiLower(theirs) else { return false }
        }
        return true
    }
}

@inline(__always)
func asciiLower(_ byte: UInt8) -> UInt8 {
    (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
}
