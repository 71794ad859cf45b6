/// One terminal cell: a character, the cells it covers (2 for CJK; 0 marks the right half of a wide
/// character to its left), and its role.
public struct Cell: Sendable, Hashable {
    public let character: Character
    public var width: Int
    public var role: Role
    /// Drawn in reverse video: the result band that cannot be missed, in the state's own colour.
    public var strong: Bool
    /// The character's one scalar, or `cluster` when it has several: comparing frames compares these.
    private let code: UInt32

    private static let cluster: UInt32 = .max

    public init(_ character: Character = " ", width: Int = 1, role: Role = .normal, strong: Bool = false) {
        self.character = character
        self.width = width
        self.role = role
        self.strong = strong
        let scalars = character.unicodeScalars
        code = scalars.count == 1 ? scalars.first!.value : Cell.cluster
    }

    /// The right half of a wide character: drawn by the cell to its left.
    public var isContinuation: Bool { width == 0 }

    public static let blank = Cell()

    public static func == (a: Cell, b: Cell) -> Bool {
        a.code == b.code && a.role == b.role && a.width == b.width && a.strong == b.strong
            && (a.code != cluster || a.character == b.character)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(character)
        hasher.combine(width)
        hasher.combine(role)
        hasher.combine(strong)
    }
}

/// A rectangle of cells: origin at the top left.
public struct Rect: Sendable, Hashable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }

    /// The rectangle without a frame of `by` cells on every side.
    public func inset(by amount: Int) -> Rect {
        Rect(x: x + amount, y: y + amount, width: width - 2 * amount, height: height - 2 * amount)
    }

    public var description: String { "\(width)×\(height)+\(x)+\(y)" }
}

/// A run of changed cells on one row with one role: what the backend writes.
public struct CellRun: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var role: Role
    public var strong: Bool = false
    public var text: String
    /// Cells the run covers on screen.
    public var width: Int
}

/// The screen in memory. Screens render into it; the backend writes only what differs from the
/// previous frame, and tests compare its text dump.
public struct CellGrid: Sendable, Hashable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes one cell, keeping wide characters whole: overwriting either half of a wide character
    /// blanks the other half.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, !cell.isContinuation, x > 0 { cells[index - 1] = Cell(role: cells[index - 1].role) }
        if old.width == 2, x + 1 < width, cell.width != 2 { cells[index + 1] = Cell(role: old.role) }
        cells[index] = cell
    }

    /// Writes `text` at (x, y) in `role`, clipped to `limit` cells (and to the grid). A wide character
    /// that would straddle the edge is replaced by a space. Returns the cells written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, limit: Int? = nil, role: Role = .normal) -> Int {
        guard y >= 0, y < height else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        for character in text {
            let w = TerminalText.width(of: character)
            if w == 0 { continue }
            if column + w > end {
                if column < end, column >= 0 { set(column, y, Cell(role: role)); column += 1 }
                break
            }
            if column >= 0 {
                set(column, y, Cell(character, width: w, role: role))
                if w == 2 { set(column + 1, y, Cell(" ", width: 0, role: role)) }
            }
            column += w
        }
        return max(0, column - x)
    }

    /// Writes `text` fitted to exactly `width` cells (ellipsis or padding).
    public mutating func put(_ text: String, in rect: Rect, row: Int = 0, alignment: TerminalText.Alignment = .left,
                             role: Role = .normal, ellipsis: String = "…") {
        guard row >= 0, row < rect.height else { return }
        put(TerminalText.fit(text, to: rect.width, alignment: alignment, ellipsis: ellipsis),
            x: rect.x, y: rect.y + row, limit: rect.width, role: role)
    }

    /// Fills a rectangle with one character in one role.
    public mutating func fill(_ rect: Rect, with character: Character = " ", role: Role = .normal) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { set(x, y, Cell(character, role: role)) }
        }
    }

    /// Changes the role of every cell in a rectangle, keeping the characters (a selection bar).
    public mutating func paint(_ rect: Rect, role: Role) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { cells[y * width + x].role = role }
        }
    }

    /// Marks every cell of a rectangle strong (reverse video), keeping characters and roles.
    public mutating func emphasize(_ rect: Rect) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { cells[y * width + x].strong = true }
        }
    }

    /// The screen as plain text, one string per row (trailing spaces trimmed unless asked not to).
    public func dump(trimmingTrailingSpaces: Bool = true) -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line.append(self[x, y].character) }
            if trimmingTrailingSpaces { while line.last == " " { line.removeLast() } }
            return line
        }
    }

    /// The runs of cells that differ from `previous`, split where the role changes. A grid of another
    /// size differs everywhere.
    public func changes(from previous: CellGrid?) -> [CellRun] {
        let old = previous.flatMap { $0.width == width && $0.height == height ? $0.cells : nil }
        var runs: [CellRun] = []
        cells.withUnsafeBufferPointer { new in
            (old ?? []).withUnsafeBufferPointer { old in
                let whole = old.isEmpty
                for y in 0..<height {
                    let row = y * width
                    var x = 0
                    while x < width {
                        guard whole || new[row + x] != old[row + x] else { x += 1; continue }
                        var start = x
                        if new[row + start].isContinuation, start > 0 { start -= 1 }
                        let role = new[row + start].role
                        let strong = new[row + start].strong
                        var text = ""
                        var end = start
                        while end < width, new[row + end].role == role, new[row + end].strong == strong,
                              whole || new[row + end] != old[row + end] || new[row + end].isContinuation {
                            if !new[row + end].isContinuation { text.append(new[row + end].character) }
                            end += 1
                        }
                        if end == start { end += 1; text.append(new[row + start].character) }
                        // A wide character's right half belongs to the run that drew its left half.
                        if end < width, new[row + end].isContinuation { end += 1 }
                        runs.append(CellRun(x: start, y: y, role: role, strong: strong, text: text, width: end - start))
                        x = end
                    }
                }
            }
        }
        return runs
    }
}
