import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif
@testable import ECRTransport

final class SerialLineTests: XCTestCase {
    private let everyByte = (0...255).map { UInt8($0) }
    /// Bytes a cooked terminal would translate or act on: CR, LF, ^C, ^D, XON, XOFF, ^Z, DEL, 0xFF.
    private let controlBytes: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0D, 0x0A, 0x03, 0x04, 0x11, 0x13, 0x1A, 0x1C, 0x7F, 0xFF, 0x00, 0x0A]

    func testAllByteValuesPassBothWaysOverAPseudoTerminal() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath, baudRate: 9600)
        defer { port.close() }

        for bytes in [everyByte, controlBytes, everyByte.reversed()] {
            try pty.write(bytes, deadline: .after(seconds: 2))
            XCTAssertEqual(try readBytes(port, count: bytes.count, deadline: .after(seconds: 2)), bytes, "terminal → till")
            try port.write(bytes, deadline: .after(seconds: 2))
            XCTAssertEqual(try readBytes(pty, count: bytes.count, deadline: .after(seconds: 2)), bytes, "till → terminal")
        }
        XCTAssertNoThrow(try expectSilence(on: port), "no echo may come back")
        XCTAssertNoThrow(try expectSilence(on: pty), "no echo may come back")
    }

    private func expectSilence(on stream: ByteStream) throws {
        XCTAssertEqual(expectIOFailure { try stream.read(maxCount: 16, deadline: .after(seconds: 0.1)) }?.kind, .readTimeout)
    }

    func testSettingsAreReadBackFromTheDevice() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath)
        XCTAssertEqual(port.baudRate, 9600)
        XCTAssertEqual(port.settingsDescription, "9600 baud, 8N1, no flow control, raw, modem lines ignored")
        port.close()
        XCTAssertEqual(port.settingsDescription, "closed")

        let fast = try SerialPort(path: pty.slavePath, baudRate: 115200)
        defer { fast.close() }
        XCTAssertTrue(fast.settingsDescription.hasPrefix("115200 baud, 8N1"), fast.settingsDescription)
    }

    func testEverySupportedBaudRateIsAccepted() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        XCTAssertEqual(SerialPort.supportedBaudRates, [9600, 19200, 38400, 57600, 115200])
        for rate in SerialPort.supportedBaudRates {
            let port = try SerialPort(path: pty.slavePath, baudRate: rate)
            XCTAssertTrue(port.settingsDescription.hasPrefix("\(rate) baud"), port.settingsDescription)
            port.close()
        }
    }

    func testUnsupportedBaudRateIsRefusedBeforeOpening() {
        let failure = expectIOFailure { try SerialPort(path: "/dev/ttyUSB-none", baudRate: 12345) }
        XCTAssertEqual(failure?.kind, .unsupportedSetting)
        XCTAssertEqual(failure?.message.contains("9600, 19200, 38400, 57600, 115200"), true)
    }

    func testMissingDeviceSaysSo() {
        let failure = expectIOFailure { try SerialPort(path: "/dev/ttyUSB-qfecr-missing") }
        XCTAssertEqual(failure?.kind, .noSuchDevice)
        XCTAssertEqual(failure?.couldHaveReachedPeer, false)
        XCTAssertEqual(failure?.message.contains("is the USB cable plugged in?"), true)
    }

    func testFileThatIsNotATerminalIsRefused() {
        XCTAssertEqual(expectIOFailure { try SerialPort(path: "/dev/null") }?.kind, .notATerminal)
        XCTAssertEqual(expectIOFailure { try SerialPort(path: "/tmp") }?.kind, .notATerminal)
    }

    func testPermissionDeniedGivesTheDialoutHint() throws {
        let failure = serialOpenFailure(EACCES, path: "/dev/ttyUSB0")
        XCTAssertEqual(failure.kind, .permissionDenied)
        XCTAssertTrue(failure.message.contains("sudo usermod -aG dialout $USER"), failure.message)
        XCTAssertTrue(failure.message.contains("chmod"), failure.message)
        guard geteuid() != 0 else { throw XCTSkip("running as root: file permissions cannot be provoked for real; the mapping was checked") }
        let pty = try PseudoTerminal()
        defer { pty.close() }
        chmod(pty.slavePath, 0)
        XCTAssertEqual(expectIOFailure { try SerialPort(path: pty.slavePath) }?.kind, .permissionDenied)
    }

    func testReadDeadlineOnASilentLine() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath)
        defer { port.close() }
        try port.write([0x2F, 0x6E], deadline: .after(seconds: 1))
        let started = Deadline.now
        let failure = expectIOFailure { try port.read(maxCount: 10, deadline: .after(seconds: 0.3)) }
        let elapsed = Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        XCTAssertEqual(failure?.kind, .readTimeout)
        XCTAssertEqual(failure?.couldHaveReachedPeer, true)
        XCTAssertGreaterThanOrEqual(elapsed, 0.29)
        XCTAssertLessThan(elapsed, 2)
    }

    func testCloseWakesABlockedSerialReader() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let port = try SerialPort(path: pty.slavePath)
        let reader = try BackgroundPeer { _ = try port.read(maxCount: 10, deadline: .after(seconds: 10)) }
        usleep(50_000)
        let started = Deadline.now
        port.close()
        XCTAssertEqual((reader.finish() as? IOFailure)?.kind, .closedLocally)
        XCTAssertLessThan(Double(Deadline.now.uptimeNanoseconds - started.uptimeNanoseconds) / 1e9, 2)
    }

    func testLineSurvivesTheTillReopeningIt() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        for round in 0..<3 {
            let port = try SerialPort(path: pty.slavePath)
            try port.write([UInt8(round)], deadline: .after(seconds: 1))
            XCTAssertEqual(try readBytes(pty, count: 1, deadline: .after(seconds: 1)), [UInt8(round)])
            port.close()
        }
    }

    func testSymlinkIsCreatedAndRemoved() throws {
        let link = NSTemporaryDirectory() + "qfecr-tty-\(getpid())"
        // A stale link from an earlier run is replaced.
        symlink("/dev/pts/nonexistent", link)
        let pty = try PseudoTerminal(symlinkPath: link)
        XCTAssertEqual(pty.devicePath, link)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), pty.slavePath)
        let port = try SerialPort(path: link)
        try pty.write(Array("hello".utf8), deadline: .after(seconds: 1))
        XCTAssertEqual(try readBytes(port, count: 5, deadline: .after(seconds: 1)), Array("hello".utf8))
        port.close()
        pty.close()
        pty.close()
        var status = stat()
        XCTAssertNotEqual(lstat(link, &status), 0, "the symlink is removed on close")
    }

    func testSymlinkDoesNotReplaceARealFile() throws {
        let path = NSTemporaryDirectory() + "qfecr-not-a-link-\(getpid())"
        _ = FileManager.default.createFile(atPath: path, contents: Data("keep".utf8))
        defer { unlink(path) }
        let failure = expectIOFailure { try PseudoTerminal(symlinkPath: path) }
        XCTAssertEqual(failure?.kind, .unsupportedSetting)
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "keep")
    }

    func testObservedSerialTrafficIsRecorded() throws {
        let pty = try PseudoTerminal()
        defer { pty.close() }
        let recorder = WireRecorder()
        let port = try SerialPort(path: pty.slavePath).observed(by: recorder, label: pty.slavePath)
        defer { port.close() }
        try port.write([0x2F, 0x6E, 0x01], deadline: .after(seconds: 1))
        try pty.write([0x2F, 0x6E, 0x01, 0x20], deadline: .after(seconds: 1))
        _ = try readBytes(port, count: 4, deadline: .after(seconds: 1))
        XCTAssertEqual(recorder.events.first, WireEvent(direction: .outbound, label: pty.slavePath,
                                                        timestamp: recorder.events.first?.timestamp ?? Date(), bytes: [0x2F, 0x6E, 0x01]))
        XCTAssertEqual(recorder.bytes(.inbound), [0x2F, 0x6E, 0x01, 0x20])
        XCTAssertTrue(recorder.events.allSatisfy { $0.label == pty.slavePath })
    }
}
