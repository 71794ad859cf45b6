import Foundation

/// Entry point of the `qfecr` executable; returns the process exit code.
public enum QfecrMain {
    public static func run(_ arguments: [String]) -> Int32 {
        print("qfecr: under construction")
        return 0
    }
}
