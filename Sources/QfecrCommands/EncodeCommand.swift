import ArgumentParsing
import ECRProtocol

/// `qfecr encode OPERATION [fields]`: the exact wire form of a request.
enum EncodeCommand {
    static func run(_ parsed: ParsedArguments, io: CommandIO) throws -> ExitCode {
        let posKey = try Secrets.posKey(parsed: nil, io: io, purpose: "compute the digest")
        let request = try request(from: parsed)
        let encoded: EncodedRequest
        do {
            encoded = try EnvelopeEncoder.encode(request, posKey: posKey, encryption: !parsed.flag("no-encryption"))
        } catch {
            throw CommandFailure.usage(error.description)
        }
        var packetHex: String?
        if parsed.isGiven("ref") && !parsed.flag("packet") {
            throw CommandFailure.usage("--ref numbers a packet: add --packet, or leave --ref out")
        }
        if parsed.flag("packet") {
            guard let ref = Int(parsed.option("ref") ?? "1"), (1...127).contains(ref) else {
                throw CommandFailure.usage("--ref must be a number from 1 to 127")
            }
            packetHex = try usage { () throws(WirePacket.Problem) in try WirePacket.hex(body: encoded.body, ref: UInt8(ref)) }
        }
        for line in WireEncoding(encoded: encoded, packetHex: packetHex).lines { io.out(line) }
        return .ok
    }

    static func request(from parsed: ParsedArguments) throws -> ECRRequest {
        let op = parsed.commandPath.dropFirst().first ?? ""
        func required(_ name: String) throws -> String {
            guard let v = parsed.option(name) else { throw CommandFailure.usage("encode \(op) needs --\(name)") }
            return v
        }
        func integer(_ name: String) throws -> Int? {
            guard let text = parsed.option(name) else { return nil }
            guard let v = Int(text) else { throw CommandFailure.usage("--\(name) must be a whole number of seconds, not '\(text)'") }
            return v
        }
        let request: ECRRequest
        switch op {
        case "pay":
            let amount = try parseAmount(try required("amount"))
            let channelText = try required("channel")
            let channel: Channel
            do { channel = try Channel.parse(channelText) } catch { throw CommandFailure.usage(error.description) }
            request = .payment(PaymentRequest(
                amount: amount, channel: channel, outTradeNo: try required("out-trade-no"),
                camera: parsed.option("camera").flatMap(Int.init).flatMap(Camera.init(rawValue:)),
                paymentTimeout: try integer("payment-timeout"), waitCardTimeout: try integer("wait-card-timeout"),
                scanType: parsed.option("scan-type").flatMap(ScanType.init(rawValue:)),
                moveToBack: parsed.option("move-to-back").map { $0 == "1" }))
        case "refund":
            request = .refund(RefundRequest(
                orderId: try required("order-id"), refundAmount: try parsed.option("amount").map(parseAmount),
                allowModify: parsed.option("allow-modify").map { $0 == "1" },
                moveToBack: parsed.option("move-to-back").map { $0 == "1" }))
        case "print":
            request = .printReceipt(orderId: try required("order-id"))
        case "summary":
            request = .printSummary
        case "inquiry":
            switch (parsed.option("order-id"), parsed.option("out-trade-no")) {
            case (let id?, nil): request = .inquiry(.orderId(id))
            case (nil, let id?): request = .inquiry(.outTradeNo(id))
            default: throw CommandFailure.usage("encode inquiry needs exactly one of --order-id or --out-trade-no")
            }
        case "cancel":
            request = .cancelRequest
        default:
            throw CommandFailure.usage("unknown operation '\(op)'")
        }
        do { try request.validate() } catch { throw CommandFailure.usage(error.description) }
        return request
    }

    static func parseAmount(_ text: String) throws -> Amount {
        do { return try Amount.parse(text) } catch { throw CommandFailure.usage(error.description) }
    }
}
