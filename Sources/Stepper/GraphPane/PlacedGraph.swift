import GradFlow
import GraphExport

/// A laid-out window of the graph in character cells: each member's box, each edge's cells,
/// and the box-drawing sides of every cell that edges pass through.
///
/// Built once per window, zoom and number format (Graphviz is called here) and then drawn at
/// every step, so a step costs only the drawing of what is visible.
struct PlacedGraph {
    let window: GraphWindow
    let zoom: Zoom
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
    /// Where lines run, merged over all edges.
    let lines: [CellPoint: Sides]
    /// Why Graphviz's layout was not used, if it was not.
    let fallbackReason: String?

    /// Lays out `window` with `layout`, falling back to ``LayeredLayout`` if it throws.
    init(window: GraphWindow, items: FoldedItems, zoom: Zoom, state: StepState, layout: LayoutFunction) {
        self.window = window
        self.zoom = zoom
        let graph = state.graph
        cards = window.members.map { NodeCard(item: items.item($0), items: items, graph: graph) }
        let sizes = cards.map { $0.size(zoom: zoom, state: state) }
        let proxy = window.proxyGraph()
        let inches: (NodeID) -> (width: Double, height: Double) = { node in
            (Double(sizes[node].columns) * EdgeRouting.inchesPerColumn, Double(sizes[node].rows) * EdgeRouting.inchesPerRow)
        }
        var drawing: GraphLayout
        var reason: String?
        do {
            drawing = try layout(proxy, inches)
        } catch {
            drawing = LayeredLayout.layout(of: proxy, nodeSize: inches)
            reason = "Graphviz could not lay the graph out (\(error)); showing a simple layout"
        }
        fallbackReason = reason
        var boxes = sizes.map { Rect(column: 0, row: 0, width: $0.columns, height: $0.rows) }
        for box in drawing.nodes where boxes.indices.contains(box.node) {
            let size = sizes[box.node]
            let centreColumn = box.x / EdgeRouting.inchesPerColumn
            let centreRow = (drawing.height - box.y) / EdgeRouting.inchesPerRow
            boxes[box.node] = Rect(column: Int((centreColumn - Double(size.columns) / 2).rounded()),
                                   row: Int((centreRow - Double(size.rows) / 2).rounded()),
                                   width: size.columns, height: size.rows)
        }
        self.boxes = boxes
        columns = max(Int((drawing.width / EdgeRouting.inchesPerColumn).rounded(.up)), boxes.map(\.right).max() ?? 0)
        rows = max(Int((drawing.height / EdgeRouting.inchesPerRow).rounded(.up)), boxes.map(\.bottom).max() ?? 0)

        // Graphviz lists edges in its own order; match them to the window's by their ends.
        var pathByEnds: [Int: [GraphLayout.Point]] = [:]
        for edge in drawing.edges { pathByEnds[edge.from * max(1, cards.count) + edge.to] = edge.points }
        var edgeCells: [[CellPoint]] = []
        var arrowheads: [(cell: CellPoint, direction: Direction)?] = []
        var lines: [CellPoint: Sides] = [:]
        for edge in window.edges {
            let points = pathByEnds[edge.from * max(1, cards.count) + edge.to] ?? []
            let routed = Self.route(EdgeRouting.cells(of: points, height: drawing.height),
                                    from: boxes[edge.from], to: boxes[edge.to])
            edgeCells.append(routed.cells)
            arrowheads.append(routed.arrowhead)
            for (cell, sides) in routed.sides { lines[cell, default: []].formUnion(sides) }
        }
        self.edgeCells = edgeCells
        self.arrowheads = arrowheads
        self.lines = lines
    }

    /// Trims a path to the cells between the two boxes and works out each cell's sides.
    static func route(_ path: [CellPoint], from source: Rect, to target: Rect)
        -> (cells: [CellPoint], sides: [(CellPoint, Sides)], arrowhead: (cell: CellPoint, direction: Direction)?)
    {
        func inside(_ cell: CellPoint, _ rect: Rect) -> Bool { rect.contains(column: cell.column, row: cell.row) }
        let start = (path.lastIndex { inside($0, source) }).map { $0 + 1 } ?? 0
        guard start < path.count else { return ([], [], nil) }
        let end = path[start...].firstIndex { inside($0, target) } ?? path.count
        guard start < end else { return ([], [], nil) }
        var cells: [CellPoint] = []
        var sides: [(CellPoint, Sides)] = []
        for index in start..<end {
            var cellSides: Sides = []
            if index > 0 { cellSides.insert(path[index].side(towards: path[index - 1])) }
            if index + 1 < path.count { cellSides.insert(path[index].side(towards: path[index + 1])) }
            cells.append(path[index])
            sides.append((path[index], cellSides))
        }
        let last = path[end - 1]
        let direction: Direction
        if end < path.count {
            direction = last.side(towards: path[end]).direction
        } else if end - 1 > start {
            direction = path[end - 2].side(towards: last).direction
        } else {
            direction = .right
        }
        return (cells, sides, (last, direction))
    }
}

/// Lays out a graph: node boxes of the given sizes in inches, edges among them.
typealias LayoutFunction = (Graph, (NodeID) -> (width: Double, height: Double)) throws -> GraphLayout
