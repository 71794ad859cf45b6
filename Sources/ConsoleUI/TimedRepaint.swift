/// A frame and the model it shows: where the next frame may start from.
public struct RenderedFrame: Sendable {
    public let model: ScreenModel
    public let grid: CellGrid

    public init(model: ScreenModel, grid: CellGrid) {
        self.model = model
        self.grid = grid
    }
}

extension ScreenRenderer {
    /// The frame for `model`, the same cells as `render(model)`. When the model differs from the
    /// previous frame's only in the time (the clock's minute, the countdown's second: most frames of
    /// a quiet till), only what shows the time is drawn again, over the previous frame.
    public static func render(_ model: ScreenModel, after previous: RenderedFrame?) -> RenderedFrame {
        RenderedFrame(model: model, grid: previous.flatMap { retimed($0, to: model) } ?? render(model))
    }

    /// The previous frame brought to `model`'s time, or nil when more than the time changed.
    ///
    /// The screens show `model.now` in three places only: the clock in the header row, the countdown
    /// in the amount pane, and the date of the totals. A new use of it must be drawn again here too
    /// (`assertScreen` checks every recorded screen against the frame retimed from a minute earlier).
    static func retimed(_ previous: RenderedFrame, to model: ScreenModel) -> CellGrid? {
        var earlier = previous.model
        earlier.now = model.now
        guard earlier.view == model.view, earlier == model else { return nil }
        if model.view.isTooSmall { return previous.grid }
        switch model.view.dialog {
        case .help?, .exchange?: return previous.grid // over the whole window, and timeless
        // Technician views are opened rarely and drawn whole: not worth a partial path to keep right.
        case .totals?, .commissioning?, .reconcile?: return nil
        default: break
        }
        var painter = Painter(model: model, grid: previous.grid)
        painter.timedParts()
        if let dialog = model.view.dialog { painter.dialog(dialog) }
        return painter.grid
    }
}

extension Painter {
    /// The header row and the amount pane drawn again, as `main()` draws them on a blank grid (the
    /// amount pane is cheap, so it is redrawn whether or not a countdown runs).
    mutating func timedParts() {
        // Row 0 holds the window frame's top edge, as `frame` draws it, and the header over it.
        let edge = String(glyphs.topLeft) + String(repeating: String(glyphs.horizontal), count: layout.width - 2)
            + String(glyphs.topRight)
        grid.put(edge, x: 0, y: 0, role: .border)
        header()
        grid.fill(layout.amount)
        amountPane()
    }
}
