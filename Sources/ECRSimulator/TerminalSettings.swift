import Foundation

/// When the terminal answers a trade call.
public enum AnswerMode: String, Sendable, Codable, CaseIterable {
    /// When the customer has finished (the call can last as long as the payment).
    case sync
    /// At once with 6000 and no result; the result only by inquiry.
    case ack
}

/// How the virtual terminal is set up: what a merchant would configure on a real one.
public struct TerminalSettings: Sendable {
    /// The secret shared with the till. Never printed.
    public var posKey: String
    public var mode: AnswerMode
    /// How long the virtual customer takes to pay, in seconds.
    public var customerDelay: TimeInterval
    /// Encrypt answers (some firmware may), so clients exercise their fallback; real terminals answer in plain JSON.
    public var encryptAnswers: Bool
    /// Outcomes chosen by a scenario file; nil uses the built-in cents table.
    public var scenario: Scenario?
    public var merchantName: String
    /// `userid`: the store id.
    public var storeId: String
    /// `udid` and the cloud `termid`: the device id shown in the Haojin app.
    public var deviceId: String

    public static let defaultPOSKey = "f46b1f08bec1f39104792cc79ec9aacd"

    public init(posKey: String = TerminalSettings.defaultPOSKey, mode: AnswerMode = .sync, customerDelay: TimeInterval = 2,
                encryptAnswers: Bool = false, scenario: Scenario? = nil, merchantName: String = "qfecr Demo Store",
                storeId: String = "1130000619", deviceId: String = "SIM0000000001") {
        self.posKey = posKey
        self.mode = mode
        self.customerDelay = customerDelay
        self.encryptAnswers = encryptAnswers
        self.scenario = scenario
        self.merchantName = merchantName
        self.storeId = storeId
        self.deviceId = deviceId
    }
}
