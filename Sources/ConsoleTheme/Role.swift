/// What a cell means, not how it looks: a theme maps each role to colours and attributes.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case normal
    case approved
    case declined
    case pending
    case unresolved
    case cancelled
    case rejected
    case selection
    case border
    case title
    case muted
    case input
    case error
    case status
    case keybar
    case key
    case banner
    case dialog
    case customer
}
