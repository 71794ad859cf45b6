import ECRProtocol
import ECRTransport

/// The terminal's HTTP (and HTTPS) port: the six paths of PROTOCOL.md §4, answered by the shared terminal.
struct TerminalHTTPService: Sendable {
    let terminal: LiveTerminal
    let log: SimulatorLog

    func handle(_ request: HTTPRequest, from peer: HTTPPeer) -> HTTPResponse {
        let path = String(request.path)
        guard Operation(httpPath: path) != nil else {
            log.write(.traffic, "\(request.method) \(path) from \(peer) → 404")
            return .text(404, "Not Found: the terminal serves \(Operation.allCases.map(\.httpPath).joined(separator: ", "))\n")
        }
        if request.method.uppercased() == "POST" {
            let type = request.headers["Content-Type"]?.lowercased() ?? ""
            guard type.hasPrefix("application/json") else {
                let response = ECRResponse(outer: .badParameters, respmsg: "incorrect parameters",
                                           resperr: "Content-Type must be application/json, not '\(type)'")
                log.write(.traffic, "POST \(path) with Content-Type '\(type)' → 4006")
                return Self.json(Array(response.serialized().utf8))
            }
        }
        let asked = TerminalRequest(method: request.method, path: path, body: request.body)
        guard let answer = terminal.respond(to: asked) else {
            AnswerGate.current?.dropNextAnswer()
            return .text(503, "Service Unavailable\n")
        }
        switch answer.delivery {
        case .send(let bytes):
            return Self.json(bytes)
        case .closeWithoutAnswer:
            AnswerGate.current?.dropNextAnswer()
            // Never sent: the gate closes the connection instead.
            return .text(500, "dropped\n")
        case .cutShort(let bytes):
            AnswerGate.current?.cutNextAnswer()
            return Self.json(bytes)
        }
    }

    static func json(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: body)
    }
}

/// The ECR Cloud port: `/ecr/v1/*` on plain HTTP (the real cloud is HTTPS on the internet).
struct CloudHTTPService: Sendable {
    let terminal: LiveTerminal

    func handle(_ request: HTTPRequest, from peer: HTTPPeer) -> HTTPResponse {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name] = field.value }
        let cloudRequest = CloudRequest(method: request.method, path: String(request.path), headers: headers, body: request.body)
        guard let answer = terminal.respond(toCloud: cloudRequest) else { return .text(404, "Not Found: no cloud here\n") }
        return HTTPResponse(status: answer.status, headers: ["Content-Type": "application/json"], body: answer.body)
    }
}
