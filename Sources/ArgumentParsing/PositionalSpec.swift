/// An argument given by position, e.g. `AMOUNT` in `qfecr pay AMOUNT`.
public struct PositionalSpec: Sendable, Equatable {
    /// The placeholder shown in usage and help, and the key for reading its value, e.g. `AMOUNT`.
    public var name: String
    public var help: String
    public var isOptional: Bool
    /// Takes every remaining argument; only the last positional may be variadic.
    public var isVariadic: Bool

    public init(_ name: String, help: String, optional: Bool = false, variadic: Bool = false) {
        self.name = name
        self.help = help
        self.isOptional = optional
        self.isVariadic = variadic
    }

    var usageForm: String {
        let core = isVariadic ? "\(name)..." : name
        return isOptional ? "[\(core)]" : core
    }
}
