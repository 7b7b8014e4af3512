import GraphExport

/// Routes edges between the ranks of a layered drawing in whole cells, so that every edge can
/// be followed: one vertical track per operand in each gap between ranks (edges from one operand
/// share it as a trunk that branches; operands whose tracks lie on rows apart share a lane, see
/// ``GapTracks``), horizontal runs on rows no other edge runs along, each edge into its own
/// side of the consumer's box, crossings drawn as crossings.
///
/// Graphviz places the boxes; its splines only say on which row a long edge passes the ranks it
/// skips. Gaps between ranks are widened to hold their tracks. Top-to-bottom drawings are routed
/// transposed, as left-to-right ones.
struct ChannelRouter {
    struct Result {
        /// The boxes, moved right (or down) where a gap had to widen.
        var boxes: [Rect]
        /// Per edge: its cells from the operand's box to the arrowhead, and the arrowhead.
        var cells: [[CellPoint]]
        var arrowheads: [(cell: CellPoint, direction: Direction)?]
        /// Per edge, whether it was routed here (false: ranks out of order; the caller routes it).
        var routed: [Bool]
    }

    private typealias Segment = GapTracks.Segment

    /// How an edge enters its consumer's box: on a row of its side, or from above or below,
    /// the `k`-th such edge turning down (or up) `k` rows further out and two columns further in.
    private enum Entry { case side(row: Int), top(Int), bottom(Int) }

    /// - Parameters:
    ///   - boxes: world cells, from the layout.
    ///   - edges: operand box → consumer box.
    ///   - hints: per edge, the cells of Graphviz's spline (may be empty): the row it passes
    ///     each skipped rank on.
    ///   - alsoEntering: consumers of edges routed afterwards (the step's), one per edge: room
    ///     is made for them too.
    static func route(boxes: [Rect], edges: [(from: Int, to: Int)], hints: [[CellPoint]],
                      direction: RankDirection, alsoEntering: [Int] = []) -> Result {
        let across = direction == .topToBottom
        func flip(_ rect: Rect) -> Rect { Rect(column: rect.row, row: rect.column, width: rect.height, height: rect.width) }
        func flip(_ cell: CellPoint) -> CellPoint { CellPoint(column: cell.row, row: cell.column) }
        let flat = across ? boxes.map(flip) : boxes
        let flatHints = across ? hints.map { $0.map(flip) } : hints
        var result = routeLeftToRight(boxes: flat, edges: edges, hints: flatHints, alsoEntering: alsoEntering)
        if across {
            result.boxes = result.boxes.map(flip)
            result.cells = result.cells.map { $0.map(flip) }
            result.arrowheads = result.arrowheads.map { head in
                head.map { (flip($0.cell), $0.direction.transposed) }
            }
        }
        return result
    }

    private static func routeLeftToRight(boxes: [Rect], edges: [(from: Int, to: Int)], hints: [[CellPoint]],
                                         alsoEntering: [Int]) -> Result {
        var boxes = boxes
        // Ranks: boxes whose centres share a column (Graphviz centres each rank on one line).
        let order = boxes.indices.sorted { centre(boxes[$0]) < centre(boxes[$1]) }
        var rankOf = [Int](repeating: 0, count: boxes.count)
        var rankCount = 0
        var rankCentre = -Double.infinity
        for box in order {
            if centre(boxes[box]) - rankCentre > 1.5 {
                rankCentre = centre(boxes[box])
                rankCount += 1
            }
            rankOf[box] = rankCount - 1
        }
        var members = [[Int]](repeating: [], count: rankCount)
        for box in boxes.indices { members[rankOf[box]].append(box) }
        let routed = edges.map { rankOf[$0.from] < rankOf[$0.to] }
        var hints = hints
        let reserved = openRowsForEntries(boxes: &boxes, hints: &hints, edges: edges, routed: routed,
                                          alsoEntering: alsoEntering, rankOf: rankOf, members: members)
        // Rows taken in each rank, across the whole rank: boxes, entries, long edges passing.
        var taken = [Set<Int>](repeating: [], count: rankCount)
        for box in boxes.indices { for row in boxes[box].row..<boxes[box].bottom { taken[rankOf[box]].insert(row) } }

        // The row each long edge passes each skipped rank on: its spline's, moved to a free row.
        var passes = [[Int]](repeating: [], count: edges.count)
        for (index, edge) in edges.enumerated() where routed[index] {
            let from = rankOf[edge.from], to = rankOf[edge.to]
            guard to - from > 1 else { continue }
            let start = portRow(boxes[edge.from]), end = portRow(boxes[edge.to])
            for rank in (from + 1)..<to {
                let span = rankSpan(members[rank], boxes)
                let middle = span.column + span.width / 2
                let fraction = Double(rank - from) / Double(to - from)
                let wanted = hintRow(hints[index], column: middle)
                    ?? start + Int((Double(end - start) * fraction).rounded())
                let row = nearestFree(wanted, taken: taken[rank], reserved: reserved[rank])
                taken[rank].insert(row)
                passes[index].append(row)
            }
        }
        // Entries: each edge into its own row of the consumer's left side, then the row above
        // and below it; edges in the order of the rows they come from, to avoid crossings.
        var entries = [Entry](repeating: .side(row: 0), count: edges.count)
        var incoming = [[Int]](repeating: [], count: boxes.count)
        for (index, edge) in edges.enumerated() where routed[index] { incoming[edge.to].append(index) }
        for (target, list) in incoming.enumerated() where !list.isEmpty {
            let box = boxes[target]
            // The row an edge reaches the last gap on: its operand's, or where it passes the rank before.
            func approach(_ edge: Int) -> Int { passes[edge].last ?? portRow(boxes[edges[edge].from]) }
            let sorted = list.sorted { approach($0) < approach($1) }
            let ports = box.height >= 3 ? Array((box.row + 1)..<(box.bottom - 1)) : Array(box.row..<box.bottom)
            var sides = sorted
            var above: [Int] = [], below: [Int] = []
            let rank = rankOf[target]
            // Entry columns two apart inside the box, after its first column.
            let columns = box.width <= 2 ? 1 : max(1, (box.width - 1) / 2)
            while sides.count > ports.count {
                let up = above.count < columns && !taken[rank].contains(box.row - 1 - above.count)
                let down = below.count < columns && !taken[rank].contains(box.bottom + below.count)
                guard up || down else { break }
                // The edge coming from highest goes in from above, from lowest from below.
                if up && (above.count <= below.count || !down) {
                    taken[rank].insert(box.row - 1 - above.count)
                    above.append(sides.removeFirst())
                } else {
                    taken[rank].insert(box.bottom + below.count)
                    below.append(sides.removeLast())
                }
            }
            // The outermost row for the edge coming from furthest out, so they do not cross.
            for (position, edge) in above.enumerated() { entries[edge] = .top(above.count - 1 - position) }
            for (position, edge) in below.enumerated() { entries[edge] = .bottom(below.count - 1 - position) }
            for (position, edge) in sides.enumerated() {
                // Spread over the side's rows, in order; more edges than rows share the last.
                let slot = sides.count == 1 ? ports.count / 2
                    : min(ports.count - 1, position * max(1, ports.count - 1) / max(1, sides.count - 1))
                entries[edge] = .side(row: ports[min(slot, ports.count - 1)])
            }
        }
        // Gaps: segments, tracks, and how much each gap must widen.
        var segments = [[Segment]](repeating: [], count: max(0, rankCount - 1))
        // Per edge, its segment's position in each gap it crosses, from its operand's rank on.
        var segmentOf = [[Int]](repeating: [], count: edges.count)
        for (index, edge) in edges.enumerated() where routed[index] {
            let from = rankOf[edge.from], to = rankOf[edge.to]
            var row = portRow(boxes[edge.from])
            for gap in from..<to {
                let next = gap + 1 < to ? passes[index][gap - from] : entryRow(entries[index], box: boxes[edge.to])
                let group = gap == from ? edge.from : boxes.count + index * rankCount + gap
                segmentOf[index].append(segments[gap].count)
                segments[gap].append(Segment(edge: index, group: group, leftRow: row, rightRow: next))
                row = next
            }
        }
        var trackColumn = [[Int: Int]](repeating: [:], count: segments.count)
        var shift = 0
        for gap in segments.indices {
            // The next rank moves with every rank before it, and further if this gap is narrow.
            for box in members[gap + 1] { boxes[box].column += shift }
            let tracks = GapTracks(segments[gap])
            let left = rankSpan(members[gap], boxes).right
            let right = rankSpan(members[gap + 1], boxes).column
            let needed = left + tracks.count + 2
            if right < needed {
                shift += needed - right
                for box in members[gap + 1] { boxes[box].column += needed - right }
            }
            let available = max(right, needed) - left - 2
            for (group, lane) in tracks.lane {
                // Spread the lanes over the gap, leaving its first and last columns for the stubs.
                let offset = tracks.count == 1 ? available / 2 : lane * (available - 1) / max(1, tracks.count - 1)
                trackColumn[gap][group] = left + 1 + min(available - 1, max(0, offset))
            }
        }

        var cells = [[CellPoint]](repeating: [], count: edges.count)
        var arrowheads = [(cell: CellPoint, direction: Direction)?](repeating: nil, count: edges.count)
        for (index, edge) in edges.enumerated() where routed[index] {
            let source = boxes[edge.from], target = boxes[edge.to]
            let from = rankOf[edge.from], to = rankOf[edge.to]
            var points = [CellPoint(column: source.right, row: portRow(source))]
            for gap in from..<to {
                let segment = segments[gap][segmentOf[index][gap - from]]
                if segment.leftRow != segment.rightRow || trackColumn[gap][segment.group] != nil {
                    let track = trackColumn[gap][segment.group] ?? points.last!.column
                    points.append(CellPoint(column: track, row: segment.leftRow))
                    points.append(CellPoint(column: track, row: segment.rightRow))
                }
                if gap + 1 < to {
                    // Across the skipped rank, to the start of the next gap.
                    points.append(CellPoint(column: rankSpan(members[gap + 1], boxes).right, row: segment.rightRow))
                }
            }
            let arrival: CellPoint, heading: Direction
            switch entries[index] {
            case .side(let row):
                arrival = CellPoint(column: target.column - 1, row: row)
                heading = .right
            case .top(let index):
                arrival = CellPoint(column: target.column + min(1 + 2 * index, target.width - 1), row: target.row - 1)
                heading = .down
            case .bottom(let index):
                arrival = CellPoint(column: target.column + min(1 + 2 * index, target.width - 1), row: target.bottom)
                heading = .up
            }
            points.append(arrival)
            var path: [CellPoint] = []
            for point in points {
                guard let last = path.last else { path.append(point); continue }
                RoutedEdge.connect(from: last, to: point, verticalFirst: last.column == point.column, into: &path)
            }
            cells[index] = path
            arrowheads[index] = (arrival, heading)
        }
        return Result(boxes: boxes, cells: cells, arrowheads: arrowheads, routed: routed)
    }

    /// Moves boxes down so that a box with more operands than rows on its side has free rows
    /// above and below it in its rank, for the edges that go in from above or below (tight
    /// layouts stack a rank's boxes on neighbouring rows). Everything at or under the row
    /// opened moves, as gaps between ranks are widened for tracks.
    ///
    /// - Returns: per rank, the rows kept for entries, which long edges must not pass on.
    private static func openRowsForEntries(boxes: inout [Rect], hints: inout [[CellPoint]], edges: [(from: Int, to: Int)],
                                           routed: [Bool], alsoEntering: [Int], rankOf: [Int], members: [[Int]]) -> [Set<Int>] {
        var incoming = [Int](repeating: 0, count: boxes.count)
        for (index, edge) in edges.enumerated() where routed[index] { incoming[edge.to] += 1 }
        for box in alsoEntering { incoming[box] += 1 }
        // Rows opened, in order; the hints follow them all at once at the end (once per cell,
        // not once per opening).
        var openings: [(row: Int, count: Int)] = []
        func open(at row: Int, by count: Int) {
            for index in boxes.indices where boxes[index].row >= row { boxes[index].row += count }
            openings.append((row, count))
        }
        var need: [(box: Int, above: Int, below: Int)] = []
        for box in boxes.indices {
            let rect = boxes[box]
            let ports = rect.height >= 3 ? rect.height - 2 : rect.height
            let columns = rect.width <= 2 ? 1 : max(1, (rect.width - 1) / 2)
            let extra = min(incoming[box] - ports, 2 * columns)
            if extra > 0 { need.append((box, (extra + 1) / 2, extra / 2)) }
        }
        // Lowest first: opening rows above a box moves only what lies under it.
        for (box, above, below) in need.sorted(by: { boxes[$0.box].row > boxes[$1.box].row }) {
            let neighbours = members[rankOf[box]].filter { $0 != box }
            let rect = boxes[box]
            let under = neighbours.map { boxes[$0].row }.filter { $0 >= rect.bottom }.min()
            if let under, under - rect.bottom < below { open(at: rect.bottom, by: below - (under - rect.bottom)) }
            let over = neighbours.map { boxes[$0].bottom }.filter { $0 <= rect.row }.max()
            if let over, rect.row - over < above { open(at: rect.row, by: above - (rect.row - over)) }
        }
        if !openings.isEmpty {
            var moved: [Int: Int] = [:]
            func shifted(_ row: Int) -> Int {
                if let known = moved[row] { return known }
                var result = row
                for opening in openings where result >= opening.row { result += opening.count }
                moved[row] = result
                return result
            }
            hints = hints.map { $0.map { CellPoint(column: $0.column, row: shifted($0.row)) } }
        }
        var reserved = [Set<Int>](repeating: [], count: members.count)
        for (box, above, below) in need {
            let rect = boxes[box]
            for offset in 0..<above { reserved[rankOf[box]].insert(rect.row - 1 - offset) }
            for offset in 0..<below { reserved[rankOf[box]].insert(rect.bottom + offset) }
        }
        return reserved
    }

    private static func centre(_ box: Rect) -> Double { Double(box.column) + Double(box.width) / 2 }

    /// The row an edge leaves a box on: the middle row.
    private static func portRow(_ box: Rect) -> Int { box.row + box.height / 2 }

    private static func entryRow(_ entry: Entry, box: Rect) -> Int {
        switch entry {
        case .side(let row): row
        case .top(let index): box.row - 1 - index
        case .bottom(let index): box.bottom + index
        }
    }

    private static func rankSpan(_ members: [Int], _ boxes: [Rect]) -> Rect {
        members.dropFirst().reduce(boxes[members[0]]) { $0.union(boxes[$1]) }
    }

    /// The row of the spline where it passes `column`, if it does.
    private static func hintRow(_ cells: [CellPoint], column: Int) -> Int? {
        cells.first { $0.column == column }?.row
    }

    private static func nearestFree(_ row: Int, taken: Set<Int>, reserved: Set<Int>) -> Int {
        func free(_ candidate: Int) -> Bool { !taken.contains(candidate) && !reserved.contains(candidate) }
        var distance = 0
        while true {
            if free(row - distance) { return row - distance }
            if free(row + distance) { return row + distance }
            distance += 1
        }
    }
}

extension Direction {
    /// The direction after swapping columns and rows.
    var transposed: Direction {
        switch self {
        case .right: .down
        case .down: .right
        case .left: .up
        case .up: .left
        }
    }
}
