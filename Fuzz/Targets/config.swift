// The configuration (and `Secret`) live in ECRConfiguration where it exists, in ECREngine before.
#if canImport(ECRConfiguration)
import ECRConfiguration
#endif
import ECREngine

// The configuration file: sections, profiles, unknown settings and the profile lookup.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfigParser(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do {
        let document = try ConfigDocument.parse(text, path: "fuzz.conf")
        _ = document.unknownSettings(knownKeys: ["host", "port", "transport", "pos_key"])
        _ = try? document.settings(forProfile: nil)
        for name in document.profileNames { _ = try? document.settings(forProfile: name) }
    } catch {
        _ = error.description
    }
    return 0
}
