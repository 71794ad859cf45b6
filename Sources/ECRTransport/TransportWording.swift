import Foundation

/// How transports word their failures, so every link says the same thing the same way, sorted by
/// the Transport contract: nothing written → not sent; the request started to go out → unknown.
enum TransportWording {
    /// `15 s`, `0.5 s`.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }

    /// A failure before any byte of the request was written: connect, TLS handshake, opening a device.
    /// `naming`: how a TLS failure's advice names the settings to change.
    static func beforeSending(_ error: any Error, naming: SettingNaming = .flags) -> TransportFailure {
        switch error {
        case let failure as IOFailure: return failure.transportFailure
        case let failure as TLSFailure: return failure.transportFailure(naming: naming)
        default: return .notSent("Not sent: \(error)", kind: .other)
        }
    }

    /// A failure once the request started to go out: settled by inquiry, never by sending again.
    static func afterSending(_ error: any Error, endpoint: String, seconds: Double, naming: SettingNaming = .flags) -> TransportFailure {
        switch error {
        case let failure as IOFailure where failure.kind == .readTimeout:
            return noAnswer(from: endpoint, within: seconds)
        case let failure as IOFailure:
            return failure.transportFailure
        case TLSFailure.timedOut(.read):
            return noAnswer(from: endpoint, within: seconds)
        case let failure as TLSFailure:
            return failure.requestMayHaveReachedPeer
                ? .unknown(failure.message(naming: naming) + IOFailure.mayHaveArrived, kind: failure.failureKind)
                : failure.transportFailure(naming: naming)
        case let failure as HTTPParseError:
            return .unknown("\(endpoint) answered with something that is not valid HTTP (\(failure))." + IOFailure.mayHaveArrived, kind: .garbled)
        default:
            return .unknown("The exchange with \(endpoint) failed: \(error)." + IOFailure.mayHaveArrived)
        }
    }

    static func noAnswer(from endpoint: String, within seconds: Double) -> TransportFailure {
        .unknown("No answer from \(endpoint) within \(Self.seconds(seconds))." + IOFailure.mayHaveArrived, kind: .timeout)
    }

    /// The link failed while requests were out: every one of them has an unknown outcome.
    static func linkFailed(_ error: any Error, endpoint: String) -> TransportFailure {
        guard let failure = error as? IOFailure else {
            return .unknown("The link to \(endpoint) failed: \(error)." + IOFailure.mayHaveArrived, kind: .linkDown)
        }
        return .unknown(failure.message + (failure.couldHaveReachedPeer ? "" : IOFailure.mayHaveArrived), kind: failure.failureKind)
    }
}
