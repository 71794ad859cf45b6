import Foundation
import ECREngine

// The journal reader on a file holding the input: the fast envelope scan, the slow decode of
// hand-edited lines, torn tails and the re-read of each attempt's last line.
private let directory = fuzzDirectory("journal")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournalReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzWrite(data, size, to: directory + "/" + Journal.fileName)
    if let contents = try? JournalReader.read(directory: directory) {
        for attempt in contents.attempts { _ = attempt.outTradeNo }
    }
    return 0
}
