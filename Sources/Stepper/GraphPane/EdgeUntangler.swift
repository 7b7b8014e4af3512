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
///
/// All of it runs on one budget of work (``workBudget``): every cell checked, held or let go,
/// every edge looked up and every search state visited is charged to it. When it runs out
/// (a dense graph with hundreds of walled-in boxes) the edges not yet looked at are drawn as
/// the channel router routed them, so that a frame never waits on the untangler.
struct EdgeUntangler {
    /// Which group owns each axis of a cell: -1 free, -2 a box.
    var horizontal: [Int32]
    var vertical: [Int32]
    /// How many placed edges of the owning group hold each axis (a trunk is held by several).
    private var horizontalHolds: [Int32]
    private var verticalHolds: [Int32]
    /// Per edge, the cells whose axes it holds (bit 1 horizontal, bit 2 vertical), to let go.
    private var held: [[(cell: Int, axes: UInt8)]]
    /// Per cell of a placed edge, the edges passing it: those to tear up to free a box's side.
    private var passing: [Int: [Int]] = [:]
    let area: Rect
    /// Work done so far, in cells and states (see ``workBudget``).
    var work = 0

    /// Free rows and columns kept around the drawing, for an edge to go round the others.
    static let margin = 2
    /// Step, turn and crossing costs: a crossing is legible but a little longer way is better.
    static let stepCost = 2, turnCost = 5, crossingCost = 4
    /// What turning back within ``hookReach`` cells of the turn before costs (a little loop,
    /// `╰─╯`, reads as a stray mark): a detour of up to ten cells is better.
    static let hookCost = 20, hookReach = 3
    /// How many states one search may visit before it gives up on an edge.
    static let searchLimit = 8_000
    /// All the work of one drawing: cells checked and held, edges looked up, search states
    /// visited. Lecture windows spend a few thousand; past this, the rest is drawn as routed.
    static let workBudget = 150_000
    /// The budget of one style of a window of a large graph (``GraphWindow``): stepping enters a
    /// new window at every chunk boundary, and its two styles must be untangled well within a
    /// frame of 16 ms (a unit takes about 0.1 µs in a release build). Lecture windows spend
    /// under 18,000; the step into `sum(v0 … v29999)` spent ``workBudget`` on each style.
    static let windowWorkBudget = 40_000

    /// What ``untangle(boxes:edges:cells:direction:budget:)`` made.
    struct Untangled {
        /// Per edge, its cells from beside the operand to the arrowhead.
        var cells: [[CellPoint]]
        var arrowheads: [(cell: CellPoint, direction: Direction)?]
        /// The work spent: at most the budget plus one step (one path checked or held).
        var work: Int
        /// Edges left as the channel router routed them because the budget ran out first.
        var unchecked: Int
        /// Edges for which no free way was found (a box walled in): left as routed, over others.
        var tangled = 0
    }

    /// - Parameters:
    ///   - boxes: world cells of every box.
    ///   - edges: operand box → consumer box; edges from one box may share cells (a trunk).
    ///   - cells: per edge, its cells from beside the operand to the arrowhead (may be empty).
    ///   - budget: the most work to spend (see ``workBudget``).
    /// - Returns: the cells and arrowheads of every edge, apart (as far as the budget went).
    static func untangle(boxes: [Rect], edges: [(from: Int, to: Int)], cells: [[CellPoint]], direction: RankDirection,
                         budget: Int = workBudget) -> Untangled {
        var result = cells
        var bounds: Rect?
        for rect in boxes { bounds = bounds.map { $0.union(rect) } ?? rect }
        for path in cells { for cell in path { bounds = bounds.map { $0.union(Rect(column: cell.column, row: cell.row, width: 1, height: 1)) } } }
        guard let drawn = bounds else { return Untangled(cells: cells, arrowheads: cells.map { _ in nil }, work: 0, unchecked: 0) }
        var untangler = EdgeUntangler(area: Rect(column: drawn.column - margin, row: drawn.row - margin,
                                                 width: drawn.width + 2 * margin, height: drawn.height + 2 * margin),
                                      boxes: boxes, edgeCount: edges.count)
        let flow = direction == .leftToRight ? 0 : 1
        var scratch = SearchScratch()
        var pending: [Int] = []
        for (index, edge) in edges.enumerated() {
            let path = cells[index]
            if untangler.work < budget, !path.isEmpty, !Self.hooks(path, from: boxes[edge.from], to: boxes[edge.to]),
               untangler.fits(path, group: edge.from, source: boxes[edge.from], target: boxes[edge.to]) {
                untangler.hold(path, edge: index, group: edge.from, source: boxes[edge.from], target: boxes[edge.to])
            } else {
                pending.append(index)
            }
        }
        var unchecked = 0, tangled = 0
        for index in pending {
            let edge = edges[index]
            let source = boxes[edge.from], target = boxes[edge.to]
            guard untangler.work < budget else {
                // Out of work: drawn as it came, or straight if it came without cells.
                if result[index].isEmpty { result[index] = Self.straight(from: source, to: target) }
                unchecked += 1
                continue
            }
            if let path = untangler.search(group: edge.from, source: source, target: target, flow: flow,
                                           budget: budget, scratch: &scratch) {
                result[index] = path
                untangler.hold(path, edge: index, group: edge.from, source: source, target: target)
                continue
            }
            if untangler.tearUp(for: index, edges: edges, boxes: boxes, result: &result, flow: flow,
                                budget: budget, scratch: &scratch) {
                continue
            }
            // Drawn as it came, or straight if it came without cells (the screen checker would say so).
            tangled += 1
            if result[index].isEmpty { result[index] = Self.straight(from: source, to: target) }
            untangler.hold(result[index], edge: index, group: edge.from, source: source, target: target)
        }
        let arrowheads: [(cell: CellPoint, direction: Direction)?] = edges.indices.map { index in
            guard let last = result[index].last, let inside = RoutedEdge.neighbour(of: last, in: boxes[edges[index].to]) else {
                return result[index].count > 1
                    ? (result[index].last!, result[index][result[index].count - 2].side(towards: result[index].last!).direction)
                    : nil
            }
            return (last, last.side(towards: inside).direction)
        }
        return Untangled(cells: result, arrowheads: arrowheads, work: untangler.work, unchecked: unchecked, tangled: tangled)
    }

    /// Every cell free but the boxes'.
    private init(area: Rect, boxes: [Rect], edgeCount: Int) {
        self.area = area
        horizontal = Array(repeating: -1, count: area.width * area.height)
        for box in boxes {
            for row in box.row..<box.bottom {
                for column in box.column..<box.right {
                    guard let cell = Self.index(CellPoint(column: column, row: row), in: area) else { continue }
                    horizontal[cell] = -2
                }
            }
        }
        vertical = horizontal
        horizontalHolds = Array(repeating: 0, count: horizontal.count)
        verticalHolds = horizontalHolds
        held = Array(repeating: [], count: edgeCount)
    }

    static func index(_ cell: CellPoint, in area: Rect) -> Int? {
        guard area.contains(column: cell.column, row: cell.row) else { return nil }
        return (cell.row - area.row) * area.width + (cell.column - area.column)
    }

    func index(_ cell: CellPoint) -> Int? { Self.index(cell, in: area) }

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

    private mutating func fits(_ path: [CellPoint], group: Int, source: Rect, target: Rect) -> Bool {
        work += path.count
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

    /// Places edge `edge`: each axis of its cells that is free (or already its group's) is
    /// held for `group`; an axis owned by another group stays theirs.
    private mutating func hold(_ path: [CellPoint], edge: Int, group: Int, source: Rect, target: Rect) {
        work += path.count
        let owner = Int32(group)
        var taken: [(cell: Int, axes: UInt8)] = []
        for use in Self.uses(path, source: source, target: target) {
            guard let cell = index(use.cell) else { continue }
            var axes: UInt8 = 0
            if use.horizontal, horizontal[cell] == -1 || horizontal[cell] == owner {
                horizontal[cell] = owner
                horizontalHolds[cell] += 1
                axes |= 1
            }
            if use.vertical, vertical[cell] == -1 || vertical[cell] == owner {
                vertical[cell] = owner
                verticalHolds[cell] += 1
                axes |= 2
            }
            if axes != 0 { taken.append((cell, axes)) }
            passing[cell, default: []].append(edge)
        }
        held[edge] = taken
    }

    /// Takes edge `edge` (placed along `path`) off the drawing: the axes only it held are free again.
    private mutating func letGo(_ path: [CellPoint], edge: Int) {
        work += path.count + held[edge].count
        for (cell, axes) in held[edge] {
            if axes & 1 != 0 {
                horizontalHolds[cell] -= 1
                if horizontalHolds[cell] == 0 { horizontal[cell] = -1 }
            }
            if axes & 2 != 0 {
                verticalHolds[cell] -= 1
                if verticalHolds[cell] == 0 { vertical[cell] = -1 }
            }
        }
        held[edge] = []
        for cell in path.compactMap(index) {
            guard var list = passing.removeValue(forKey: cell) else { continue }
            work += list.count
            if let position = list.firstIndex(of: edge) { list.remove(at: position) }
            if !list.isEmpty { passing[cell] = list }
        }
    }

    /// Edge `index` walled in by other edges at either box: tears those up, routes this one,
    /// routes them again; if one of them then finds no way, everything goes back as it was.
    ///
    /// - Returns: whether edge `index` is now placed.
    private mutating func tearUp(for index: Int, edges: [(from: Int, to: Int)], boxes: [Rect], result: inout [[CellPoint]],
                                 flow: Int, budget: Int, scratch: inout SearchScratch) -> Bool {
        let edge = edges[index]
        let source = boxes[edge.from], target = boxes[edge.to]
        var blockers = Set<Int>()
        for port in Self.ports(of: target) + Self.ports(of: source) {
            work += 1
            guard let cell = self.index(port.cell), let list = passing[cell] else { continue }
            work += list.count
            for other in list where edges[other].from != edge.from { blockers.insert(other) }
        }
        guard enoughPorts(for: index, tearingUp: blockers, edges: edges, target: target) else { return false }
        // Only if the budget covers putting everything back, so that a frame never overruns it by more
        // than one step (a path checked or held, a state visited).
        let undoing = blockers.reduce(2 * result[index].count) { $0 + 3 * result[$1].count }
        guard !blockers.isEmpty, work + undoing < budget else { return false }
        let order = [index] + blockers.sorted()
        let before = order.map { result[$0] }
        for other in blockers.sorted() { letGo(result[other], edge: other) }
        var placed: [Int] = []
        for other in order {
            let from = boxes[edges[other].from], to = boxes[edges[other].to]
            guard let path = search(group: edges[other].from, source: from, target: to, flow: flow,
                                    budget: budget, scratch: &scratch) else { break }
            result[other] = path
            hold(path, edge: other, group: edges[other].from, source: from, target: to)
            placed.append(other)
        }
        if placed.count == order.count { return true }
        // Back as it was: the new routes let go, the torn-up edges placed again on their old cells.
        for other in placed { letGo(result[other], edge: other) }
        for (position, other) in order.enumerated() {
            result[other] = before[position]
            if other != index {
                hold(result[other], edge: other, group: edges[other].from, source: boxes[edges[other].from],
                     target: boxes[edges[other].to])
            }
        }
        return false
    }

    /// Whether tearing up `blockers` could free a port of `target` for edge `index` and for
    /// every torn-up edge into the same box. Each edge into a box ends on a port cell of its
    /// own (an arrowhead's cell is held whole), so when they outnumber the ports that tearing
    /// up frees, one of them is sure to find no way and everything would go back as it was:
    /// a box with more incoming edges than ports (`sum` of thousands of terms) spent the whole
    /// budget so. Counting is charged to ``work``.
    private mutating func enoughPorts(for index: Int, tearingUp blockers: Set<Int>, edges: [(from: Int, to: Int)],
                                      target: Rect) -> Bool {
        let needing = 1 + blockers.count { edges[$0].to == edges[index].to }
        var freeable = 0
        for port in Self.ports(of: target) {
            work += 1
            guard let cell = self.index(port.cell), horizontal[cell] != -2 else { continue }
            // Free once the blockers are gone: no other edge holds either of its lines.
            let staying = (passing[cell] ?? []).filter { !blockers.contains($0) }
            work += staying.count
            if staying.allSatisfy({ other in !held[other].contains { $0.cell == cell } }) { freeable += 1 }
            if freeable >= needing { return true }
        }
        return false
    }

    /// Whether `path` turns the way back within ``hookReach`` cells of its turn before (a
    /// little loop, `╰─╯`), counting the ways it leaves `source` and enters `target`.
    static func hooks(_ path: [CellPoint], from source: Rect, to target: Rect) -> Bool {
        guard let first = path.first, let last = path.last else { return false }
        // The moves, each as the side of a cell it leaves through.
        var moves: [Sides] = []
        if let start = RoutedEdge.neighbour(of: first, in: source) { moves.append(start.side(towards: first)) }
        for (a, b) in zip(path, path.dropFirst()) where a.isNeighbour(of: b) { moves.append(a.side(towards: b)) }
        if let end = RoutedEdge.neighbour(of: last, in: target) { moves.append(last.side(towards: end)) }
        var turn: (position: Int, before: Sides)?
        for position in moves.indices.dropFirst() where moves[position] != moves[position - 1] {
            if let turn, position - turn.position <= hookReach, moves[position] == Self.opposite(turn.before) { return true }
            turn = (position, moves[position - 1])
        }
        return false
    }

    private static func opposite(_ side: Sides) -> Sides {
        switch side {
        case .up: .down
        case .down: .up
        case .left: .right
        default: .left
        }
    }

    /// An L-shaped route from the middle of one box to the middle of the other, cut to the
    /// part between them: for an edge that finds no free way.
    static func straight(from source: Rect, to target: Rect) -> [CellPoint] {
        let start = RoutedEdge.centre(of: source), end = RoutedEdge.centre(of: target)
        var path = [start]
        RoutedEdge.connect(from: start, to: end, verticalFirst: false, into: &path)
        return RoutedEdge(path, from: source, to: target).cells
    }
}
