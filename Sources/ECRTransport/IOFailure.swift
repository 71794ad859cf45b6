import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A failed I/O step on a socket or a serial line, with a message a technician can act on.
///
/// `couldHaveReachedPeer` is what the payment engine cares about most: `false` means no byte of the
/// request can have left this machine (safe to send again); `true` means something went out before
/// the failure, so the outcome is unknown and must be asked for, never re-sent blindly.
public struct IOFailure: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    public enum Kind: String, Sendable, CaseIterable {
        case connectionRefused
        case connectTimeout
        case hostUnreachable
        case nameResolutionFailed
        case addressInUse
        case readTimeout
        case writeTimeout
        case resetByPeer
        case closedByPeer
        case tooLarge
        case noSuchDevice
        case permissionDenied
        case notATerminal
        case deviceBusy
        case unsupportedSetting
        /// The stream was closed by this program (another thread called `close()`).
        case closedLocally
        /// Anything else the kernel reported; `errno` says what.
        case system
    }

    public let kind: Kind
    /// What the failure is about: `host:port`, a device path.
    public let endpoint: String
    public let couldHaveReachedPeer: Bool
    /// The `errno` behind the failure, when there was one.
    public let errno: Int32?
    public let message: String

    public init(kind: Kind, endpoint: String, couldHaveReachedPeer: Bool, errno: Int32? = nil, message: String) {
        self.kind = kind
        self.endpoint = endpoint
        self.couldHaveReachedPeer = couldHaveReachedPeer
        self.errno = errno
        self.message = message
    }

    public var description: String { message }
    public var errorDescription: String? { message }

    /// The same failure with `couldHaveReachedPeer` set, for layers that know more (bytes went out earlier).
    public func reached(_ value: Bool) -> IOFailure {
        IOFailure(kind: kind, endpoint: endpoint, couldHaveReachedPeer: value, errno: errno, message: message)
    }
}

// MARK: - The messages, one place for all of them

extension IOFailure {
    static let mayHaveArrived =
        " The request may already have reached the terminal: ask for its result before sending it again."

    public static func connectionRefused(_ endpoint: String) -> IOFailure {
        IOFailure(kind: .connectionRefused, endpoint: endpoint, couldHaveReachedPeer: false, errno: ECONNREFUSED,
                  message: "Connection refused: nothing listens on \(endpoint) — is the ECR app open and on the same network?")
    }

    public static func connectTimeout(_ endpoint: String, seconds: Double?) -> IOFailure {
        let within = seconds.map { " within \(formatSeconds($0))" } ?? ""
        return IOFailure(kind: .connectTimeout, endpoint: endpoint, couldHaveReachedPeer: false, errno: ETIMEDOUT,
                         message: "No answer from \(endpoint)\(within) — is the terminal switched on, is the IP address right, "
                             + "and are till and terminal on the same network (Wi-Fi client isolation blocks this)?")
    }

    public static func hostUnreachable(_ endpoint: String, errno: Int32) -> IOFailure {
        IOFailure(kind: .hostUnreachable, endpoint: endpoint, couldHaveReachedPeer: false, errno: errno,
                  message: "\(endpoint) is unreachable (\(errnoText(errno))) — check the till's cable or Wi-Fi and that "
                      + "the terminal's IP address is in the till's subnet.")
    }

    public static func nameResolutionFailed(host: String, detail: String) -> IOFailure {
        IOFailure(kind: .nameResolutionFailed, endpoint: host, couldHaveReachedPeer: false,
                  message: "Cannot resolve the host name '\(host)' (\(detail)) — check the spelling, or use the terminal's IP address.")
    }

    public static func addressInUse(_ endpoint: String) -> IOFailure {
        IOFailure(kind: .addressInUse, endpoint: endpoint, couldHaveReachedPeer: false, errno: EADDRINUSE,
                  message: "\(endpoint) is already in use — another simulator or program listens there; stop it or pick another port.")
    }

    public static func readTimeout(_ endpoint: String, afterSending: Bool) -> IOFailure {
        IOFailure(kind: .readTimeout, endpoint: endpoint, couldHaveReachedPeer: afterSending, errno: ETIMEDOUT,
                  message: "No reply from \(endpoint) within the time limit." + (afterSending ? mayHaveArrived : ""))
    }

    public static func writeTimeout(_ endpoint: String, afterSending: Bool) -> IOFailure {
        IOFailure(kind: .writeTimeout, endpoint: endpoint, couldHaveReachedPeer: afterSending, errno: ETIMEDOUT,
                  message: "Could not send to \(endpoint) within the time limit — the peer is not reading or the link is stalled."
                      + (afterSending ? mayHaveArrived : ""))
    }

    public static func resetByPeer(_ endpoint: String, afterSending: Bool) -> IOFailure {
        IOFailure(kind: .resetByPeer, endpoint: endpoint, couldHaveReachedPeer: afterSending, errno: ECONNRESET,
                  message: "\(endpoint) reset the connection — the terminal app may have restarted or dropped the request."
                      + (afterSending ? mayHaveArrived : ""))
    }

    public static func closedByPeer(_ endpoint: String, afterSending: Bool) -> IOFailure {
        IOFailure(kind: .closedByPeer, endpoint: endpoint, couldHaveReachedPeer: afterSending, errno: EPIPE,
                  message: "\(endpoint) closed the connection before answering." + (afterSending ? mayHaveArrived : ""))
    }

    public static func tooLarge(_ endpoint: String, limit: Int, afterSending: Bool) -> IOFailure {
        IOFailure(kind: .tooLarge, endpoint: endpoint, couldHaveReachedPeer: afterSending,
                  message: "\(endpoint) sent more than \(limit) bytes — that is not a terminal's answer; check the host and port.")
    }

    public static func noSuchDevice(_ path: String, errno: Int32, whileOpen: Bool = false) -> IOFailure {
        let message = whileOpen
            ? "The device \(path) went away (\(errnoText(errno))) — was the USB cable unplugged? Plug it back in and retry."
            : "No device at \(path) — is the USB cable plugged in? List candidates with `ls /dev/ttyUSB* /dev/ttyACM*`."
        return IOFailure(kind: .noSuchDevice, endpoint: path, couldHaveReachedPeer: false, errno: errno, message: message)
    }

    public static func permissionDenied(device path: String) -> IOFailure {
        IOFailure(kind: .permissionDenied, endpoint: path, couldHaveReachedPeer: false, errno: EACCES,
                  message: "Permission denied on \(path) — add this user to the dialout group: "
                      + "`sudo usermod -aG dialout $USER`, then log out and back in "
                      + "(for a quick test only: `sudo chmod a+rw \(path)`).")
    }

    public static func permissionDenied(binding endpoint: String) -> IOFailure {
        IOFailure(kind: .permissionDenied, endpoint: endpoint, couldHaveReachedPeer: false, errno: EACCES,
                  message: "Permission denied listening on \(endpoint) — ports below 1024 need root; pick a port above 1023.")
    }

    public static func notATerminal(_ path: String) -> IOFailure {
        IOFailure(kind: .notATerminal, endpoint: path, couldHaveReachedPeer: false, errno: ENOTTY,
                  message: "\(path) is not a serial device (not a tty) — give the path of the USB serial adapter, e.g. /dev/ttyUSB0.")
    }

    public static func deviceBusy(_ path: String) -> IOFailure {
        IOFailure(kind: .deviceBusy, endpoint: path, couldHaveReachedPeer: false, errno: EBUSY,
                  message: "\(path) is in use by another program (another qfecr, ModemManager, a serial console?) — close it and retry.")
    }

    public static func unsupportedSetting(_ endpoint: String, _ detail: String) -> IOFailure {
        IOFailure(kind: .unsupportedSetting, endpoint: endpoint, couldHaveReachedPeer: false, message: detail)
    }

    public static func closedLocally(_ endpoint: String, afterSending: Bool) -> IOFailure {
        IOFailure(kind: .closedLocally, endpoint: endpoint, couldHaveReachedPeer: afterSending, errno: EBADF,
                  message: "The link to \(endpoint) was closed by this program." + (afterSending ? mayHaveArrived : ""))
    }

    public static func system(_ endpoint: String, operation: String, errno: Int32, afterSending: Bool) -> IOFailure {
        IOFailure(kind: .system, endpoint: endpoint, couldHaveReachedPeer: afterSending, errno: errno,
                  message: "\(operation) on \(endpoint) failed: \(errnoText(errno))." + (afterSending ? mayHaveArrived : ""))
    }
}

func errnoText(_ code: Int32) -> String {
    String(cString: strerror(code))
}

private func formatSeconds(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? "\(Int(seconds)) s" : String(format: "%.1f s", seconds)
}

extension IOFailure {
    /// The engine's view of this failure: not sent (safe to try again) or unknown (ask first).
    public var transportFailure: TransportFailure {
        couldHaveReachedPeer ? .unknown(message, kind: failureKind) : .notSent(message, kind: failureKind)
    }

    public var failureKind: FailureKind {
        switch kind {
        case .connectionRefused: return .connectionRefused
        case .hostUnreachable, .nameResolutionFailed: return .unreachable
        case .connectTimeout, .readTimeout, .writeTimeout: return .timeout
        case .resetByPeer, .closedByPeer: return .reset
        case .tooLarge: return .garbled
        case .noSuchDevice, .notATerminal: return .noDevice
        case .permissionDenied: return .permissionDenied
        case .deviceBusy, .addressInUse: return .busy
        case .closedLocally: return .linkDown
        case .unsupportedSetting, .system: return .other
        }
    }
}
