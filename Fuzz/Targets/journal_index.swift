import Foundation
@testable import ECREngine

// The journal index as the till reads it at start: the summary, then (lazily) the block list and
// a block of rows. Damage must read as "stale" (rebuilt), never crash or trust a wrong row.
private let directory = fuzzDirectory("journal-index")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJournalIndex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzWrite(data, size, to: directory + "/" + JournalIndexFile.fileName)
    guard let loaded = try? JournalIndexFile.load(directory: directory) else { return 0 }
    _ = loaded.index.chunks.count + loaded.index.open.count
    _ = try? loaded.table.row("T01-20261121063300-0002")
    try? loaded.table.forEachRow { row in _ = row.outTradeNo }
    return 0
}
