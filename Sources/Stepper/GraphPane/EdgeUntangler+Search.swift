import GraphExport

/// The untangler's search for a free way between two boxes, A* over cells and headings.
extension EdgeUntangler {
    /// Headings: 0 right, 1 down, 2 left, 3 up.
    private static let moves = [(1, 0), (0, 1), (-1, 0), (0, -1)]

    /// The cells beside `box` an edge may leave or enter through, with the heading away from
    /// the box: beside a framed box's content rows and columns, never at its corners.
    static func ports(of box: Rect) -> [(cell: CellPoint, heading: Int)] {
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
    ///
    /// Charges every state it visits (and the target's sides it looks at) to ``work``, and gives
    /// up past ``searchLimit`` states or once ``work`` reaches `budget`.
    mutating func search(group: Int, source: Rect, target: Rect, flow: Int, budget: Int,
                         scratch: inout SearchScratch) -> [CellPoint]? {
        let owner = Int32(group)
        let targetPorts = Self.ports(of: target), sourcePorts = Self.ports(of: source)
        work += targetPorts.count + sourcePorts.count
        let goals = targetPorts.compactMap { port -> (Int, Int)? in
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
        for port in sourcePorts {
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
            if visited > Self.searchLimit || work > budget { return nil }
            let cell = state / 4, heading = state % 4, spent = scratch.spent(state)
            guard spent + estimate(cell) == estimated else { continue }
            // Beside the target (not backing away from it): the arrowhead, turning into the box if need be.
            if let into = goalHeading[cell], heading != (into + 2) % 4 {
                let turning = heading == into ? 0 : Self.turnCost + (Self.hooks(state, leaving: into, scratch: scratch) ? Self.hookCost : 0)
                let total = spent + turning + Self.againstFlow(into, flow)
                if arrival == nil || total < arrival!.cost { arrival = (total, state) }
            }
            let column = area.column + cell % area.width, row = area.row + cell / area.width
            for (leaving, move) in Self.moves.enumerated() where leaving != (heading + 2) % 4 {
                guard let next = index(CellPoint(column: column + move.0, row: row + move.1)),
                      let step = cost(cell, entering: heading, leaving: leaving, owner: owner),
                      horizontal[next] != -2 else { continue }
                let hook = leaving != heading && Self.hooks(state, leaving: leaving, scratch: scratch) ? Self.hookCost : 0
                let total = spent + step + hook
                let nextState = next * 4 + leaving
                if total < scratch.spent(nextState) {
                    scratch.record(nextState, cost: total, from: Int32(state))
                    queue.push(total + estimate(next), nextState)
                }
            }
        }
        return arrival.map { path(to: $0.state, scratch: scratch) }
    }

    /// Whether turning to `leaving` at `state` turns the way back within ``hookReach`` cells of
    /// the turn before: a little loop (`╰─╯`) beside a box, which reads as a stray mark, not as
    /// an edge. Read off the way found to `state` so far.
    private static func hooks(_ state: Int, leaving: Int, scratch: SearchScratch) -> Bool {
        let heading = state % 4
        var current = state
        for _ in 0..<hookReach {
            let previous = Int(scratch.previous[current])
            guard previous >= 0 else { return false }
            if previous % 4 != heading { return previous % 4 == (leaving + 2) % 4 }
            current = previous
        }
        return false
    }

    /// What heading `heading` costs where the drawing flows `flow` (0 right, 1 down).
    private static func againstFlow(_ heading: Int, _ flow: Int) -> Int {
        heading == flow ? 0 : heading == (flow + 2) % 4 ? 4 * turnCost : 2 * turnCost
    }

    /// The cells of the way found to `state`, first to last.
    private func path(to state: Int, scratch: SearchScratch) -> [CellPoint] {
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
/// from search to search, so that a short search costs what it visits, not the size of the drawing.
struct SearchScratch {
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
struct CostHeap {
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
