// Compiled into every fuzz target.
import Foundation

/// libFuzzer's input as bytes.
func fuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// The input after its first byte, cut into pieces of 1 to `modulo` bytes (the first byte chooses),
/// as a socket or a serial line would deliver it; nil for an empty input.
func fuzzPieces(_ bytes: [UInt8], modulo: UInt8) -> [ArraySlice<UInt8>]? {
    guard let first = bytes.first else { return nil }
    let size = Int(first % modulo) + 1
    return stride(from: 1, to: bytes.count, by: size).map { bytes[$0..<min($0 + size, bytes.count)] }
}

/// A directory of this process, for a target that reads its input from a file.
func fuzzDirectory(_ name: String) -> String {
    let path = NSTemporaryDirectory() + "qfecr-fuzz-\(name)-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes the input to `path`: the file the target reads.
func fuzzWrite(_ data: UnsafePointer<UInt8>, _ size: Int, to path: String) {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else {
        fatalError("cannot write \(path)")
    }
}
