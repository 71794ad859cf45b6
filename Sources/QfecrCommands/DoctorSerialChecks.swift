import ECRConfiguration
import ECREngine
import ECRTransport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// USB serial: the device node, its permissions, opening it, and the line settings read back.
extension Doctor {
    /// True when the line opened; the inquiry over the packet link comes next.
    func serialLine(_ p: TerminalProfile) -> Bool {
        guard let path = p.device, !path.isEmpty else {
            report.add(DoctorCheck(.fail, "device", "no serial device",
                                   hint: "set device in the configuration or pass --device, e.g. /dev/ttyUSB0 (list candidates: `ls /dev/ttyUSB* /dev/ttyACM*`)"))
            return false
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            report.add(DoctorCheck(.fail, "device", "no device at \(path) (\(String(cString: strerror(code))))",
                                   hint: "plug the terminal's USB cable in and check the device name: `ls /dev/ttyUSB* /dev/ttyACM*`, `dmesg | tail`"))
            return false
        }
        guard info.st_mode & S_IFMT == S_IFCHR else {
            let kind: String
            switch info.st_mode & S_IFMT {
            case S_IFREG: kind = "a regular file"
            case S_IFDIR: kind = "a directory"
            default: kind = "not a character device"
            }
            report.add(DoctorCheck(.fail, "device", "\(path) is \(kind), not a serial device",
                                   hint: "give the USB serial adapter's device, e.g. /dev/ttyUSB0"))
            return false
        }
        let owner = Self.userName(info.st_uid) + ":" + Self.groupName(info.st_gid)
        let mode = String(info.st_mode & 0o777, radix: 8)
        report.add(DoctorCheck(.ok, "device", "\(path): character device, \(owner), mode \(mode)"))

        let me = Self.userName(geteuid())
        guard access(path, R_OK | W_OK) == 0 else {
            report.add(DoctorCheck(.fail, "access", "\(path) is not readable and writable by \(me)",
                                   hint: "add the user to the device's group: `sudo usermod -aG \(Self.groupName(info.st_gid)) $USER` "
                                       + "(usually dialout), then log out and back in"))
            return false
        }
        report.add(DoctorCheck(.ok, "access", "\(path) readable and writable by \(me)"))

        let port: SerialPort
        do {
            port = try SerialPort(path: path, baudRate: p.baud)
        } catch let failure as IOFailure {
            let hint: String
            switch failure.kind {
            case .deviceBusy: hint = "close the program that holds it (another qfecr, ModemManager, screen or minicom); `fuser \(path)` shows it"
            case .permissionDenied: hint = "`sudo usermod -aG dialout $USER`, then log out and back in"
            case .unsupportedSetting: hint = "use baud = 9600 (QFPay terminals use it), or another USB serial adapter"
            default: hint = "unplug and replug the USB cable, then run doctor again"
            }
            report.add(DoctorCheck(.fail, "serial line", failure.message, hint: hint))
            return false
        } catch {
            report.add(DoctorCheck(.fail, "serial line", "\(path): \(error)", hint: "unplug and replug the USB cable"))
            return false
        }
        let settings = port.settingsDescription
        port.close()
        let expected = "\(p.baud) baud, 8N1, no flow control"
        if settings.hasPrefix(expected) {
            report.add(DoctorCheck(.ok, "serial line", "\(path) opens: \(settings)"))
        } else {
            report.add(DoctorCheck(.warn, "serial line", "\(path) opens, but reads back \(settings)",
                                   hint: "QFPay terminals use \(expected): try another USB serial adapter (PL2303 works)"))
        }
        return true
    }

    static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return String(cString: name)
    }

    static func groupName(_ gid: gid_t) -> String {
        guard let entry = getgrgid(gid), let name = entry.pointee.gr_name else { return "gid \(gid)" }
        return String(cString: name)
    }
}
