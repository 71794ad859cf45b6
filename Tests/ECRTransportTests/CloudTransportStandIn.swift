import ECRProtocol
import Foundation
import XCTest
@testable import ECRTransport

/// A loopback stand-in for QFPay's ECR Cloud: checks the app code and signature as the cloud does,
/// records what it received, and answers with `answer(path, parameters)`.
final class CloudStandIn: Sendable {
    struct Seen: Sendable {
        let path: String
        let contentType: String?
        let headers: HTTPHeaders
        let parameters: [String: String]
        let signatureVerified: Bool
    }

    static let appCode = "TESTAPPCODE"
    static let clientKey = "TESTCLIENTKEY0123456789ABCDEF012"
    static let terminalId = "SIM0000000001"

    // Safe to share: `seenPosts` is a locked box; the server is set once in init.
    private let seenPosts = LockedBox<[Seen]>([])
    private let server: HTTPServer

    var port: UInt16 { server.port }
    var seen: [Seen] { seenPosts.value }

    init(tls: TLSServerConfiguration? = nil,
         answer: @escaping @Sendable (_ path: String, _ parameters: [String: String]) -> (status: Int, body: String)) throws {
        let seen = seenPosts
        server = HTTPServer(listener: try TCPListener(host: "127.0.0.1", port: 0),
                            configuration: HTTPServerConfiguration(requestTimeout: 5, name: "cloud stand-in"), wrapAccepted: try serverStreams(tls)) { request, _ in
            let parameters = CloudStandIn.decodeForm(request.body)
            let algorithm: CloudSignatureAlgorithm = request.headers["X-QF-SIGNTYPE"] == "SHA256" ? .sha256 : .md5
            let verified = request.headers["X-QF-APPCODE"] == CloudStandIn.appCode
                && CloudSignature.verify(parameters, clientKey: CloudStandIn.clientKey, signature: request.headers["X-QF-SIGN"] ?? "",
                                         algorithm: algorithm)
            seen.mutate { $0.append(Seen(path: String(request.path), contentType: request.headers["Content-Type"],
                                         headers: request.headers, parameters: parameters, signatureVerified: verified)) }
            guard verified else {
                return HTTPResponse(status: 200, body: Array(#"{"resperr":"signature error","respcd":"1108","respmsg":""}"#.utf8))
            }
            let (status, body) = answer(String(request.path), parameters)
            return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: Array(body.utf8))
        }
        try server.start()
    }

    func stop() { server.stop() }

    static func decodeForm(_ body: [UInt8]) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in String(decoding: body, as: UTF8.self).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
            }
            parameters[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return parameters
    }

    /// `{"resperr":…,"respcd":…,"respmsg":""}`, as the cloud answers a push.
    static func push(_ code: String, _ message: String) -> (status: Int, body: String) {
        (200, JSONValue.object(JSONObject([("resperr", .string(message)), ("respcd", .string(code)), ("respmsg", .string(""))])).serialized())
    }

    /// A successful query with `record` in `respmsg`.
    static func query(_ record: JSONObject) -> (status: Int, body: String) {
        (200, JSONValue.object(JSONObject([("resperr", .string("Query success")), ("respcd", .string("0000")),
                                           ("respmsg", .object(record))])).serialized())
    }

    /// The seed's card record, shortened.
    static let cardRecord = JSONObject([
        ("cancel", .number("0")), ("out_trade_no", .string(TransportFixtures.outTradeNo)), ("syssn", .string(TransportFixtures.syssn)),
        ("tradetp", .string("payment")), ("txcurrcd", .string("344")), ("allow_refund_amt", .number("511")),
        ("txamt", .number("511")), ("busicd", .string("802801")), ("cardscheme", .string("ECMC")), ("respcd", .string("0000")),
    ])
}
