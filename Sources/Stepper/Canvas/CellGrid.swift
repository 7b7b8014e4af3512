/// An in-memory screen: a grid of ``Cell``s that the view draws into and the driver copies out.
///
/// Everything the stepper shows is drawn here first, so views are tested by rendering into a
/// grid of a fixed size and comparing its text with a snapshot, without a terminal.
public struct CellGrid: Sendable, Equatable {
    public let columns: Int
    public let rows: Int
    /// What the terminal can show; every string written is transliterated accordingly.
    public let charset: Charset
    /// Row-major cells.
    public private(set) var cells: [Cell]

    /// A blank grid.
    public init(columns: Int, rows: Int, charset: Charset = .unicode) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.charset = charset
        cells = Array(repeating: Cell(), count: self.columns * self.rows)
    }

    /// The whole grid as a rectangle.
    public var bounds: Rect { Rect(column: 0, row: 0, width: columns, height: rows) }

    public subscript(column: Int, row: Int) -> Cell {
        get { cells[row * columns + column] }
        set { cells[row * columns + column] = newValue }
    }

    /// Sets one cell, if it lies on the grid and inside `clip`; `character` must be one column wide.
    public mutating func set(_ character: Character, column: Int, row: Int, role: Role, clip: Rect? = nil) {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        guard area.contains(column: column, row: row) else { return }
        var shown = character
        if charset == .ascii, !character.isASCII {
            // One cell holds one character: `…` becomes `.`, `→` becomes `-`.
            shown = Charset.asciiSpelling(of: character).first ?? "?"
        }
        releaseWideNeighbours(column: column, row: row)
        self[column, row] = Cell(shown, role: role)
    }

    /// Only changes the role of the cell, if it lies on the grid.
    public mutating func setRole(_ role: Role, column: Int, row: Int) {
        guard bounds.contains(column: column, row: row) else { return }
        self[column, row].role = role
    }

    /// Writes `text` from (`column`, `row`) rightwards, clipped to `clip` (or the grid), and
    /// returns the column after the last character written. Characters that would straddle the
    /// clip's right edge are not drawn.
    @discardableResult
    public mutating func write(_ text: String, column: Int, row: Int, role: Role, clip: Rect? = nil) -> Int {
        let area = clip.map { $0.intersection(bounds) } ?? bounds
        var position = column
        guard row >= area.row, row < area.bottom else { return position + DisplayWidth.of(text) }
        for character in charset.transliterate(text) {
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if position >= area.column && position + width <= area.right {
                releaseWideNeighbours(column: position, row: row)
                self[position, row] = Cell(character, role: role)
                if width == 2 {
                    releaseWideNeighbours(column: position + 1, row: row)
                    self[position + 1, row] = Cell(Cell.continuationCharacter, role: role)
                }
            }
            position += width
        }
        return position
    }

    /// Fills a rectangle with one character (blank by default).
    public mutating func fill(_ rect: Rect, with character: Character = " ", role: Role = .text) {
        let area = rect.intersection(bounds)
        for row in area.row..<area.bottom {
            for column in area.column..<area.right { set(character, column: column, row: row, role: role) }
        }
    }

    /// Blanks the halves of a double-width character that a write at this cell would split.
    private mutating func releaseWideNeighbours(column: Int, row: Int) {
        if self[column, row].isContinuation, column > 0 { self[column - 1, row] = Cell() }
        if column + 1 < columns, self[column + 1, row].isContinuation { self[column + 1, row] = Cell() }
    }

    // MARK: Reading back

    /// The text of one row, trailing blanks dropped.
    public func line(_ row: Int) -> String {
        var text = ""
        for column in 0..<columns where !self[column, row].isContinuation {
            text.append(self[column, row].character)
        }
        while text.last == " " { text.removeLast() }
        return text
    }

    /// The whole screen as text, one line per row.
    public var text: String { (0..<rows).map(line).joined(separator: "\n") }

    /// One character per cell giving its role (``Role/code``), trailing blanks dropped.
    public var roleMap: String {
        (0..<rows).map { row in
            var codes = String((0..<columns).map { self[$0, row].role.code })
            while codes.last == " " { codes.removeLast() }
            return codes
        }.joined(separator: "\n")
    }

    /// Whether any cell of the grid shows `text` as part of a row.
    public func contains(_ text: String) -> Bool {
        (0..<rows).contains { line($0).contains(text) }
    }
}
