/// A rectangle of cells: `column`/`row` of the top-left corner, then size.
public struct Rect: Sendable, Equatable {
    public var column: Int
    public var row: Int
    public var width: Int
    public var height: Int

    public init(column: Int, row: Int, width: Int, height: Int) {
        self.column = column
        self.row = row
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// One past the last column.
    public var right: Int { column + width }
    /// One past the last row.
    public var bottom: Int { row + height }
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// Whether the cell at (`column`, `row`) lies inside.
    public func contains(column: Int, row: Int) -> Bool {
        column >= self.column && column < right && row >= self.row && row < bottom
    }

    /// The smallest rectangle holding both.
    public func union(_ other: Rect) -> Rect {
        let left = min(column, other.column), top = min(row, other.row)
        return Rect(column: left, row: top, width: max(right, other.right) - left, height: max(bottom, other.bottom) - top)
    }

    /// The part of both rectangles.
    public func intersection(_ other: Rect) -> Rect {
        let left = max(column, other.column), top = max(row, other.row)
        return Rect(column: left, row: top,
                    width: min(right, other.right) - left, height: min(bottom, other.bottom) - top)
    }

    /// The same rectangle moved by (`columns`, `rows`).
    public func offsetBy(columns: Int, rows: Int) -> Rect {
        Rect(column: column + columns, row: row + rows, width: width, height: height)
    }
}
