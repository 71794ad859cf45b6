import ECRConfiguration
import Foundation

extension EngineSettings {
    /// The engine's settings from a terminal profile (config file, flags), in the till's time zone.
    public init(profile: TerminalProfile, timeZone: TimeZone = .current) {
        self.init(tillID: profile.tillId,
                  pollInterval: .milliseconds(Int64((profile.pollInterval * 1000).rounded())),
                  grace: .milliseconds(Int64((profile.grace * 1000).rounded())),
                  paymentTimeout: profile.paymentTimeout,
                  timeZone: timeZone)
        logCapacity = profile.logSize
    }
}
