import Foundation
import ECRProtocol

/// How the engine paces and bounds a payment. Defaults suit a LAN terminal at a shop counter.
///
/// The overall deadline rule: polling stops at
/// `start + paymentTimeout + grace`, but never sooner than `grace` after the trade call came back,
/// so a slow trade call still gets a full `grace` of inquiries. A resumed attempt (after a restart)
/// keeps what is left of its deadline, and gets at least `grace`; "query again" on an unresolved
/// attempt polls for `grace` from the moment the cashier asks.
public struct EngineSettings: Sendable, Equatable {
    /// Names this till in every out_trade_no: 1–12 letters, digits, `-` or `_`.
    public var tillID: String
    /// Time between two inquiries while the outcome is pending or unknown (DESIGN.md: 2 s).
    public var pollInterval: Duration
    /// Extra time after `paymentTimeout` before an unanswered attempt becomes unresolved: covers the
    /// terminal's own lag and a payment completing at the last moment.
    public var grace: Duration
    /// The `payment_timeout` sent with every payment, in seconds, unless the sale overrides it.
    /// PayMe accepts at most 120.
    public var paymentTimeout: Int
    /// Local time for out_trade_no and for the card "same day" refund rule.
    public var timeZone: TimeZone
    /// How many exchanges and notes the wire log keeps (the oldest go first).
    public var logCapacity: Int = WireLog.defaultCapacity

    public static let defaultTillID = "T01"

    public init(tillID: String = EngineSettings.defaultTillID, pollInterval: Duration = .seconds(2),
                grace: Duration = .seconds(30), paymentTimeout: Int = 120, timeZone: TimeZone = .current) {
        self.tillID = tillID
        self.pollInterval = pollInterval
        self.grace = grace
        self.paymentTimeout = paymentTimeout
        self.timeZone = timeZone
    }

    /// Checks the values a configuration file or flag could get wrong.
    public func validate() throws(EngineRefusal) {
        try OutTradeNoGenerator.checkTillID(tillID)
        guard pollInterval > .zero else { throw .invalidSetting("poll interval must be more than 0 s") }
        guard grace >= .zero else { throw .invalidSetting("grace must not be negative") }
        guard paymentTimeout > 0 else { throw .invalidSetting("payment_timeout must be a positive number of seconds") }
    }
}

/// Per-sale choices on top of the settings.
public struct PaymentOptions: Sendable, Equatable {
    /// Use this out_trade_no instead of a generated one (it must never have been used).
    public var outTradeNo: String?
    /// Overrides `EngineSettings.paymentTimeout` for this sale.
    public var paymentTimeout: Int?
    public var waitCardTimeout: Int?
    public var scanType: ScanType?
    public var camera: Camera?
    public var moveToBack: Bool?

    public init(outTradeNo: String? = nil, paymentTimeout: Int? = nil, waitCardTimeout: Int? = nil,
                scanType: ScanType? = nil, camera: Camera? = nil, moveToBack: Bool? = nil) {
        self.outTradeNo = outTradeNo
        self.paymentTimeout = paymentTimeout
        self.waitCardTimeout = waitCardTimeout
        self.scanType = scanType
        self.camera = camera
        self.moveToBack = moveToBack
    }
}
