/// Options or flags of which at most one (or exactly one) may be given,
/// e.g. `--csv | --json`, or `--order-id | --out-trade-no` where one is required.
public struct ExclusiveGroup: Sendable, Equatable {
    /// Long names without dashes; each must be an option or flag of the same command.
    public var names: [String]
    /// When true, exactly one member must be given; otherwise at most one.
    public var isRequired: Bool

    public init(_ names: [String], required: Bool = false) {
        self.names = names
        self.isRequired = required
    }

    public static func atMostOne(_ names: String...) -> ExclusiveGroup {
        ExclusiveGroup(names, required: false)
    }

    public static func exactlyOne(_ names: String...) -> ExclusiveGroup {
        ExclusiveGroup(names, required: true)
    }
}
