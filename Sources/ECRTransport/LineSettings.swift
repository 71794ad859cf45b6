import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// termios for a serial line as the terminal wants it: raw bytes, 8N1, no flow control.
enum LineSettings {
    /// Baud rates a USB serial adapter is asked for, with their termios codes. QFPay uses 9600.
    static let baudCodes: [(rate: Int, code: speed_t)] = [
        (9600, speed_t(B9600)), (19200, speed_t(B19200)), (38400, speed_t(B38400)),
        (57600, speed_t(B57600)), (115200, speed_t(B115200)),
    ]

    static var supportedBaudRates: [Int] { baudCodes.map(\.rate) }

    static func code(forBaud rate: Int) -> speed_t? {
        baudCodes.first { $0.rate == rate }?.code
    }

    /// Raw mode: no echo, no signals from 0x03/0x1A, no CR/LF translation, no XON/XOFF, no
    /// parity marking; 8 data bits, no parity, 1 stop bit; modem lines ignored; receiver on.
    static func applyRaw(to settings: inout termios, baud: speed_t) {
        cfmakeraw(&settings)
        settings.c_cflag &= ~tcflag_t(CSIZE | PARENB | CSTOPB)
        settings.c_cflag &= ~tcflag_t(CRTSCTS)
        settings.c_cflag |= tcflag_t(CS8 | CLOCAL | CREAD)
        settings.c_iflag &= ~tcflag_t(IXON | IXOFF | IXANY)
        // Reads never block (O_NONBLOCK + poll); these only matter to a later blocking user.
        withUnsafeMutableBytes(of: &settings.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        cfsetispeed(&settings, baud)
        cfsetospeed(&settings, baud)
    }

    /// What the device is really set to, read back, e.g. `9600 baud, 8N1, no flow control, raw`.
    static func describe(_ settings: termios) -> String {
        var copy = settings
        let code = cfgetospeed(&copy)
        let baud = baudCodes.first { $0.code == code }.map { "\($0.rate) baud" } ?? "baud code \(code)"
        let bits: String
        switch settings.c_cflag & tcflag_t(CSIZE) {
        case tcflag_t(CS5): bits = "5"
        case tcflag_t(CS6): bits = "6"
        case tcflag_t(CS7): bits = "7"
        default: bits = "8"
        }
        let parity = settings.c_cflag & tcflag_t(PARENB) == 0 ? "N" : (settings.c_cflag & tcflag_t(PARODD) != 0 ? "O" : "E")
        let stop = settings.c_cflag & tcflag_t(CSTOPB) != 0 ? "2" : "1"
        var flow: [String] = []
        if settings.c_cflag & tcflag_t(CRTSCTS) != 0 { flow.append("RTS/CTS") }
        if settings.c_iflag & tcflag_t(IXON | IXOFF) != 0 { flow.append("XON/XOFF") }
        let raw = settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0 && settings.c_oflag & tcflag_t(OPOST) == 0
            && settings.c_iflag & tcflag_t(ICRNL | INLCR | IGNCR | ISTRIP) == 0
        return "\(baud), \(bits)\(parity)\(stop), "
            + (flow.isEmpty ? "no flow control" : "flow control \(flow.joined(separator: "+"))")
            + (raw ? ", raw" : ", NOT raw (bytes may be translated)")
            + (settings.c_cflag & tcflag_t(CLOCAL) != 0 ? ", modem lines ignored" : "")
    }
}
