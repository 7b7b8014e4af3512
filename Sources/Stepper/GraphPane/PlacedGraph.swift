import GradFlow
import GraphExport

/// A laid-out window of the graph in character cells: each member's box, each edge's cells,
/// and the box-drawing sides of every cell that edges pass through.
///
/// Built once per window, zoom and number format (Graphviz is called here) and then drawn at
/// every step, so a step costs only the drawing of what is visible.
struct PlacedGraph {
    let window: GraphWindow
    let style: LayoutStyle
    var zoom: Zoom { style.zoom }
    let cards: [NodeCard]
    /// Each member's box, in world cells.
    let boxes: [Rect]
    /// The drawing's size in cells.
    let columns: Int
    let rows: Int
    /// Per window edge (same order as `window.edges`): its cells outside both boxes, and the
    /// arrowhead's cell and direction (the last cell before the consumer's box).
    let edgeCells: [[CellPoint]]
    let arrowheads: [(cell: CellPoint, direction: Direction)?]
    /// Where lines run, merged over all edges: per row, the cells in column order, so that a
    /// frame visits only the rows and columns in view.
    let lineRows: [Int: [(column: Int, sides: Sides)]]
    /// Why Graphviz's layout was not used, if it was not.
    let fallbackReason: String?
    /// The fallback reason while Graphviz is only slow: the pane says nothing about it (the
    /// built-in layout stands in until Graphviz's arrives).
    static let layoutDeferred = "Graphviz is still laying the graph out"

    /// What the pane's title says about the layout: why Graphviz's is not used, unless it is
    /// only late.
    var layoutCaption: String? { fallbackReason == Self.layoutDeferred ? nil : fallbackReason }
    /// The untangler's work over all bands, and the edges it left as routed when its budget ran out.
    let untanglerWork: Int
    let untangledEdgesLeft: Int
    /// How many edges turn back on themselves in a little loop (`╰─╯`): a drawing without any
    /// is preferred (see ``EdgeUntangler/hooks(_:from:to:)``).
    let hookedEdges: Int
    /// How many edges the untangler found no free way for (drawn over others' lines).
    let tangledEdges: Int
    /// Whether every edge can be followed: none loops back, none runs over another.
    var isClean: Bool { hookedEdges == 0 && tangledEdges == 0 }

    /// Whether the whole drawing fits `pane` and every edge in it can be followed.
    func fitsWhole(in pane: Rect) -> Bool { columns <= pane.width && rows <= pane.height && isClean }

    /// Lays out `window` with `layout`, falling back to ``LayeredLayout`` if it throws.
    ///
    /// - Parameter sizes: each box's size at the style's zoom, if known (the graph pane keeps them).
    /// - Parameter untanglerBudget: the untangler's work for each band (see ``EdgeUntangler/workBudget``).
    init(window: GraphWindow, items: FoldedItems, style: LayoutStyle, state: StepState, layout: LayoutFunction,
         sizes known: [(columns: Int, rows: Int)]? = nil, untanglerBudget: Int = EdgeUntangler.workBudget) {
        self.window = window
        self.style = style
        cards = Self.cards(of: window, items: items, state: state)
        let sizes = known ?? cards.map { $0.size(zoom: style.zoom, state: state) }
        var boxes = sizes.map { Rect(column: 0, row: 0, width: $0.columns, height: $0.rows) }
        var edgeCells = [[CellPoint]](repeating: [], count: window.edges.count)
        var arrowheads = [(cell: CellPoint, direction: Direction)?](repeating: nil, count: window.edges.count)
        var reason: String?
        var work = 0, left = 0, tangled = 0
        // Each band is laid out and routed on its own, then put under the band before it.
        var top = 0
        for band in 0...(window.bandOfBox.max() ?? 0) {
            let members = window.bandOfBox.indices.filter { window.bandOfBox[$0] == band }
            guard !members.isEmpty else { continue }
            let edges = window.edges.indices.filter {
                window.bandOfBox[window.edges[$0].to] == band && window.bandOfBox[window.edges[$0].from] == band
            }
            let part = Self.place(members: members, edges: edges, window: window, sizes: sizes, style: style, layout: layout,
                                  untanglerBudget: untanglerBudget)
            reason = reason ?? part.fallbackReason
            work += part.untangled.work
            left += part.untangled.unchecked
            tangled += part.untangled.tangled
            let partRows = max(part.boxes.map(\.bottom).max() ?? 0, (part.edgeCells.joined().map(\.row).max() ?? -1) + 1)
            for (local, box) in members.enumerated() { boxes[box] = part.boxes[local].offsetBy(columns: 0, rows: top) }
            for (local, edge) in edges.enumerated() {
                edgeCells[edge] = part.edgeCells[local].map { CellPoint(column: $0.column, row: $0.row + top) }
                arrowheads[edge] = part.arrowheads[local].map { (CellPoint(column: $0.cell.column, row: $0.cell.row + top), $0.direction) }
            }
            top += partRows + 1
        }
        fallbackReason = reason
        untanglerWork = work
        untangledEdgesLeft = left
        tangledEdges = tangled
        self.boxes = boxes
        columns = max(boxes.map(\.right).max() ?? 0, (edgeCells.joined().map(\.column).max() ?? -1) + 1)
        rows = max(boxes.map(\.bottom).max() ?? 0, (edgeCells.joined().map(\.row).max() ?? -1) + 1)
        hookedEdges = window.edges.indices.count {
            EdgeUntangler.hooks(edgeCells[$0], from: boxes[window.edges[$0].from], to: boxes[window.edges[$0].to])
        }
        var lines: [CellPoint: Sides] = [:]
        for (index, edge) in window.edges.enumerated() {
            for (cell, sides) in RoutedEdge.sides(of: edgeCells[index], from: boxes[edge.from], to: boxes[edge.to]) {
                lines[cell, default: []].formUnion(sides)
            }
        }
        self.edgeCells = edgeCells
        self.arrowheads = arrowheads
        var lineRows: [Int: [(column: Int, sides: Sides)]] = [:]
        for (cell, sides) in lines { lineRows[cell.row, default: []].append((cell.column, sides)) }
        for row in lineRows.keys { lineRows[row]!.sort { $0.column < $1.column } }
        self.lineRows = lineRows
    }

    /// The box of every window box (members, then proxies).
    static func cards(of window: GraphWindow, items: FoldedItems, state: StepState) -> [NodeCard] {
        window.boxItems.map { NodeCard(item: items.item($0), items: items, graph: state.graph, format: state.notation.format) }
    }

    /// Lays out and routes the boxes `members` (window box positions) and the window edges
    /// `edges` among them; the result is in their order, moved to start at cell (0, 0).
    private static func place(members: [Int], edges: [Int], window: GraphWindow, sizes: [(columns: Int, rows: Int)],
                              style: LayoutStyle, layout: LayoutFunction, untanglerBudget: Int)
        -> (boxes: [Rect], edgeCells: [[CellPoint]], arrowheads: [(cell: CellPoint, direction: Direction)?],
            fallbackReason: String?, untangled: (work: Int, unchecked: Int, tangled: Int))
    {
        var local = [Int: Int]()
        for (index, box) in members.enumerated() { local[box] = index }
        let localEdges = edges.map { (from: local[window.edges[$0].from]!, to: local[window.edges[$0].to]!) }
        // The step's edges from items added only for it are routed around the layout, not laid out.
        let laidOut = edges.indices.filter { !window.isStepOnly(window.edges[edges[$0]]) }
        let layoutEdges = laidOut.map { localEdges[$0] }
        let laidOutSet = Set(laidOut)
        var incoming = [Int](repeating: 0, count: members.count)
        for edge in localEdges { incoming[edge.to] += 1 }
        let localSizes = members.indices.map {
            Self.widened(sizes[members[$0]], incoming: incoming[$0], direction: style.direction)
        }
        // One-line boxes are laid out a row taller than drawn, unless packed tight: the spare
        // half row above and below keeps the edges of neighbouring boxes apart.
        let padding = style.zoom != .detail && !style.tight ? 1 : 0
        let request = LayoutRequest(
            sizes: localSizes.map { LayoutRequest.Size(width: Double($0.columns) * EdgeRouting.inchesPerColumn,
                                                       height: Double($0.rows + padding) * EdgeRouting.inchesPerRow) },
            edges: layoutEdges.map { LayoutRequest.Edge(from: $0.from, to: $0.to) },
            direction: style.direction,
            nodeSeparation: style.nodeSeparation, rankSeparation: style.rankSeparation)
        var drawing: GraphLayout
        var reason: String?
        do {
            drawing = try layout(request)
        } catch is LayoutDeferred {
            // Graphviz goes on in the background and its drawing replaces this one when done.
            drawing = LayeredLayout.layout(request)
            reason = Self.layoutDeferred
        } catch {
            drawing = LayeredLayout.layout(request)
            reason = "built-in layout (Graphviz failed: \(error))"
        }
        var boxes = localSizes.map { Rect(column: 0, row: 0, width: $0.columns, height: $0.rows) }
        // How far snapping each box to whole cells moved it; its edges move along.
        var shifts = [(columns: Double, rows: Double)](repeating: (0, 0), count: localSizes.count)
        for box in drawing.nodes where boxes.indices.contains(box.node) {
            let size = localSizes[box.node]
            let left = box.x / EdgeRouting.inchesPerColumn - Double(size.columns) / 2
            let top = (drawing.height - box.y) / EdgeRouting.inchesPerRow - Double(size.rows) / 2
            boxes[box.node] = Rect(column: Int(left.rounded()), row: Int(top.rounded()),
                                   width: size.columns, height: size.rows)
            shifts[box.node] = (left.rounded() - left, top.rounded() - top)
        }
        boxes = Self.besidePartners(boxes, stepEdges: localEdges.indices.filter { !laidOutSet.contains($0) }.map { localEdges[$0] },
                                    laidOut: layoutEdges)
        // Graphviz lists edges in its own order; match them to the window's by their ends.
        var pathByEnds: [Int: [GraphLayout.Point]] = [:]
        let boxCount = max(1, localSizes.count)
        for edge in drawing.edges { pathByEnds[edge.from * boxCount + edge.to] = edge.points }
        let splines = layoutEdges.map { edge in
            EdgeRouting.cells(of: pathByEnds[edge.from * boxCount + edge.to] ?? [], height: drawing.height,
                              startShift: shifts[edge.from], endShift: shifts[edge.to])
        }
        // Graphviz places the boxes; the edges are routed in cells, one track each.
        // The plain fallback layout always runs left to right.
        let routing = ChannelRouter.route(boxes: boxes, edges: layoutEdges, hints: splines,
                                          direction: reason == nil ? style.direction : .leftToRight,
                                          alsoEntering: localEdges.indices.filter { !laidOutSet.contains($0) }.map { localEdges[$0].to })
        boxes = routing.boxes
        var edgeCells = [[CellPoint]](repeating: [], count: localEdges.count)
        var arrowheads = [(cell: CellPoint, direction: Direction)?](repeating: nil, count: localEdges.count)
        for (position, index) in laidOut.enumerated() {
            let edge = localEdges[index]
            if routing.routed[position] {
                edgeCells[index] = routing.cells[position]
                arrowheads[index] = routing.arrowheads[position]
            } else {
                let routed = RoutedEdge(splines[position], from: boxes[edge.from], to: boxes[edge.to], clearance: padding)
                edgeCells[index] = routed.cells
                arrowheads[index] = routed.arrowhead
            }
        }
        // Edges that would run along, or turn into, another's line are routed again through free cells.
        let untangled = EdgeUntangler.untangle(boxes: boxes, edges: localEdges, cells: edgeCells,
                                               direction: reason == nil ? style.direction : .leftToRight,
                                               budget: untanglerBudget)
        (edgeCells, arrowheads) = (untangled.cells, untangled.arrowheads)
        // Everything moved so that the drawing starts at cell (0, 0).
        let allCells = edgeCells.joined()
        let minColumn = min(boxes.map(\.column).min() ?? 0, allCells.map(\.column).min() ?? 0)
        let minRow = min(boxes.map(\.row).min() ?? 0, allCells.map(\.row).min() ?? 0)
        boxes = boxes.map { $0.offsetBy(columns: -minColumn, rows: -minRow) }
        edgeCells = edgeCells.map { $0.map { CellPoint(column: $0.column - minColumn, row: $0.row - minRow) } }
        arrowheads = arrowheads.map { head in
            head.map { (CellPoint(column: $0.cell.column - minColumn, row: $0.cell.row - minRow), $0.direction) }
        }
        return (boxes, edgeCells, arrowheads, reason, (untangled.work, untangled.unchecked, untangled.tangled))
    }
}

extension PlacedGraph {
    /// The widest a box is made for its incoming edges: past it, edges share an entry again
    /// (a window holds few edges into one box, see ``EdgeBudget``, but never a box wider than
    /// an 80-column pane can show whole).
    static let widestForEntries = 40

    /// A box read by more edges than its side can take one by one, widened so that each comes
    /// in through a cell of its own (a 16-term `mean` piled 14 edges onto one arrowhead).
    ///
    /// Left to right, the edges a side cannot take go in from above and below, two columns
    /// apart (see ``ChannelRouter``); top to bottom, the side is the box's top, one edge per
    /// column between its corners.
    static func widened(_ size: (columns: Int, rows: Int), incoming: Int,
                        direction: RankDirection) -> (columns: Int, rows: Int) {
        // The router's view: the side along the rank, and the columns (rows) across it.
        let (along, across) = direction == .leftToRight ? (size.rows, size.columns) : (size.columns, size.rows)
        let side = along >= 3 ? along - 2 : along
        let capacity = side + 2 * (across <= 2 ? 1 : max(1, (across - 1) / 2))
        guard incoming > capacity else { return size }
        let wanted = direction == .leftToRight ? 2 * ((incoming - side + 1) / 2) + 1 : incoming + 2
        return (max(size.columns, min(wanted, widestForEntries)), size.rows)
    }

    /// The boxes, with each box added only for the step (no laid-out edge: Graphviz put it
    /// anywhere in its rank, at 80×24 thirteen rows from its partner) moved along its column to
    /// the free row nearest its partner's, so that the step's edge between them stays short.
    static func besidePartners(_ boxes: [Rect], stepEdges: [(from: Int, to: Int)], laidOut: [(from: Int, to: Int)]) -> [Rect] {
        guard !stepEdges.isEmpty else { return boxes }
        var boxes = boxes
        var wired = Set<Int>()
        for edge in laidOut { wired.insert(edge.from); wired.insert(edge.to) }
        let span = boxes.reduce(0) { max($0, $1.bottom) } - boxes.reduce(0) { min($0, $1.row) }
        for edge in stepEdges {
            let (moving, partner) = wired.contains(edge.from) ? (edge.to, edge.from) : (edge.from, edge.to)
            guard !wired.contains(moving), wired.insert(moving).inserted else { continue }
            let box = boxes[moving], target = boxes[partner].row + boxes[partner].height / 2 - box.height / 2
            // A row of room on every side, so that edges still pass between it and its neighbours.
            func free(_ row: Int) -> Bool {
                let room = Rect(column: box.column - 1, row: row - 1, width: box.width + 2, height: box.height + 2)
                return boxes.indices.allSatisfy { $0 == moving || boxes[$0].intersection(room).isEmpty }
            }
            for distance in 0...(span + 2) {
                if let row = [target - distance, target + distance].first(where: free) {
                    boxes[moving].row = row
                    break
                }
            }
        }
        return boxes
    }
}

/// Lays out boxes of given sizes (inches) and the edges among them; box `i` comes back as node `i`.
/// A pure function of its argument, so it may run on any thread.
typealias LayoutFunction = @Sendable (LayoutRequest) throws -> GraphLayout

/// How a window is laid out: how much each box shows, which way the graph flows, how tightly
/// boxes are packed. The graph pane tries a few and keeps the most detailed one that fits.
struct LayoutStyle: Hashable, Sendable {
    var zoom: Zoom
    var direction: RankDirection = .leftToRight
    /// Packed: one-line boxes on neighbouring rows, ranks a few cells apart.
    var tight = false
    /// Leaves read by many nodes drawn beside each reader (proxies) instead of wired to all.
    var proxies = false
    /// Bands a deep graph is cut into, one under the other (1: not cut). See ``Bands``.
    var bands = 1

    var nodeSeparation: Double? {
        guard tight else { return nil }
        return direction == .leftToRight ? 0.05 : 0.15
    }

    var rankSeparation: Double? {
        guard tight else { return nil }
        // Left to right: four columns between ranks; top to bottom: two rows.
        return direction == .leftToRight ? 0.4 : 0.4
    }
}
