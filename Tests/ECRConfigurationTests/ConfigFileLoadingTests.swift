import XCTest
@testable import ECRConfiguration

/// A fresh directory per test, removed afterwards.
class ConfigFileTemporaryDirectoryTestCase: XCTestCase {
    private(set) var directory = ""

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("qfecr-config-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: directory)
    }

    func write(_ text: String, to name: String = "config", mode: Int = 0o600) throws -> String {
        try write(Data(text.utf8), to: name, mode: mode)
    }

    func write(_ data: Data, to name: String, mode: Int = 0o600) throws -> String {
        let path = directory + "/" + name
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: data))
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        return path
    }
}

final class ConfigFileLoadingTests: ConfigFileTemporaryDirectoryTestCase {
    func testLoadsAFileAndRecordsItsPath() throws {
        let path = try write("host = 10.0.0.5\n[profile shop]\nport = 9001\n")
        let document = try ConfigDocument.load(path: path)
        XCTAssertEqual(document.path, path)
        XCTAssertEqual(document.entries, [
            ConfigEntry(path: path, line: 1, key: "host", value: "10.0.0.5", section: .defaults),
            ConfigEntry(path: path, line: 3, key: "port", value: "9001", section: .profile("shop")),
        ])
    }

    func testErrorsNameTheFileRead() throws {
        let path = try write("host = a\nhost = b\n")
        XCTAssertThrowsError(try ConfigDocument.load(path: path)) { error in
            XCTAssertEqual((error as? ConfigFileError)?.description,
                           "\(path):2: duplicate key 'host' in the defaults; first set on line 1")
        }
    }

    func testMissingFile() {
        let path = directory + "/absent"
        XCTAssertThrowsError(try ConfigDocument.load(path: path)) { error in
            XCTAssertEqual(error as? ConfigFileError, ConfigFileError(path: path, line: nil, problem: .notFound))
            XCTAssertEqual((error as? ConfigFileError)?.description, "\(path): no such file")
        }
    }

    func testDirectoryInsteadOfFile() {
        XCTAssertThrowsError(try ConfigDocument.load(path: directory)) { error in
            XCTAssertEqual((error as? ConfigFileError)?.description, "\(self.directory): cannot read the file: it is a directory")
        }
    }

    func testNotUTF8() throws {
        let path = try write(Data([0x68, 0x6F, 0x73, 0x74, 0x3D, 0xFF, 0xFE]), to: "config")
        XCTAssertThrowsError(try ConfigDocument.load(path: path)) { error in
            XCTAssertEqual((error as? ConfigFileError)?.description, "\(path): the file is not UTF-8 text")
        }
    }

    func testUTF8ValuesSurvive() throws {
        let path = try write("till_name = \"  櫃台 1  \"\n")
        XCTAssertEqual(try ConfigDocument.load(path: path).entries.first?.value, "  櫃台 1  ")
    }
}
