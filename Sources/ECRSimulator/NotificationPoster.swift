import ECRTransport
import Foundation

/// Posts merchant notifications on a thread of its own, in order, a few attempts each: the
/// terminal never waits for the merchant's server.
final class NotificationPoster: NotificationCourier, @unchecked Sendable {
    private let log: SimulatorLog
    private let condition = NSCondition()
    private var queue: [MerchantNotification] = []
    private var stopping = false

    /// Waits before the 2nd and 3rd attempt, in seconds; then the notification is given up.
    let retryDelays: [Double]
    static let timeout: Double = 5

    init(log: SimulatorLog, threads: ThreadGroup, retryDelays: [Double] = [1, 3]) {
        self.log = log
        self.retryDelays = retryDelays
        threads.spawn("qfecr-sim notify") { [self] in run() }
    }

    func deliver(_ notification: MerchantNotification) {
        condition.lock()
        queue.append(notification)
        condition.signal()
        condition.unlock()
    }

    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while queue.isEmpty && !stopping { condition.wait() }
            if stopping {
                let dropped = queue.count
                condition.unlock()
                if dropped > 0 { log.write(.warning, "\(dropped) notification(s) not sent: the simulator stopped") }
                return
            }
            let next = queue.removeFirst()
            condition.unlock()
            post(next)
        }
    }

    private func post(_ notification: MerchantNotification) {
        let what = "notify \(notification.notifyType) syssn=\(notification.syssn) → \(notification.url)"
        var problem = ""
        for attempt in 0...retryDelays.count {
            if attempt > 0 {
                condition.lock()
                if !stopping { _ = condition.wait(until: Date().addingTimeInterval(retryDelays[attempt - 1])) }
                let stop = stopping
                condition.unlock()
                if stop { break }
            }
            do {
                let response = try send(notification)
                let body = response.bodyText.trimmingCharacters(in: .whitespacesAndNewlines)
                if response.status == 200 {
                    log.write(.traffic, "\(what): 200 \(body == "SUCCESS" ? "SUCCESS" : "(answer '\(body.prefix(40))', expected SUCCESS)")")
                    return
                }
                problem = "HTTP \(response.status)"
            } catch {
                problem = "\(error)"
            }
        }
        log.write(.warning, "\(what) failed after \(retryDelays.count + 1) attempts: \(problem)")
    }

    private func send(_ notification: MerchantNotification) throws -> HTTPResponse {
        guard let url = URL(string: notification.url), let host = url.host,
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw IOFailure.unsupportedSetting(notification.url, "not an http(s) URL")
        }
        let port = UInt16(url.port ?? (scheme == "https" ? 443 : 80))
        let connection = try TCPConnection.connect(host: host, port: port, timeout: Self.timeout)
        defer { connection.close() }
        let deadline = Deadline.after(seconds: Self.timeout)
        var stream: any ByteStream = connection
        if scheme == "https" {
            let configuration = TLSClientConfiguration(trust: .systemStore, pin: .none, verifyHostname: true)
            stream = try TLSStream.connect(descriptor: connection.fileDescriptor, host: host, configuration: configuration,
                                           deadline: deadline, closesDescriptor: false)
        }
        defer { if stream !== connection { stream.close() } }
        let path = url.path.isEmpty ? "/" : url.path + (url.query.map { "?" + $0 } ?? "")
        var request = HTTPRequest.post(path, host: url.port.map { "\(host):\($0)" } ?? host, contentType: "application/json",
                                       body: notification.body)
        request.headers.add("X-QF-SIGN", notification.signature)
        return try HTTPClient.exchange(request, over: stream, deadline: deadline, endpoint: notification.url)
    }
}
