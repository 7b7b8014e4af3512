import GraphExport

/// Turns Graphviz's edge splines (inches) into runs of character cells, and runs of cells into
/// box-drawing glyphs.
enum EdgeRouting {
    /// Inches per column and per row: terminal cells are about twice as tall as wide.
    static let inchesPerColumn = 0.1
    static let inchesPerRow = 0.2

    /// The cells a spline passes through, 4-connected (each cell shares a side with the next),
    /// in world cells (column right, row down) of a drawing `height` inches tall.
    ///
    /// `points` are B-spline control points as Graphviz writes them: a start point, then three
    /// points per cubic Bézier piece. Anything else is followed as a polyline.
    ///
    /// Boxes are drawn snapped to whole cells, each moved by less than a cell from where
    /// Graphviz put it; `startShift` and `endShift` are those moves (columns, rows) of the two
    /// boxes, and the path is moved with them, blending from one to the other along its
    /// length, so that it still leaves and enters its boxes.
    static func cells(of points: [GraphLayout.Point], height: Double,
                      startShift: (columns: Double, rows: Double) = (0, 0),
                      endShift: (columns: Double, rows: Double) = (0, 0)) -> [CellPoint] {
        var samples: [(x: Double, y: Double)] = []
        if points.count >= 4, (points.count - 1) % 3 == 0 {
            for piece in stride(from: 0, to: points.count - 1, by: 3) {
                let p0 = points[piece], p1 = points[piece + 1], p2 = points[piece + 2], p3 = points[piece + 3]
                let length = distance(p0, p1) + distance(p1, p2) + distance(p2, p3)
                let count = max(4, Int(length / inchesPerColumn * 3))
                for index in 0...count {
                    let t = Double(index) / Double(count), u = 1 - t
                    let a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t
                    samples.append((a * p0.x + b * p1.x + c * p2.x + d * p3.x,
                                    a * p0.y + b * p1.y + c * p2.y + d * p3.y))
                }
            }
        } else {
            for (index, point) in points.enumerated() {
                if index > 0 {
                    let previous = points[index - 1]
                    let count = max(1, Int(distance(previous, point) / inchesPerColumn * 3))
                    for step in 1..<count {
                        let t = Double(step) / Double(count)
                        samples.append((previous.x + (point.x - previous.x) * t, previous.y + (point.y - previous.y) * t))
                    }
                }
                samples.append((point.x, point.y))
            }
        }
        var path: [CellPoint] = []
        for (index, sample) in samples.enumerated() {
            let t = samples.count > 1 ? Double(index) / Double(samples.count - 1) : 0
            let column = sample.x / inchesPerColumn + startShift.columns * (1 - t) + endShift.columns * t
            let row = (height - sample.y) / inchesPerRow + startShift.rows * (1 - t) + endShift.rows * t
            let cell = CellPoint(column: Int(column.rounded(.down)), row: Int(row.rounded(.down)))
            guard let last = path.last else { path.append(cell); continue }
            if cell == last { continue }
            append(from: last, to: cell, into: &path)
        }
        return path
    }

    /// Appends a 4-connected staircase from `start` (already in `path`) to `end`.
    private static func append(from start: CellPoint, to end: CellPoint, into path: inout [CellPoint]) {
        var cell = start
        let horizontalFirst = abs(end.column - start.column) >= abs(end.row - start.row)
        while cell != end {
            let moveColumn = cell.column != end.column && (horizontalFirst || cell.row == end.row)
            if moveColumn { cell.column += end.column > cell.column ? 1 : -1 } else { cell.row += end.row > cell.row ? 1 : -1 }
            path.append(cell)
        }
    }

    private static func distance(_ a: GraphLayout.Point, _ b: GraphLayout.Point) -> Double {
        ((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y)).squareRoot()
    }

    // MARK: Glyphs

    /// The glyph for a cell that lines leave towards the sides in `sides`.
    static func glyph(for sides: Sides, charset: Charset) -> Character {
        if charset == .ascii {
            if sides == .horizontal || sides.isSubset(of: .horizontal) { return "-" }
            if sides == .vertical || sides.isSubset(of: .vertical) { return "|" }
            return "+"
        }
        switch sides {
        case [.left, .right], [.left], [.right]: return "─"
        case [.up, .down], [.up], [.down]: return "│"
        case [.down, .right]: return "╭"
        case [.down, .left]: return "╮"
        case [.up, .right]: return "╰"
        case [.up, .left]: return "╯"
        case [.up, .down, .right]: return "├"
        case [.up, .down, .left]: return "┤"
        case [.left, .right, .down]: return "┬"
        case [.left, .right, .up]: return "┴"
        default: return "┼"
        }
    }

    /// The arrowhead pointing in `direction`.
    static func arrowhead(_ direction: Direction, charset: Charset) -> Character {
        switch (direction, charset) {
        case (.right, .unicode): "▶"
        case (.left, .unicode): "◀"
        case (.up, .unicode): "▲"
        case (.down, .unicode): "▼"
        case (.right, .ascii): ">"
        case (.left, .ascii): "<"
        case (.up, .ascii): "^"
        case (.down, .ascii): "v"
        }
    }
}

/// A cell position in the graph's own (world) coordinates.
struct CellPoint: Hashable, Sendable {
    var column: Int
    var row: Int

    /// The side of this cell that `other` (a 4-neighbour) lies on.
    func side(towards other: CellPoint) -> Sides {
        if other.column > column { return .right }
        if other.column < column { return .left }
        return other.row > row ? .down : .up
    }
}

/// The sides of a cell that a line leaves through.
struct Sides: OptionSet, Hashable, Sendable {
    let rawValue: UInt8
    static let up = Sides(rawValue: 1)
    static let down = Sides(rawValue: 2)
    static let left = Sides(rawValue: 4)
    static let right = Sides(rawValue: 8)
    static let horizontal: Sides = [.left, .right]
    static let vertical: Sides = [.up, .down]

    /// The screen direction of a single side.
    var direction: Direction {
        switch self {
        case .up: .up
        case .down: .down
        case .left: .left
        default: .right
        }
    }
}
