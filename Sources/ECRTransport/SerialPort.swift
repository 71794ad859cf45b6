import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A serial line to the terminal (USB adapter, e.g. PL2303 at /dev/ttyUSB0) in raw 8N1 mode,
/// reads and writes sleeping in `poll()` until a deadline.
public final class SerialPort: ByteStream {
    private let descriptor: PolledDescriptor
    public let path: String
    public let baudRate: Int

    public static let defaultBaudRate = 9600
    public static var supportedBaudRates: [Int] { LineSettings.supportedBaudRates }

    /// Opens `path` and sets it to raw 8N1 at `baudRate` with no flow control. Input already waiting
    /// in the driver (from before this program) is discarded.
    public init(path: String, baudRate: Int = SerialPort.defaultBaudRate) throws {
        guard let code = LineSettings.code(forBaud: baudRate) else {
            throw IOFailure.unsupportedSetting(path, "Baud rate \(baudRate) is not supported; use one of "
                + LineSettings.supportedBaudRates.map(String.init).joined(separator: ", ") + " (QFPay terminals use 9600).")
        }
        // O_NOCTTY: the terminal must not become this process's controlling tty.
        // O_NONBLOCK: open must not wait for a carrier, and reads go through poll().
        let fd = open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw serialOpenFailure(errno, path: path) }
        var handedOver = false
        defer { if !handedOver { Glibc.close(fd) } }

        guard isatty(fd) == 1 else { throw IOFailure.notATerminal(path) }
        // Exclusive use: a second program writing to the same line would garble both (root ignores it).
        _ = ioctl(fd, UInt(TIOCEXCL))

        var settings = termios()
        guard tcgetattr(fd, &settings) == 0 else { throw serialFailure(errno, path: path, operation: "tcgetattr", afterSending: false) }
        LineSettings.applyRaw(to: &settings, baud: code)
        guard tcsetattr(fd, TCSANOW, &settings) == 0 else {
            throw serialFailure(errno, path: path, operation: "tcsetattr", afterSending: false)
        }
        var applied = termios()
        if tcgetattr(fd, &applied) == 0, cfgetospeed(&applied) != code {
            throw IOFailure.unsupportedSetting(path, "\(path) did not accept \(baudRate) baud (it reports "
                + "\(LineSettings.describe(applied))) — try 9600, or another USB serial adapter.")
        }
        tcflush(fd, TCIFLUSH)

        self.path = path
        self.baudRate = baudRate
        descriptor = PolledDescriptor(fd: fd, endpoint: path, isSocket: false) { code, operation, afterSending in
            serialFailure(code, path: path, operation: operation, afterSending: afterSending)
        }
        handedOver = true
    }

    /// The line's settings as the driver reports them, for `qfecr doctor`.
    public var settingsDescription: String {
        do {
            return try descriptor.withDescriptor { fd in
                var settings = termios()
                guard tcgetattr(fd, &settings) == 0 else { return "settings unreadable: \(errnoText(errno))" }
                return LineSettings.describe(settings)
            }
        } catch {
            return "closed"
        }
    }

    /// Whether any byte was written, i.e. a request may have reached the terminal.
    public var hasSentBytes: Bool { descriptor.hasSent }

    public func write(_ bytes: [UInt8], deadline: Deadline) throws {
        try descriptor.write(bytes, deadline: deadline)
    }

    public func read(maxCount: Int, deadline: Deadline) throws -> [UInt8] {
        try descriptor.read(maxCount: maxCount, deadline: deadline)
    }

    public func close() {
        descriptor.close()
    }
}

/// Words an `open()` failure on a device path for a technician.
func serialOpenFailure(_ code: Int32, path: String) -> IOFailure {
    switch code {
    case ENOENT, ENODEV, ENXIO: .noSuchDevice(path, errno: code)
    case EACCES, EPERM: .permissionDenied(device: path)
    case EBUSY: .deviceBusy(path)
    case ENOTDIR, EISDIR: .notATerminal(path)
    default: .system(path, operation: "open", errno: code, afterSending: false)
    }
}

/// Words a failure on an open serial line.
func serialFailure(_ code: Int32, path: String, operation: String, afterSending: Bool) -> IOFailure {
    switch code {
    case EIO, ENXIO, ENODEV: IOFailure.noSuchDevice(path, errno: code, whileOpen: true).reached(afterSending)
    case ENOTTY: .notATerminal(path)
    default: .system(path, operation: operation, errno: code, afterSending: afterSending)
    }
}
