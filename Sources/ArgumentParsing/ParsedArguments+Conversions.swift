/// Typed readings of option values, with errors that name the option. Money is not here on
/// purpose: amounts stay strings for the protocol layer, which owns their rules.
extension ParsedArguments {
    /// The option as a whole number, or nil when absent.
    public func int(_ name: String) throws(UsageError) -> Int? {
        let spec = declaredOption(name)
        guard let text = option(name) else { return nil }
        guard let value = Int(text) else {
            throw .invalidConversion(text, for: spec, expected: "a whole number")
        }
        return value
    }

    /// The option as a number such as `2` or `2.5`, or nil when absent.
    public func double(_ name: String) throws(UsageError) -> Double? {
        let spec = declaredOption(name)
        guard let text = option(name) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw .invalidConversion(text, for: spec, expected: "a number such as 2 or 2.5")
        }
        return value
    }
}
