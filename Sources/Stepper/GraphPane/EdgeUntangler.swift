import GraphExport

/// Keeps the edges of a drawing apart, cell by cell: no two edges from different boxes run
/// along the same cells, turn in the same cell or touch each other's arrowheads; where two
/// cross, each passes straight through the crossing cell (drawn `┼`).
///
/// The channel router's routes are kept where they are already apart (almost all of them);
/// an edge that would run along, or turn into, a line of an edge placed before it is routed
/// again through the free cells (A* over cells and headings: a turn costs more than a step,
/// a crossing more than a turn), from beside its operand's box to beside its consumer's, so
/// that its arrowhead always touches the consumer. Searching only for those few edges keeps
/// a window's layout fast; a search that finds no way (a box walled in by others) leaves
/// the route as it was.
struct EdgeUntangler {
    /// Which group owns each axis of a cell: -1 free, -2 a box.
    private var horizontal: [Int32]
    private var vertical: [Int32]
    private let area: Rect

    /// Free rows and columns kept around the drawing, for an edge to go round the others.
    static let margin = 2
    /// Step, turn and crossing costs: a crossing is legible but a little longer way is better.
    static let stepCost = 2, turnCost = 5, crossingCost = 4
    /// How many states one search may visit before it gives up on an edge, and all searches
    /// of one drawing together: past that (a dense graph with hundreds of walled-in boxes),
    /// the remaining edges are drawn as the channel router routed them.
    static let searchLimit = 8_000
    static let workLimit = 40_000

    /// - Parameters:
    ///   - boxes: world cells of every box.
    ///   - edges: operand box → consumer box; edges from one box may share cells (a trunk).
    ///   - cells: per edge, its cells from beside the operand to the arrowhead (may be empty).
    /// - Returns: the cells and arrowheads of every edge, apart.
    static func untangle(boxes: [Rect], edges: [(from: Int, to: Int)], cells: [[CellPoint]], direction: RankDirection)
        -> (cells: [[CellPoint]], arrowheads: [(cell: CellPoint, direction: Direction)?])
    {
        var result = cells
        var bounds: Rect?
        for rect in boxes { bounds = bounds.map { $0.union(rect) } ?? rect }
        for path in cells { for cell in path { bounds = bounds.map { $0.union(Rect(column: cell.column, row: cell.row, width: 1, height: 1)) } } }
        guard let drawn = bounds else { return (cells, cells.map { _ in nil }) }
        var untangler = EdgeUntangler(area: Rect(column: drawn.column - margin, row: drawn.row - margin,
                                                 width: drawn.width + 2 * margin, height: drawn.height + 2 * margin),
                                      boxes: boxes)
        var placed = [[CellPoint]?](repeating: nil, count: edges.count)
        let flow = direction == .leftToRight ? 0 : 1
        var work = 0
        var scratch = Scratch()
        var pending: [Int] = []
        for (index, edge) in edges.enumerated() {
            let path = cells[index]
            if !path.isEmpty, untangler.fits(path, group: edge.from, source: boxes[edge.from], target: boxes[edge.to]) {
                untangler.claim(path, group: edge.from, source: boxes[edge.from], target: boxes[edge.to])
                placed[index] = path
            } else {
                pending.append(index)
            }
        }
        for index in pending {
            let edge = edges[index]
            let source = boxes[edge.from], target = boxes[edge.to]
            if work < Self.workLimit, let path = untangler.search(group: edge.from, source: source, target: target, flow: flow, work: &work, scratch: &scratch) {
                result[index] = path
                placed[index] = path
                untangler.claim(path, group: edge.from, source: source, target: target)
                continue
            }
            // Walled in by other edges at either box: tear those up, route this one, route them
            // again; if one of them then finds no way, everything goes back as it was.
            let ports = Set((Self.ports(of: target) + Self.ports(of: source)).map(\.cell))
            let blockers = placed.indices.filter { other in
                guard let cells = placed[other], edges[other].from != edge.from else { return false }
                return cells.contains { ports.contains($0) }
            }
            let saved = (untangler, placed, result)
            var rerouted = false
            if !blockers.isEmpty, work < Self.workLimit {
                for other in blockers { placed[other] = nil }
                untangler.reset(boxes: boxes)
                for (other, cells) in placed.enumerated() {
                    guard let cells else { continue }
                    untangler.claim(cells, group: edges[other].from, source: boxes[edges[other].from], target: boxes[edges[other].to])
                }
                rerouted = true
                for other in [index] + blockers {
                    let from = boxes[edges[other].from], to = boxes[edges[other].to]
                    guard let path = untangler.search(group: edges[other].from, source: from, target: to, flow: flow, work: &work, scratch: &scratch) else {
                        rerouted = false
                        break
                    }
                    result[other] = path
                    placed[other] = path
                    untangler.claim(path, group: edges[other].from, source: from, target: to)
                }
            }
            guard !rerouted else { continue }
            (untangler, placed, result) = saved
            // Drawn as it came, or straight if it came without cells (the screen checker would say so).
            let cells = result[index].isEmpty ? Self.straight(from: source, to: target) : result[index]
            result[index] = cells
            placed[index] = cells
            untangler.claim(cells, group: edge.from, source: source, target: target)
        }
        let arrowheads: [(cell: CellPoint, direction: Direction)?] = edges.indices.map { index in
            guard let last = result[index].last, let inside = RoutedEdge.neighbour(of: last, in: boxes[edges[index].to]) else {
                return result[index].count > 1
                    ? (result[index].last!, result[index][result[index].count - 2].side(towards: result[index].last!).direction)
                    : nil
            }
            return (last, last.side(towards: inside).direction)
        }
        return (result, arrowheads)
    }

    private init(area: Rect, boxes: [Rect]) {
        self.area = area
        horizontal = []
        vertical = []
        reset(boxes: boxes)
    }

    /// Every cell free but the boxes'.
    private mutating func reset(boxes: [Rect]) {
        horizontal = Array(repeating: -1, count: area.width * area.height)
        vertical = horizontal
        for box in boxes {
            for row in box.row..<box.bottom {
                for column in box.column..<box.right {
                    guard let cell = index(CellPoint(column: column, row: row)) else { continue }
                    horizontal[cell] = -2
                    vertical[cell] = -2
                }
            }
        }
    }

    private func index(_ cell: CellPoint) -> Int? {
        guard area.contains(column: cell.column, row: cell.row) else { return nil }
        return (cell.row - area.row) * area.width + (cell.column - area.column)
    }

    /// What each cell of `path` takes: its horizontal line, its vertical line, or both (where
    /// it turns, and at both ends, so that nothing crosses right beside a box or an arrowhead).
    private static func uses(_ path: [CellPoint], source: Rect, target: Rect) -> [(cell: CellPoint, horizontal: Bool, vertical: Bool)] {
        RoutedEdge.sides(of: path, from: source, to: target).enumerated().map { position, entry in
            let (cell, sides) = entry
            if position == 0 || position == path.count - 1 { return (cell, true, true) }
            let across = !sides.isDisjoint(with: .horizontal), along = !sides.isDisjoint(with: .vertical)
            return (cell, across, along)
        }
    }

    private func fits(_ path: [CellPoint], group: Int, source: Rect, target: Rect) -> Bool {
        let owner = Int32(group)
        // A route that touches a box it does not join, or wanders out of the area, is redone.
        guard RoutedEdge.neighbour(of: path.last!, in: target) != nil,
              RoutedEdge.neighbour(of: path.first!, in: source) != nil else { return false }
        for use in Self.uses(path, source: source, target: target) {
            guard let cell = index(use.cell) else { return false }
            if use.horizontal, horizontal[cell] != -1, horizontal[cell] != owner { return false }
            if use.vertical, vertical[cell] != -1, vertical[cell] != owner { return false }
            // Passing straight over a cell where another edge turns would merge with it.
            if use.horizontal != use.vertical {
                let other = use.horizontal ? vertical[cell] : horizontal[cell]
                if other >= 0, other != owner, horizontal[cell] == vertical[cell] { return false }
            }
        }
        return true
    }

    private mutating func claim(_ path: [CellPoint], group: Int, source: Rect, target: Rect) {
        for use in Self.uses(path, source: source, target: target) {
            guard let cell = index(use.cell) else { continue }
            if use.horizontal, horizontal[cell] == -1 { horizontal[cell] = Int32(group) }
            if use.vertical, vertical[cell] == -1 { vertical[cell] = Int32(group) }
        }
    }

    // MARK: Search

    /// Headings: 0 right, 1 down, 2 left, 3 up.
    private static let moves = [(1, 0), (0, 1), (-1, 0), (0, -1)]

    /// The cells beside `box` an edge may leave or enter through, with the heading away from
    /// the box: beside a framed box's content rows and columns, never at its corners.
    private static func ports(of box: Rect) -> [(cell: CellPoint, heading: Int)] {
        let framed = box.height >= 3
        var ports: [(CellPoint, Int)] = []
        for row in (framed ? box.row + 1 : box.row)..<(framed ? box.bottom - 1 : box.bottom) {
            ports.append((CellPoint(column: box.right, row: row), 0))
            ports.append((CellPoint(column: box.column - 1, row: row), 2))
        }
        for column in (framed ? box.column + 1 : box.column)..<(framed ? box.right - 1 : box.right) {
            ports.append((CellPoint(column: column, row: box.bottom), 1))
            ports.append((CellPoint(column: column, row: box.row - 1), 3))
        }
        return ports
    }

    /// What passing through `cell` costs `group`, entering it heading `entering` and leaving
    /// heading `leaving`; nil where it may not pass.
    private func cost(_ cell: Int, entering: Int, leaving: Int, owner: Int32) -> Int? {
        let h = horizontal[cell], v = vertical[cell]
        func free(_ value: Int32) -> Bool { value == -1 || value == owner }
        if entering % 2 != leaving % 2 {
            return free(h) && free(v) ? Self.stepCost + Self.turnCost : nil
        }
        let (along, across) = entering % 2 == 0 ? (h, v) : (v, h)
        guard free(along) else { return nil }
        if free(across) { return Self.stepCost }
        // Across another edge's straight line: a crossing. Across its turn or end: a merge.
        return h == v ? nil : Self.stepCost + Self.crossingCost
    }

    /// The cheapest way from beside `source` to beside `target` through cells free for `group`.
    private func search(group: Int, source: Rect, target: Rect, flow: Int, work: inout Int,
                        scratch: inout Scratch) -> [CellPoint]? {
        let owner = Int32(group)
        let goals = Self.ports(of: target).compactMap { port -> (Int, Int)? in
            guard let cell = index(port.cell), horizontal[cell] == -1, vertical[cell] == -1 else { return nil }
            // The arrowhead heads into the box: against the port's outward heading.
            return (cell, (port.heading + 2) % 4)
        }
        guard !goals.isEmpty else { return nil }
        var goalHeading: [Int: Int] = [:]
        for (cell, heading) in goals { goalHeading[cell] = heading }
        let targetCentre = RoutedEdge.centre(of: target)
        func estimate(_ cell: Int) -> Int {
            let column = area.column + cell % area.width, row = area.row + cell / area.width
            let dx = max(0, abs(column - targetCentre.column) - target.width / 2 - 1)
            let dy = max(0, abs(row - targetCentre.row) - target.height / 2 - 1)
            return (dx + dy) * Self.stepCost
        }
        scratch.begin(stateCount: horizontal.count * 4)
        var queue = CostHeap()
        for port in Self.ports(of: source) {
            guard let cell = index(port.cell) else { continue }
            let h = horizontal[cell], v = vertical[cell]
            guard (h == -1 || h == owner) && (v == -1 || v == owner) else { continue }
            // Leaving the way the drawing flows is free; across it costs a turn, against it more.
            let start = Self.againstFlow(port.heading, flow)
            let state = cell * 4 + port.heading
            if start < scratch.spent(state) {
                scratch.record(state, cost: start, from: -1)
                queue.push(start + estimate(cell), state)
            }
        }
        var visited = 0
        // The best arrival so far: an arrowhead pointing against the flow costs more.
        var arrival: (cost: Int, state: Int)?
        while let (estimated, state) = queue.pop() {
            if let arrival, estimated >= arrival.cost { return path(to: arrival.state, scratch: scratch) }
            visited += 1
            work += 1
            if visited > Self.searchLimit || work > Self.workLimit { return nil }
            let cell = state / 4, heading = state % 4, spent = scratch.spent(state)
            guard spent + estimate(cell) == estimated else { continue }
            // Beside the target (not backing away from it): the arrowhead, turning into the box if need be.
            if let into = goalHeading[cell], heading != (into + 2) % 4 {
                let total = spent + (heading == into ? 0 : Self.turnCost) + Self.againstFlow(into, flow)
                if arrival == nil || total < arrival!.cost { arrival = (total, state) }
            }
            let column = area.column + cell % area.width, row = area.row + cell / area.width
            for (leaving, move) in Self.moves.enumerated() where leaving != (heading + 2) % 4 {
                guard let next = index(CellPoint(column: column + move.0, row: row + move.1)),
                      let step = cost(cell, entering: heading, leaving: leaving, owner: owner),
                      horizontal[next] != -2 else { continue }
                let total = spent + step
                let nextState = next * 4 + leaving
                if total < scratch.spent(nextState) {
                    scratch.record(nextState, cost: total, from: Int32(state))
                    queue.push(total + estimate(next), nextState)
                }
            }
        }
        return arrival.map { path(to: $0.state, scratch: scratch) }
    }

    /// What heading `heading` costs where the drawing flows `flow` (0 right, 1 down).
    private static func againstFlow(_ heading: Int, _ flow: Int) -> Int {
        heading == flow ? 0 : heading == (flow + 2) % 4 ? 4 * turnCost : 2 * turnCost
    }

    /// An L-shaped route from the middle of one box to the middle of the other, cut to the
    /// part between them: for an edge that finds no free way.
    private static func straight(from source: Rect, to target: Rect) -> [CellPoint] {
        let start = RoutedEdge.centre(of: source), end = RoutedEdge.centre(of: target)
        var path = [start]
        RoutedEdge.connect(from: start, to: end, verticalFirst: false, into: &path)
        return RoutedEdge(path, from: source, to: target).cells
    }

    /// The cells of the way found to `state`, first to last.
    private func path(to state: Int, scratch: Scratch) -> [CellPoint] {
        var cells: [CellPoint] = []
        var current = state
        while current >= 0 {
            let cell = current / 4
            cells.append(CellPoint(column: area.column + cell % area.width, row: area.row + cell / area.width))
            current = Int(scratch.previous[current])
        }
        return cells.reversed()
    }
}

/// A search's cost and way back per state, valid where `stamp` is the search's number: kept
/// from search to search (apart from the occupancy, which tearing up copies), so that a short
/// search costs what it visits, not the size of the drawing.
private struct Scratch {
    var best: [Int] = []
    var previous: [Int32] = []
    var stamp: [UInt32] = []
    var number: UInt32 = 0

    mutating func begin(stateCount: Int) {
        if stamp.count != stateCount {
            best = Array(repeating: .max, count: stateCount)
            previous = Array(repeating: -1, count: stateCount)
            stamp = Array(repeating: 0, count: stateCount)
        }
        number &+= 1
    }

    func spent(_ state: Int) -> Int { stamp[state] == number ? best[state] : .max }

    mutating func record(_ state: Int, cost: Int, from: Int32) {
        stamp[state] = number
        best[state] = cost
        previous[state] = from
    }
}

/// A binary min-heap of (cost, state) pairs.
private struct CostHeap {
    private var items: [(cost: Int, state: Int)] = []

    mutating func push(_ cost: Int, _ state: Int) {
        items.append((cost, state))
        var child = items.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard items[child].cost < items[parent].cost else { break }
            items.swapAt(child, parent)
            child = parent
        }
    }

    mutating func pop() -> (cost: Int, state: Int)? {
        guard let top = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < items.count, items[left].cost < items[smallest].cost { smallest = left }
                if right < items.count, items[right].cost < items[smallest].cost { smallest = right }
                if smallest == parent { break }
                items.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return top
    }
}

private extension Array {
    var nonEmpty: Self? { isEmpty ? nil : self }
}
