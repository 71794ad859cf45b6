import Foundation

/// The `--receipts DIR` folder: each printout as a text file, never overwriting an earlier one.
public struct ReceiptFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Writes `name.txt`, or `name-2.txt`, `name-3.txt`… when reprinted. Returns the file's path.
    @discardableResult
    public func store(_ printout: Printout) throws -> String {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var candidate = "\(path)/\(printout.name).txt"
        var n = 1
        while FileManager.default.fileExists(atPath: candidate) {
            n += 1
            candidate = "\(path)/\(printout.name)-\(n).txt"
        }
        try Data(printout.text.utf8).write(to: URL(fileURLWithPath: candidate), options: .withoutOverwriting)
        return candidate
    }
}
