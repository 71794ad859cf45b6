import Foundation
import ECREngine

// The journal reader on a file holding the input: the fast envelope scan, the slow decode of
// hand-edited lines, torn tails and the re-read of each attempt's last line.
private let directory: String = {
    let path = NSTemporaryDirectory() + "qfecr-fuzz-journal-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournalReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = directory + "/" + Journal.fileName
    guard FileManager.default.createFile(atPath: file, contents: Data(bytes: data, count: size)) else {
        fatalError("cannot write \(file)")
    }
    if let contents = try? JournalReader.read(directory: directory) {
        for attempt in contents.attempts { _ = attempt.outTradeNo }
    }
    return 0
}
