import ECRConfiguration
import ECRProtocol
import ECRTransport
import Foundation

/// Receives the signed notifications QFPay posts after a payment or refund (PROTOCOL.md §7) and
/// hands each verified one to the engine, so a Cloud payment resolves without waiting for the next
/// poll. A small `HTTPServer` on `notify_listen`: POST only; `X-QF-SIGN` must be the UPPERCASE MD5
/// of the raw body and the notification key (compared in constant time); a verified notification
/// is answered `200 SUCCESS`, anything else is answered 4xx and never reaches the engine.
///
/// The notification key is used only to verify; it is never logged or put in an answer.
public final class NotificationReceiver: Sendable {
    private let server: HTTPServer

    /// What the receiver reports, for standard error or the console's log. Never holds the key.
    public enum Event: Sendable, Equatable {
        /// A verified notification, handed to the engine.
        case accepted(ReceivedNotification, peer: String)
        /// Refused: bad or missing signature, unreadable body, wrong method. The text says which.
        case refused(status: Int, reason: String, peer: String)

        /// One line for a log: `notification for T01-… (payment, status 1) from 10.0.0.9:51234`.
        public var logLine: String {
            switch self {
            case .accepted(let notification, let peer):
                return "notification for \(notification.outTradeNo) (\(notification.notifyType), status \(notification.status ?? "?")) from \(peer)"
            case .refused(let status, let reason, let peer):
                return "\(reason) (from \(peer), answered \(status))"
            }
        }

        /// Refusals are warnings: a notification that was ignored may need a look.
        public var isWarning: Bool {
            if case .refused = self { return true }
            return false
        }
    }

    /// Listens on `listen` (`ADDRESS:PORT`; port 0 picks a free one) and calls `deliver` on the
    /// server's connection thread for every verified notification, and `report` for every request.
    /// `secrets`: every key the till holds; they are masked in what a notification says, like the
    /// notification key itself.
    public init(listen: String, notificationKey: Secret, secrets: [Secret] = [],
                deliver: @escaping @Sendable (ReceivedNotification) -> Void,
                report: @escaping @Sendable (Event) -> Void = { _ in }) throws(NotificationReceiverError) {
        let (host, port) = try Self.parseListenAddress(listen)
        guard !notificationKey.revealed.isEmpty else { throw .missingKey }
        let listener: TCPListener
        do {
            listener = try TCPListener(host: host, port: port)
        } catch {
            throw .cannotListen(listen, reason: "\(error)")
        }
        let key = notificationKey
        let masker = SecretMasker(secrets: ([notificationKey] + secrets).map(\.revealed))
        server = HTTPServer(listener: listener,
                            configuration: HTTPServerConfiguration(limits: HTTPLimits(maxBodyBytes: 64 * 1024), maxConnections: 8,
                                                                   requestTimeout: 10, writeTimeout: 10, name: "qfecr notify")) {
            request, peer in
            let (response, event) = Self.examine(request, notificationKey: key, peer: peer.description, masker: masker)
            if case .accepted(let notification, _) = event { deliver(notification) }
            report(event)
            return response
        }
        do {
            try server.start()
        } catch {
            server.stop()
            throw .cannotListen(listen, reason: "\(error)")
        }
    }

    /// A receiver that feeds `engine`. Every verified notification is handed over at once; the
    /// engine settles the matching attempt, or asks the terminal now when the result is not final.
    public convenience init(listen: String, notificationKey: Secret, secrets: [Secret] = [], engine: PaymentEngine,
                            report: @escaping @Sendable (Event) -> Void = { _ in }) throws(NotificationReceiverError) {
        try self.init(listen: listen, notificationKey: notificationKey, secrets: secrets, deliver: { notification in
            Task { await engine.notificationReceived(outTradeNo: notification.outTradeNo, record: notification.record) }
        }, report: report)
    }

    /// The receiver a profile asks for (`notify_listen`), feeding `engine`; nil when none is configured.
    /// A listen address without a notification key is a configuration error naming both places for it.
    public static func start(profile: TerminalProfile, engine: PaymentEngine,
                             report: @escaping @Sendable (Event) -> Void = { _ in }) throws(NotificationReceiverError) -> NotificationReceiver? {
        guard let listen = profile.notifyListen else { return nil }
        guard let key = profile.notifyKey, !key.revealed.isEmpty else { throw .missingKey }
        let secrets = [profile.posKey, profile.cloudClientKey].compactMap { $0 }
        return try NotificationReceiver(listen: listen, notificationKey: key, secrets: secrets, engine: engine, report: report)
    }

    /// The address bound (with the port the kernel chose when 0 was asked for).
    public var localAddress: SocketAddress { server.localAddress }
    public var port: UInt16 { server.port }

    /// Stops listening and ends every connection; returns when their threads are gone.
    public func stop() {
        server.stop()
    }

    deinit { server.stop() }

    // MARK: - One request

    /// What to answer `request`, and what happened. Pure: the HTTP server calls it, tests too.
    public static func examine(_ request: HTTPRequest, notificationKey: Secret, peer: String,
                               masker: SecretMasker? = nil) -> (HTTPResponse, Event) {
        guard request.method.caseInsensitiveCompare("POST") == .orderedSame else {
            var response = HTTPResponse.text(405, "Method Not Allowed: notifications are POSTed\n")
            response.headers.set("Allow", "POST")
            return (response, .refused(status: 405, reason: "\(request.method) request to the notification receiver ignored", peer: peer))
        }
        guard let signature = request.headers["X-QF-SIGN"], !signature.trimmingCharacters(in: .whitespaces).isEmpty else {
            return (.text(403, "Forbidden: no X-QF-SIGN header\n"),
                    .refused(status: 403, reason: "notification without a signature ignored", peer: peer))
        }
        guard NotificationSignature.verify(body: request.body, notificationKey: notificationKey.revealed, signature: signature) else {
            return (.text(403, "Forbidden: the signature does not match\n"),
                    .refused(status: 403, reason: "notification with a bad signature ignored — check notify_key (or QFECR_NOTIFY_KEY) against the key QFPay issued", peer: peer))
        }
        let notification: ReceivedNotification
        do {
            notification = try ReceivedNotification(body: request.body,
                                                    masker: masker ?? SecretMasker(secrets: [notificationKey.revealed]))
        } catch {
            return (.text(400, "Bad Request: \(error.description)\n"),
                    .refused(status: 400, reason: "signed notification could not be read: \(error.description)", peer: peer))
        }
        return (.text(200, "SUCCESS"), .accepted(notification, peer: peer))
    }

    /// `0.0.0.0:8080`, `127.0.0.1:0`, `[::1]:8080`, `:8080` (every interface). The port may be 0 (tests).
    public static func parseListenAddress(_ text: String) throws(NotificationReceiverError) -> (host: String?, port: UInt16) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.lastIndex(of: ":"), let port = UInt16(trimmed[trimmed.index(after: colon)...]) else {
            throw .invalidAddress(text)
        }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        } else if host.contains(":") {
            throw .invalidAddress(text) // an IPv6 address needs brackets: [::1]:8080
        }
        return (host.isEmpty ? nil : host, port)
    }
}

/// A verified notification, read: who it is about and the record the engine takes.
public struct ReceivedNotification: Sendable, Equatable {
    public let outTradeNo: String
    /// `payment`, `refund`, or (older) `cancel`.
    public let notifyType: String
    /// `"1"` = success; nil when absent.
    public let status: String?
    /// The notification's fields as a transaction record: `status` "1" becomes `respcd` 0000,
    /// `pay_type` becomes `busicd`, so the engine reads it like an inquiry's answer.
    public let record: TransactionRecord

    /// Reads a notification body (a JSON object). Only `out_trade_no` is required. Its text is
    /// QFPay's (untrusted): cleaned and with `masker`'s secrets masked before anything reads it.
    public init(body: [UInt8], masker: SecretMasker = SecretMasker(secrets: [])) throws(NotificationReadError) {
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch { throw NotificationReadError("the body is \(error.description)") }
        guard case .object(let raw) = value else { throw NotificationReadError("the body is not a JSON object") }
        var fields = masker.clean(raw)
        guard let outTradeNo = fields["out_trade_no"]?.scalarText, !outTradeNo.isEmpty else {
            throw NotificationReadError("it has no out_trade_no")
        }
        let status = fields["status"]?.scalarText
        // Only a success is taken as a result; anything else only makes the engine ask the terminal now.
        if status == "1" {
            fields["respcd"] = .string(TransactionStatus.success.code)
        } else {
            fields["respcd"] = nil
        }
        if fields["busicd"] == nil, let payType = fields["pay_type"]?.scalarText {
            fields["busicd"] = .string(payType)
        }
        self.outTradeNo = outTradeNo
        notifyType = fields["notify_type"]?.scalarText ?? "payment"
        self.status = status
        record = TransactionRecord(fields: fields)
    }
}

public struct NotificationReadError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Why the notification receiver cannot run. Never holds the key.
public enum NotificationReceiverError: Error, Sendable, Equatable, CustomStringConvertible {
    case missingKey
    case invalidAddress(String)
    case cannotListen(String, reason: String)

    public var description: String {
        switch self {
        case .missingKey:
            return "notify_listen is set but there is no notification key to verify QFPay's signatures: set QFECR_NOTIFY_KEY "
                + "in the environment, or notify_key in the configuration file (mode 0600)"
        case .invalidAddress(let text):
            return "notify_listen '\(text)' must be ADDRESS:PORT, e.g. 0.0.0.0:8080 (IPv6 in brackets: [::]:8080)"
        case .cannotListen(let text, let reason):
            return "cannot receive notifications on \(text): \(reason)"
        }
    }
}
