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
            report.add(DoctorCheck(.fail, CheckName.device, Words("no serial device", "沒有序列裝置"),
                                   hint: Words("set device in the configuration or pass --device, e.g. /dev/ttyUSB0 (list candidates: `ls /dev/ttyUSB* /dev/ttyACM*`)",
                                               "於設定檔設定 device 或加上 --device，例如 /dev/ttyUSB0（列出可能的裝置：`ls /dev/ttyUSB* /dev/ttyACM*`）")))
            return false
        }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let why = String(cString: strerror(errno))
            report.add(DoctorCheck(.fail, CheckName.device, Words("no device at \(path) (\(why))", "\(path) 沒有裝置（\(why)）"),
                                   hint: Words("plug the terminal's USB cable in and check the device name: `ls /dev/ttyUSB* /dev/ttyACM*`, `dmesg | tail`",
                                               "請接上終端的 USB 線並檢查裝置名稱：`ls /dev/ttyUSB* /dev/ttyACM*`、`dmesg | tail`")))
            return false
        }
        guard info.st_mode & S_IFMT == S_IFCHR else {
            let kind: Words
            switch info.st_mode & S_IFMT {
            case S_IFREG: kind = Words("a regular file", "一般檔案")
            case S_IFDIR: kind = Words("a directory", "目錄")
            default: kind = Words("not a character device", "不是字元裝置")
            }
            report.add(DoctorCheck(.fail, CheckName.device, Words("\(path) is \(kind.english), not a serial device",
                                                                  "\(path) 是\(kind.traditionalChinese)，不是序列裝置"),
                                   hint: Words("give the USB serial adapter's device, e.g. /dev/ttyUSB0", "請指定 USB 序列轉接器的裝置，例如 /dev/ttyUSB0")))
            return false
        }
        let owner = Self.userName(info.st_uid) + ":" + Self.groupName(info.st_gid)
        let mode = String(info.st_mode & 0o777, radix: 8)
        report.add(DoctorCheck(.ok, CheckName.device, Words("\(path): character device, \(owner), mode \(mode)", "\(path)：字元裝置，\(owner)，權限 \(mode)")))

        let me = Self.userName(geteuid())
        guard access(path, R_OK | W_OK) == 0 else {
            let group = Self.groupName(info.st_gid)
            report.add(DoctorCheck(.fail, CheckName.access, Words("\(path) is not readable and writable by \(me)", "\(me) 無法讀寫 \(path)"),
                                   hint: Words("add the user to the device's group: `sudo usermod -aG \(group) $USER` (usually dialout), then log out and back in",
                                               "把使用者加入裝置的群組：`sudo usermod -aG \(group) $USER`（通常是 dialout），然後登出再登入")))
            return false
        }
        report.add(DoctorCheck(.ok, CheckName.access, Words("\(path) readable and writable by \(me)", "\(me) 可讀寫 \(path)")))

        let port: SerialPort
        do {
            port = try SerialPort(path: path, baudRate: p.baud)
        } catch let failure as IOFailure {
            let hint: Words
            switch failure.kind {
            case .deviceBusy:
                hint = Words("close the program that holds it (another qfecr, ModemManager, screen or minicom); `fuser \(path)` shows it",
                             "請關閉佔用它的程式（另一個 qfecr、ModemManager、screen 或 minicom）；`fuser \(path)` 會顯示是哪一個")
            case .permissionDenied:
                hint = Words("`sudo usermod -aG dialout $USER`, then log out and back in", "`sudo usermod -aG dialout $USER`，然後登出再登入")
            case .unsupportedSetting:
                hint = Words("use baud = 9600 (QFPay terminals use it), or another USB serial adapter",
                             "請用 baud = 9600（QFPay 終端使用此速率），或換另一個 USB 序列轉接器")
            default:
                hint = Words("unplug and replug the USB cable, then run doctor again", "請拔出再插入 USB 線，然後再執行 doctor")
            }
            report.add(DoctorCheck(.fail, CheckName.serialLine, .same(failure.message), hint: hint))
            return false
        } catch {
            report.add(DoctorCheck(.fail, CheckName.serialLine, .same("\(path): \(error)"),
                                   hint: Words("unplug and replug the USB cable", "請拔出再插入 USB 線")))
            return false
        }
        let settings = port.settingsDescription
        port.close()
        let expected = "\(p.baud) baud, 8N1, no flow control"
        if settings.hasPrefix(expected) {
            report.add(DoctorCheck(.ok, CheckName.serialLine, Words("\(path) opens: \(settings)", "\(path) 可開啟：\(settings)")))
        } else {
            report.add(DoctorCheck(.warn, CheckName.serialLine, Words("\(path) opens, but reads back \(settings)", "\(path) 可開啟，但讀回的設定為 \(settings)"),
                                   hint: Words("QFPay terminals use \(expected): try another USB serial adapter (PL2303 works)",
                                               "QFPay 終端使用 \(expected)：請換另一個 USB 序列轉接器（PL2303 可用）")))
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
