/// Where each pane goes. 80×24 shows every pane; a bigger window gives the extra columns to the log
/// and the extra rows to the log and the history.
public struct Layout: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public let amount: Rect
    public let channel: Rect
    public let log: Rect
    /// The customer pane (the demo's), carved from the bottom of the log's column when shown.
    public let customer: Rect?
    public let history: Rect
    /// The row under the history: unresolved banner, notices, hints.
    public let messageRow: Int
    /// The row of the rule between the top panes and the history.
    public let ruleRow: Int
    public let firstSeparator: Int
    public let secondSeparator: Int

    /// 1, or 2 when the message is longer than the width (the second taken from the history).
    public let messageLines: Int

    public static let amountWidth = 19
    /// From 100 columns the amount pane is wide enough for results and amount rules in one or two lines.
    public static let wideAmountWidth = 30
    public static let channelWidth = 22

    public init(width: Int, height: Int, showsCustomer: Bool = false, messageLines: Int = 1) {
        self.width = width
        self.height = height
        self.messageLines = max(1, min(2, messageLines))
        let extra = max(0, height - ScreenModel.minimumHeight)
        let topHeight = 11 + extra / 2
        let amountWidth = width >= 100 ? Layout.wideAmountWidth : Layout.amountWidth
        firstSeparator = 1 + amountWidth
        secondSeparator = firstSeparator + 1 + Layout.channelWidth
        amount = Rect(x: 1, y: 1, width: amountWidth, height: topHeight)
        channel = Rect(x: firstSeparator + 1, y: 1, width: Layout.channelWidth, height: topHeight)
        let logColumn = Rect(x: secondSeparator + 1, y: 1, width: width - secondSeparator - 2, height: topHeight)
        if showsCustomer {
            let customerHeight = max(4, topHeight / 3)
            log = Rect(x: logColumn.x, y: 1, width: logColumn.width, height: topHeight - customerHeight)
            customer = Rect(x: logColumn.x, y: 1 + log.height, width: logColumn.width, height: customerHeight)
        } else {
            log = logColumn
            customer = nil
        }
        ruleRow = 1 + topHeight
        messageRow = height - 2
        history = Rect(x: 1, y: ruleRow + 1, width: width - 2, height: messageRow - ruleRow - self.messageLines)
    }
}
