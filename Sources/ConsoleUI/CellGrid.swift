#if canImport(Glibc)
import Glibc
#endif

/// One terminal cell: a character, the cells it covers (2 for CJK; 0 marks the right half of a wide
/// character to its left), and its role.
public struct Cell: Sendable, Hashable {
    public let character: Character
    public var width: Int
    public var role: Role
    /// Drawn in reverse video: the result band that cannot be missed, in the state's own colour.
    public var strong: Bool
    /// The character's one scalar, or `cluster` when it has several: compared before the characters.
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
    private var cells: [StoredCell]
    /// Characters of more than one scalar (a letter and its accent, an emoji and its variation
    /// selector), which a stored cell holds by index: rare, so looked up by a plain scan.
    private var clusters: [Character] = []

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        let stored = cells[y * width + x]
        return Cell(character(of: stored), width: Int(stored.width), role: stored.role, strong: stored.strong)
    }

    private func character(of cell: StoredCell) -> Character {
        cell.isCluster ? clusters[cell.clusterIndex] : Character(Unicode.Scalar(cell.code) ?? " ")
    }

    /// A cell for `character`, its cluster kept in the table when it has several scalars.
    private mutating func stored(_ character: Character, width: Int, role: Role) -> StoredCell {
        let scalars = character.unicodeScalars
        var rest = scalars.makeIterator()
        let first = rest.next()
        guard let first, rest.next() != nil else { return StoredCell(code: first?.value ?? 0x20, width: width, role: role) }
        let index = clusters.firstIndex { $0.unicodeScalars.elementsEqual(scalars) } ?? {
            clusters.append(character)
            return clusters.count - 1
        }()
        return StoredCell(code: StoredCell.clusterFlag | UInt32(index), width: width, role: role)
    }

    /// Writes one cell, keeping wide characters whole: overwriting either half of a wide character
    /// blanks the other half.
    private mutating func set(_ x: Int, _ y: Int, _ cell: StoredCell) {
        let index = y * width + x
        let old = cells[index]
        if old.isContinuation, !cell.isContinuation, x > 0 { cells[index - 1] = StoredCell(role: cells[index - 1].role) }
        if old.width == 2, x + 1 < width, cell.width != 2 { cells[index + 1] = StoredCell(role: old.role) }
        cells[index] = cell
    }

    /// Writes `text` at (x, y) in `role`, clipped to `limit` cells (and to the grid). A wide character
    /// that would straddle the edge is replaced by a space. Returns the cells written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, limit: Int? = nil, role: Role = .normal) -> Int {
        guard y >= 0, y < height else { return 0 }
        let end = min(width, x + (limit ?? width))
        var column = x
        // ASCII, most of what a frame shows: a byte a cell, controls take none ("\r\n", one
        // Character, takes none either way).
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in text.utf8 where byte >= 0x20 && byte != 0x7F {
                if column >= end { break }
                if column >= 0 { set(column, y, StoredCell(code: UInt32(byte), width: 1, role: role)) }
                column += 1
            }
            return max(0, column - x)
        }
        // Scalars that are characters of their own (frames, marks, CJK): no grapheme breaking.
        if TerminalText.simpleWidth(of: text) != nil {
            for scalar in text.unicodeScalars {
                let w = TerminalText.simpleWidth(scalar.value)!
                if column + w > end {
                    if column < end, column >= 0 { set(column, y, StoredCell(role: role)); column += 1 }
                    break
                }
                if column >= 0 {
                    set(column, y, StoredCell(code: scalar.value, width: w, role: role))
                    if w == 2 { set(column + 1, y, StoredCell(code: 0x20, width: 0, role: role)) }
                }
                column += w
            }
            return max(0, column - x)
        }
        for character in text {
            let w = TerminalText.width(of: character)
            if w == 0 { continue }
            if column + w > end {
                if column < end, column >= 0 { set(column, y, StoredCell(role: role)); column += 1 }
                break
            }
            if column >= 0 {
                set(column, y, stored(character, width: w, role: role))
                if w == 2 { set(column + 1, y, StoredCell(code: 0x20, width: 0, role: role)) }
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
        let cell = stored(character, width: 1, role: role)
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { set(x, y, cell) }
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
            for x in 0..<width where !cells[y * width + x].isContinuation { line.append(character(of: cells[y * width + x])) }
            if trimmingTrailingSpaces { while line.last == " " { line.removeLast() } }
            return line
        }
    }

    /// Whether cell `index` shows the same as cell `otherIndex` of `other`.
    private func same(_ index: Int, as other: CellGrid, _ otherIndex: Int) -> Bool {
        let a = cells[index], b = other.cells[otherIndex]
        guard a.isCluster, b.isCluster else { return a == b }
        return a.width == b.width && a.role == b.role && a.strong == b.strong
            && clusters[a.clusterIndex].unicodeScalars.elementsEqual(other.clusters[b.clusterIndex].unicodeScalars)
    }

    /// Whether row `y` is the same in both grids (of one size): compared as bytes first, which
    /// settles it when neither grid holds a cluster.
    private func sameRow(_ y: Int, as other: CellGrid) -> Bool {
        let start = y * width
        let bytes = cells.withUnsafeBytes { new in
            other.cells.withUnsafeBytes { old in
                memcmp(new.baseAddress! + start * MemoryLayout<StoredCell>.stride,
                       old.baseAddress! + start * MemoryLayout<StoredCell>.stride, width * MemoryLayout<StoredCell>.stride) == 0
            }
        }
        if bytes, clusters.isEmpty, other.clusters.isEmpty { return true }
        return (start..<start + width).allSatisfy { same($0, as: other, $0) }
    }

    /// The runs of cells that differ from `previous`, split where the role changes. A grid of another
    /// size differs everywhere.
    public func changes(from previous: CellGrid?) -> [CellRun] {
        let old = previous.flatMap { $0.width == width && $0.height == height ? $0 : nil }
        var runs: [CellRun] = []
        for y in 0..<height {
            if let old, width > 0, sameRow(y, as: old) { continue }
            let row = y * width
            func differs(_ x: Int) -> Bool { old.map { !same(row + x, as: $0, row + x) } ?? true }
            var x = 0
            while x < width {
                guard differs(x) else { x += 1; continue }
                var start = x
                if cells[row + start].isContinuation, start > 0 { start -= 1 }
                let role = cells[row + start].role
                let strong = cells[row + start].strong
                var text = ""
                var end = start
                while end < width, cells[row + end].role == role, cells[row + end].strong == strong,
                      differs(end) || cells[row + end].isContinuation {
                    if !cells[row + end].isContinuation { text.append(character(of: cells[row + end])) }
                    end += 1
                }
                if end == start { end += 1; text.append(character(of: cells[row + start])) }
                // A wide character's right half belongs to the run that drew its left half.
                if end < width, cells[row + end].isContinuation { end += 1 }
                runs.append(CellRun(x: start, y: y, role: role, strong: strong, text: text, width: end - start))
                x = end
            }
        }
        return runs
    }

    public static func == (a: CellGrid, b: CellGrid) -> Bool {
        a.width == b.width && a.height == b.height && (0..<a.height).allSatisfy { a.sameRow($0, as: b) }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(width)
        hasher.combine(height)
        for cell in cells {
            if cell.isCluster { hasher.combine(Array(clusters[cell.clusterIndex].unicodeScalars.map(\.value))) } else { hasher.combine(cell.code) }
            hasher.combine(cell.width)
            hasher.combine(cell.role)
            hasher.combine(cell.strong)
        }
    }
}

/// A cell as the grid keeps it: eight bytes and no padding, so frames copy fast and rows compare
/// as bytes (a frame used to hold a `Character` a cell, 32 bytes).
private struct StoredCell: Equatable, Sendable {
    /// The character's one scalar, or (with `clusterFlag`) its index in the grid's clusters.
    var code: UInt32
    /// 1, 2 for a wide character, 0 for its right half.
    var width: UInt8
    var strong: Bool
    var role: Role
    /// Keeps every byte of the cell defined, for the byte comparison of rows.
    private let spare: UInt8 = 0

    static let clusterFlag: UInt32 = 1 << 31
    static let blank = StoredCell(role: .normal)

    init(code: UInt32 = 0x20, width: Int = 1, role: Role, strong: Bool = false) {
        self.code = code
        self.width = UInt8(width)
        self.strong = strong
        self.role = role
    }

    var isContinuation: Bool { width == 0 }
    var isCluster: Bool { code & Self.clusterFlag != 0 }
    var clusterIndex: Int { Int(code & ~Self.clusterFlag) }
}
