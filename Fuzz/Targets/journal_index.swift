import Foundation
@testable import ECREngine

// The journal index as the till reads it at start: the summary, then (lazily) the block list and
// a block of rows. Damage must read as "stale" (rebuilt), never crash or trust a wrong row.
private let directory: String = {
    let path = NSTemporaryDirectory() + "qfecr-fuzz-journal-index-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournalIndex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let file = directory + "/" + JournalIndexFile.fileName
    guard FileManager.default.createFile(atPath: file, contents: Data(bytes: data, count: size)) else {
        fatalError("cannot write \(file)")
    }
    guard let loaded = try? JournalIndexFile.load(directory: directory) else { return 0 }
    _ = loaded.index.chunks.count + loaded.index.open.count
    _ = try? loaded.table.row("T01-20261121063300-0002")
    try? loaded.table.forEachRow { row in _ = row.outTradeNo }
    return 0
}
