/// The fixed start this program writes on every line:
/// `{"v":2,"seq":17,"time":"2026-11-21T06:32:01.123Z","out_trade_no":"T01-…","attempt":` … `}`.
/// Read without decoding JSON, so that a scan of 100,000 lines decodes only what it must.
struct JournalEnvelope {
    let version: Int
    let seq: UInt64
    let outTradeNo: String
    /// The UTC day the line was written, as yyyymmdd (nil when the time is not in the usual form).
    let day: Int32?
    /// Where the attempt object is within the line.
    let attempt: Range<Int>

    init?(_ line: ArraySlice<UInt8>) {
        var i = line.startIndex
        func expect(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard line.endIndex - i >= count else { return false }
            let matches = text.withUTF8Buffer { literal in
                literal.indices.allSatisfy { line[i + $0] == literal[$0] }
            }
            if matches { i += count }
            return matches
        }
        func number() -> UInt64? {
            var value: UInt64 = 0
            let start = i
            while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39, i - start < 19 {
                value = value * 10 + UInt64(line[i] - 0x30)
                i += 1
            }
            return i > start ? value : nil
        }
        guard expect(#"{"v":"#), let version = number(), version < 1000,
              expect(#","seq":"#), let seq = number(),
              expect(#","time":""#) else { return nil }
        // the time: 24 characters, checked when the attempt is decoded no further than this
        guard line.endIndex - i > 24, line[i + 24] == 0x22 else { return nil }
        day = Self.day(line[i..<(i + 10)])
        i += 25
        guard expect(#","out_trade_no":""#) else { return nil }
        let idStart = i
        while i < line.endIndex, line[i] != 0x22, line[i] != 0x5C, line[i] >= 0x20 { i += 1 }
        guard i < line.endIndex, line[i] == 0x22, i > idStart else { return nil }
        let id = String(decoding: line[idStart..<i], as: UTF8.self)
        i += 1
        guard expect(#","attempt":"#), line.last == UInt8(ascii: "}"), line.endIndex - 1 > i else { return nil }
        self.version = Int(version)
        self.seq = seq
        self.outTradeNo = id
        self.attempt = i..<(line.endIndex - 1)
    }

    /// `2026-11-21` → 20261121; nil unless it has that form.
    static func day(_ text: ArraySlice<UInt8>) -> Int32? {
        guard text.count == 10 else { return nil }
        var value: Int32 = 0
        for (position, byte) in text.enumerated() {
            if position == 4 || position == 7 {
                guard byte == 0x2D else { return nil }
                continue
            }
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int32(byte - 0x30)
        }
        return value
    }
}
