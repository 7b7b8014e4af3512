/// One edge as drawn: the cells between its two boxes, the box-drawing sides of each, and the
/// arrowhead on the last cell.
///
/// Graphviz's spline, once in whole cells, may stop a cell short of a box or start a row off
/// its side; the edge is trimmed to the part outside both boxes (and their clearance) and
/// joined to each box by a short connector, so that every edge visibly leaves its operand and
/// enters its consumer.
struct RoutedEdge {
    var cells: [CellPoint] = []
    var sides: [(CellPoint, Sides)] = []
    var arrowhead: (cell: CellPoint, direction: Direction)?

    /// - Parameters:
    ///   - path: the spline's cells, from the operand's box to the consumer's.
    ///   - clearance: rows above and below each box that the spline's ends are trimmed from
    ///     (compact boxes are laid out taller than drawn, to leave edges room).
    init(_ path: [CellPoint], from source: Rect, to target: Rect, clearance: Int = 0) {
        let sourceArea = Rect(column: source.column, row: source.row - clearance, width: source.width,
                              height: source.height + 2 * clearance)
        let targetArea = Rect(column: target.column, row: target.row - clearance, width: target.width,
                              height: target.height + 2 * clearance)
        func inside(_ cell: CellPoint, _ rect: Rect) -> Bool { rect.contains(column: cell.column, row: cell.row) }
        let start = (path.lastIndex { inside($0, sourceArea) }).map { $0 + 1 } ?? 0
        let end = start < path.count ? (path[start...].firstIndex { inside($0, targetArea) } ?? path.count) : start
        var middle = Array(path[start..<max(start, end)])
        middle.removeAll { inside($0, source) || inside($0, target) }
        // Boxes side by side with no cell between them: nothing to draw.
        guard let first = middle.first ?? Self.beside(source, nearest: Self.centre(of: target)).first,
              !inside(first, target) else { return }

        let departure = Self.beside(source, nearest: first).first!
        let arrival = Self.beside(target, nearest: middle.last ?? departure).first!
        var route: [CellPoint] = [departure]
        for cell in middle + [arrival] {
            Self.connect(from: route.last!, to: cell, verticalFirst: true, into: &route)
        }
        route.removeAll { inside($0, source) || inside($0, target) }
        route = Self.withoutDetours(route)
        guard !route.isEmpty else { return }
        cells = route
        sides = Self.sides(of: route, from: source, to: target)
        let last = route.last!
        let direction = Self.neighbour(of: last, in: target).map { last.side(towards: $0).direction }
            ?? (route.count > 1 ? route[route.count - 2].side(towards: last).direction : .right)
        arrowhead = (last, direction)
    }

    /// The sides each cell of a route leaves through: towards the cells before and after it,
    /// and at its ends towards the boxes it joins.
    static func sides(of route: [CellPoint], from source: Rect, to target: Rect) -> [(CellPoint, Sides)] {
        route.enumerated().map { index, cell in
            var cellSides: Sides = []
            let previous = index > 0 ? route[index - 1] : Self.neighbour(of: cell, in: source)
            let next = index + 1 < route.count ? route[index + 1] : Self.neighbour(of: cell, in: target)
            if let previous, previous.isNeighbour(of: cell) { cellSides.insert(cell.side(towards: previous)) }
            if let next, next.isNeighbour(of: cell) { cellSides.insert(cell.side(towards: next)) }
            return (cell, cellSides)
        }
    }

    /// The route with its small detours cut out: whenever a cell a few steps on touches the
    /// current one, the cells between are dropped. Rounding a spline to cells leaves such
    /// wiggles (down, across, up) and little loops; staircases are kept, as their cells only
    /// touch their immediate neighbours.
    static func withoutDetours(_ route: [CellPoint], window: Int = 8) -> [CellPoint] {
        var result: [CellPoint] = []
        var index = 0
        while index < route.count {
            let cell = route[index]
            result.append(cell)
            let reach = min(route.count - 1, index + window)
            var next = index + 1
            if reach >= index + 2 {
                for later in stride(from: reach, through: index + 2, by: -1) where route[later].isNeighbour(of: cell) || route[later] == cell {
                    next = route[later] == cell ? later + 1 : later
                    break
                }
            }
            index = next
        }
        return result
    }

    /// The cells just outside `box` (left and right sides first, as edges run left to right),
    /// nearest to `cell` first. A framed box is left beside its content rows, never at a corner.
    static func beside(_ box: Rect, nearest cell: CellPoint) -> [CellPoint] {
        var candidates: [CellPoint] = []
        let framed = box.height >= 3
        for row in (framed ? box.row + 1 : box.row)..<(framed ? box.bottom - 1 : box.bottom) {
            candidates.append(CellPoint(column: box.right, row: row))
            candidates.append(CellPoint(column: box.column - 1, row: row))
        }
        for column in (framed ? box.column + 1 : box.column)..<(framed ? box.right - 1 : box.right) {
            candidates.append(CellPoint(column: column, row: box.row - 1))
            candidates.append(CellPoint(column: column, row: box.bottom))
        }
        // Sides cost a little less than top and bottom, so ties leave sideways.
        func cost(_ candidate: CellPoint) -> Int {
            let distance = abs(candidate.column - cell.column) + abs(candidate.row - cell.row)
            let sideways = candidate.row >= box.row && candidate.row < box.bottom
            return distance * 4 + (sideways ? 0 : 3)
        }
        return candidates.sorted { cost($0) < cost($1) }
    }

    /// A cell of `box` next to `cell`, if `cell` touches it.
    static func neighbour(of cell: CellPoint, in box: Rect) -> CellPoint? {
        let around = [CellPoint(column: cell.column + 1, row: cell.row), CellPoint(column: cell.column - 1, row: cell.row),
                      CellPoint(column: cell.column, row: cell.row + 1), CellPoint(column: cell.column, row: cell.row - 1)]
        return around.first { box.contains(column: $0.column, row: $0.row) }
    }

    static func centre(of box: Rect) -> CellPoint {
        CellPoint(column: box.column + box.width / 2, row: box.row + box.height / 2)
    }

    /// Appends a 4-connected staircase from `start` (already in `route`) to `end`.
    static func connect(from start: CellPoint, to end: CellPoint, verticalFirst: Bool, into route: inout [CellPoint]) {
        var cell = start
        while cell != end {
            let moveRow = cell.row != end.row && (verticalFirst || cell.column == end.column)
            if moveRow { cell.row += end.row > cell.row ? 1 : -1 } else { cell.column += end.column > cell.column ? 1 : -1 }
            route.append(cell)
        }
    }
}

extension CellPoint {
    /// Whether `other` shares a side with this cell.
    func isNeighbour(of other: CellPoint) -> Bool {
        abs(column - other.column) + abs(row - other.row) == 1
    }
}
