import GradFlow
import GraphExport

/// A region of the screen that a click inspects.
public struct HitRegion: Sendable, Equatable {
    public var rect: Rect
    public var node: NodeID
}

/// Draws the graph pane: lays out (and remembers) windows of the graph, places the camera, and
/// draws edges and boxes as they stand at the current step.
///
/// Layouts are the expensive part (Graphviz runs in-process), so they are cached by everything
/// that changes them: folds, the window, the zoom, the number format, the mode. Drawing a step
/// costs O(visible boxes + edge cells).
final class GraphPane {
    private let layout: LayoutFunction
    private(set) var items: FoldedItems?
    /// The graph's runs of same-shaped groups, found once (keyed by the graph's size).
    private var runs: (nodes: Int, runs: RepeatedRuns)?
    private var placed: [PlacementKey: PlacedGraph] = [:]
    private var placedOrder: [PlacementKey] = []
    /// The rows the pane wants, per graph, zoom and screen (see ``graphRows(_:state:standard:tallest:)``).
    var wantedRows: [WantedRowsKey: Int] = [:]
    private var plans: [PlacementKey: Plan] = [:]
    private var windows: [PlacementKey: GraphWindow] = [:]
    /// Box sizes by item and zoom. A box's size comes from its item's final values, so every
    /// window and style shares them (a `sum` of 30,000 terms formats 64 adjoints to size one
    /// box); kept while the number format, mode, characters and folds stay the same.
    private var boxSizes: [Int: (columns: Int, rows: Int)] = [:]
    private var boxSizesKey: PlacementKey?
    /// Boxes measured so far (a size computed, not found): tests count them.
    private(set) var boxesMeasured = 0
    /// The operands of the node the step evaluates, as items (see ``StepOperandItems``).
    var operandCache: (node: NodeID, folded: Set<Int>, opening: Set<Int>, graphCount: Int, operands: StepOperandItems)?
    /// Layouts made so far (each a Graphviz call, routing and untangling): tests count them.
    private(set) var layoutsMade = 0
    /// The untangler's work over all layouts made so far (``EdgeUntangler/workBudget``): tests count it.
    private(set) var untanglerWork = 0
    /// The layout of the frame drawn last, and what it was drawn for (see ``keptLayout``).
    var shown: ShownLayout?
    /// Layouts kept (a few styles per window); stepping back and forth across a chunk boundary
    /// must not relayout.
    private let cacheLimit = 40

    init(layout: @escaping LayoutFunction) {
        self.layout = layout
    }

    /// What a drawing of the pane reports back.
    struct Outcome {
        var hits: [HitRegion] = []
        var zoom: Zoom = .compact
        /// Shown in the pane's title: which part of a large graph is in view, or a fallback.
        var caption: String?
        /// How many boxes lie beyond each side of the pane (`◀ 3 ▲ 2`), if any.
        var offscreen: String?
        /// The step's edge and its local derivative, for the title when no cell beside the edge
        /// was free for it.
        var stepLabel: String?
        /// What was drawn where, for tests that read the screen as a user would.
        var drawn = DrawnGraph()
    }

    func draw(_ model: StepperModel, state: StepState, into grid: inout CellGrid, rect: Rect) -> Outcome {
        var outcome = Outcome()
        guard !rect.isEmpty, model.graph.count > 0 else { return outcome }
        let graph = model.graph
        // The iterations the step is in stay open between the boxes of their folded run.
        let items = currentItems(model)
        let focusItem = model.focusNode.map(items.index(of:))
        // The layout of the frame before, where it still shows the step: the picture does not
        // jump for one step (see ``keptLayout``).
        let (chunk, chunkSize, drawing) = keptLayout(model, state: state, items: items, focusItem: focusItem, pane: rect)
            ?? chosenLayout(model, state: state, items: items, focusItem: focusItem, pane: rect)
        remember(LayoutChoice(style: drawing.style, chunk: chunk, chunkSize: chunkSize,
                              folded: items.folded.sorted(), opening: items.opening.sorted()),
                 model: model, items: items, pane: rect)
        let zoom = drawing.zoom
        outcome.zoom = zoom
        outcome.drawn.layout = shown?.choice
        outcome.caption = drawing.layoutCaption
        if let chunk {
            let first = chunk * chunkSize, last = min(first + chunkSize, items.count) - 1
            let firstNode = items.nodes(of: items.item(first), in: graph).lowerBound
            let lastNode = items.nodes(of: items.item(last), in: graph).upperBound - 1
            outcome.caption = "nodes \(graph.label(of: firstNode))…\(graph.label(of: lastNode)) of \(graph.count)"
        }
        if drawing.window.omittedEdges > 0 {
            let omitted = "\(drawing.window.omittedEdges) of \(drawing.window.omittedEdges + drawing.window.edges.count) edges not drawn"
            // First: a long fallback reason would push it out of the title.
            outcome.caption = [omitted, outcome.caption].compactMap { $0 }.joined(separator: " · ")
        }

        let focus = focusPositions(drawing, model: model, items: items)
        let stepEdge = stepEdgeArea(drawing, model: model, items: items)
        let origin = cameraOrigin(drawing, focus: focus, stepEdge: stepEdge, camera: model.camera, rect: rect)
        // Only whole boxes are drawn; the others are counted at the pane's edges.
        var hidden = Set<Int>()
        for (position, box) in drawing.boxes.enumerated() {
            let screen = box.offsetBy(columns: origin.column, rows: origin.row)
            if screen.intersection(rect) != screen { hidden.insert(position) }
        }
        drawEdges(drawing, model: model, items: items, origin: origin, hidden: hidden, into: &grid, clip: rect)
        for (position, card) in drawing.cards.enumerated() where !hidden.contains(position) {
            let box = drawing.boxes[position].offsetBy(columns: origin.column, rows: origin.row)
            card.draw(into: &grid, rect: box, clip: rect, zoom: zoom, state: state,
                      isCurrent: card.contains(state.current, items: items, graph: graph),
                      isPartner: card.contains(state.partner, items: items, graph: graph))
            outcome.hits.append(HitRegion(rect: box, node: card.representative))
            outcome.drawn.boxes.append(DrawnGraph.Box(nodes: items.nodes(of: card.item, in: graph), rect: box,
                                                      band: drawing.window.bandOfBox[position]))
        }
        outcome.stepLabel = drawLocalDerivative(drawing, model: model, items: items, origin: origin,
                                                notation: state.notation, into: &grid, clip: rect)
        outcome.offscreen = offscreenSummary(drawing, origin: origin, hidden: hidden, rect: rect, charset: grid.charset)
        outcome.drawn.edges = drawing.window.edges.indices.map { index in
            let edge = drawing.window.edges[index]
            return DrawnGraph.Edge(
                from: items.nodes(of: drawing.cards[edge.from].item, in: graph),
                to: items.nodes(of: drawing.cards[edge.to].item, in: graph),
                cells: drawing.edgeCells[index].map { CellPoint(column: $0.column + origin.column, row: $0.row + origin.row) },
                target: hidden.contains(edge.to) ? nil : drawing.boxes[edge.to].offsetBy(columns: origin.column, rows: origin.row))
        }
        return outcome
    }

    /// The items drawn at the model's step: the graph's nodes, with folded runs as one box
    /// each except for the iterations the step is in, which stay open.
    func currentItems(_ model: StepperModel) -> FoldedItems {
        let graph = model.graph
        var opening = Set<Int>()
        if !model.folded.isEmpty {
            if runs?.nodes != graph.count { runs = (graph.count, RepeatedRuns(graph: graph)) }
            opening = FoldPlan.groups(holding: stepNodes(model), inRunsOf: model.folded, graph: graph, runs: runs!.runs)
        }
        if items?.folded != model.folded || items?.opening != opening {
            items = FoldedItems(graph: graph, folded: model.folded, opening: opening, runs: runs?.runs)
        }
        return items!
    }

    private func drawEdges(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems, origin: CellPoint,
                           hidden: Set<Int>, into grid: inout CellGrid, clip: Rect) {
        for row in clip.row..<clip.bottom {
            guard let cells = drawing.lineRows[row - origin.row] else { continue }
            // The first cell at or right of the clip's left edge, by binary search.
            var low = 0, high = cells.count
            while low < high {
                let middle = (low + high) / 2
                if cells[middle].column + origin.column < clip.column { low = middle + 1 } else { high = middle }
            }
            for index in low..<cells.count {
                let column = cells[index].column + origin.column
                if column >= clip.right { break }
                grid.set(EdgeRouting.glyph(for: cells[index].sides, charset: grid.charset), column: column, row: row,
                         role: .edge, clip: clip)
            }
        }
        Self.drawGradientBarriers(drawing, graph: model.timeline.graph, items: items, origin: origin, into: &grid, clip: clip)
        let active = activeEdges(drawing, model: model, items: items)
        for (index, arrowhead) in drawing.arrowheads.enumerated() {
            guard let arrowhead else { continue }
            grid.set(EdgeRouting.arrowhead(arrowhead.direction, charset: grid.charset),
                     column: arrowhead.cell.column + origin.column, row: arrowhead.cell.row + origin.row,
                     role: active.laidOut.contains(index) ? .activeEdge : .edge, clip: clip)
        }
        for index in active.laidOut {
            for cell in drawing.edgeCells[index] where clip.contains(column: cell.column + origin.column, row: cell.row + origin.row) {
                grid.setRole(.activeEdge, column: cell.column + origin.column, row: cell.row + origin.row)
            }
        }
        // A step's edge that the layout left out (from an operand far back): drawn straight.
        for (from, to) in active.extra {
            let source = drawing.boxes[from], target = drawing.boxes[to]
            let start = RoutedEdge.centre(of: source), end = RoutedEdge.centre(of: target)
            // Along the operand's row, then straight up or down into the consumer, so as not to
            // run over the edges between the boxes of the consumer's row.
            let lane = start.row == end.row ? target.bottom + 1 : start.row
            var path = [start]
            RoutedEdge.connect(from: start, to: CellPoint(column: start.column, row: lane), verticalFirst: true, into: &path)
            RoutedEdge.connect(from: path.last!, to: CellPoint(column: end.column, row: lane), verticalFirst: false, into: &path)
            RoutedEdge.connect(from: path.last!, to: end, verticalFirst: true, into: &path)
            let routed = RoutedEdge(path, from: source, to: target)
            for (cell, sides) in routed.sides {
                grid.set(EdgeRouting.glyph(for: sides, charset: grid.charset), column: cell.column + origin.column,
                         row: cell.row + origin.row, role: .activeEdge, clip: clip)
            }
            if let arrowhead = routed.arrowhead {
                grid.set(EdgeRouting.arrowhead(arrowhead.direction, charset: grid.charset),
                         column: arrowhead.cell.column + origin.column, row: arrowhead.cell.row + origin.row,
                         role: .activeEdge, clip: clip)
            }
        }
    }

    /// The edges the current step runs along (into the evaluated node, or the contribution's),
    /// as indices of laid-out edges, and as member pairs for those the layout left out.
    func activeEdges(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems)
        -> (laidOut: [Int], extra: [(Int, Int)])
    {
        let window = drawing.window
        func position(_ node: NodeID, consumer: Int? = nil) -> Int? { window.position(of: items.index(of: node), consumer: consumer) }
        var pairs: [(Int, Int)] = []
        switch model.currentStep {
        case .evaluate(let evaluation)?:
            guard let consumer = position(evaluation.node) else { break }
            for operand in operandPositions(drawing, model: model, items: items, consumer: consumer) where operand != consumer {
                pairs.append((operand, consumer))
            }
        case .contribute(let contribution)?:
            if let to = position(contribution.from), let from = position(contribution.to, consumer: to), from != to {
                pairs.append((from, to))
            }
        default:
            break
        }
        var laidOut: [Int] = [], extra: [(Int, Int)] = []
        for pair in pairs {
            if let index = drawing.window.edges.firstIndex(where: { $0.from == pair.0 && $0.to == pair.1 }) {
                laidOut.append(index)
            } else {
                extra.append(pair)
            }
        }
        return (laidOut, extra)
    }

    /// The items of the step that lie outside `chunk`: added to its window. Of the operands
    /// outside, only the nearest few: `sum` of 30,000 terms would otherwise put 30,000 boxes,
    /// and as many edges, into one window.
    func windowStepItems(_ model: StepperModel, items: FoldedItems, chunk: Int, chunkSize: Int) -> [Int] {
        func outside(_ item: Int) -> Bool { item / chunkSize != chunk }
        return stepNodes(model).map(items.index(of:)).filter(outside)
            + (stepOperandItems(model, items: items)?.items ?? []).filter(outside).suffix(Self.stepOperandLimit)
    }

    /// The nodes the current step is about: its node, the consumer passing back, the inspected node.
    private func stepNodes(_ model: StepperModel) -> [NodeID] {
        [model.currentNode, model.partnerNode, model.inspected].compactMap { $0 }
    }

    /// The most operands of an evaluated node that a window adds from outside its chunk.
    static let stepOperandLimit = 8

    /// A style's window before it is laid out: what the layout will hold, the least size its
    /// drawing can have, and how much work laying it out is.
    struct Plan {
        /// The style as laid out: without bands when the window is not cut into any.
        var style: LayoutStyle
        /// The window, within the edge budget.
        var window: GraphWindow
        /// Each box's size at the style's zoom.
        var sizes: [(columns: Int, rows: Int)]
        var bound: DrawingBound
        /// Gap crossings of its edges (``EdgeBudget``): the long edges Graphviz turns into chains
        /// of virtual nodes and the router into tracks, what a layout's cost grows with.
        var crossings: Int
    }

    /// The plan of one window in one style, from the cache or made now. Cheap: no layout.
    func plan(_ model: StepperModel, state: StepState, items: FoldedItems, chunk: Int?, chunkSize: Int,
              stepItems: [Int], style: LayoutStyle) -> Plan {
        let key = placementKey(model, items: items, chunk: chunk, chunkSize: chunkSize, stepItems: stepItems, style: style)
        if let cached = plans[key] { return cached }
        // The window depends on the style's proxies and bands, not its zoom: the styles of one
        // window share it (finding it reads every operand of the chunk: 30,000 for a wide `sum`).
        var unzoomed = style
        unzoomed.zoom = .name
        let windowKey = placementKey(model, items: items, chunk: chunk, chunkSize: chunkSize, stepItems: stepItems, style: unzoomed)
        let window = windows[windowKey] ?? GraphWindow(graph: model.graph, items: items, chunk: chunk, chunkSize: chunkSize,
                                                       stepItems: stepItems, proxyLeaves: style.proxies, bands: style.bands)
        windows[windowKey] = window
        let made: Plan
        if style.bands > 1, window.bandOfBox.allSatisfy({ $0 == 0 }) {
            // Not cut (see ``Bands``): the same drawing as without bands.
            var whole = style
            whole.bands = 1
            made = plan(model, state: state, items: items, chunk: chunk, chunkSize: chunkSize, stepItems: stepItems, style: whole)
        } else {
            let kept = window.withinEdgeBudget()
            let sizes = boxSizes(of: kept, model: model, items: items, state: state, zoom: style.zoom)
            made = Plan(style: style, window: kept, sizes: sizes, bound: DrawingBound(window: kept, sizes: sizes),
                        crossings: EdgeBudget.crossings(edges: kept.edges, memberCount: kept.members.count).reduce(0, +))
        }
        // Plans are small; a few windows' worth are kept.
        if plans.count >= 4 * cacheLimit {
            plans.removeAll()
            windows.removeAll()
        }
        plans[key] = made
        return made
    }

    /// The layout of one window in one style, from the cache or made now.
    func placement(_ model: StepperModel, state: StepState, items: FoldedItems, chunk: Int?, chunkSize: Int,
                   stepItems: [Int], style: LayoutStyle) -> PlacedGraph {
        let plan = plan(model, state: state, items: items, chunk: chunk, chunkSize: chunkSize, stepItems: stepItems, style: style)
        let key = placementKey(model, items: items, chunk: chunk, chunkSize: chunkSize, stepItems: stepItems, style: plan.style)
        if let cached = placed[key] { return cached }
        // A window of a large graph is entered at every chunk boundary while stepping, so its
        // styles (two) are untangled within one frame's time; a whole graph, laid out once, may
        // take longer.
        let drawing = PlacedGraph(window: plan.window, items: items, style: plan.style, state: state, layout: layout,
                                  sizes: plan.sizes,
                                  untanglerBudget: chunk == nil ? EdgeUntangler.workBudget : EdgeUntangler.windowWorkBudget)
        layoutsMade += 1
        untanglerWork += drawing.untanglerWork
        placed[key] = drawing
        placedOrder.append(key)
        if placedOrder.count > cacheLimit { placed[placedOrder.removeFirst()] = nil }
        return drawing
    }

    /// The size of every box of `window` at `zoom`, each item's measured once.
    private func boxSizes(of window: GraphWindow, model: StepperModel, items: FoldedItems, state: StepState,
                          zoom: Zoom) -> [(columns: Int, rows: Int)] {
        // Everything a size depends on but the item and the zoom: folds, number format, mode, characters.
        let context = placementKey(model, items: items, chunk: nil, chunkSize: 0, stepItems: [], style: LayoutStyle(zoom: .name))
        if boxSizesKey != context {
            boxSizes = [:]
            boxSizesKey = context
        }
        let zoomIndex = Zoom.allCases.firstIndex(of: zoom)!
        return window.boxItems.map { item in
            let key = item * Zoom.allCases.count + zoomIndex
            if let known = boxSizes[key] { return known }
            let size = NodeCard(item: items.item(item), items: items, graph: state.graph, format: state.notation.format)
                .size(zoom: zoom, state: state)
            boxSizes[key] = size
            boxesMeasured += 1
            return size
        }
    }

    func placementKey(_ model: StepperModel, items: FoldedItems, chunk: Int?, chunkSize: Int, stepItems: [Int],
                              style: LayoutStyle) -> PlacementKey {
        // A whole graph's layout does not depend on the chunk size (the pane's size): a pane
        // made taller for it keeps the layouts made for the standard one.
        PlacementKey(folded: model.folded.sorted(), opening: items.opening.sorted(), chunk: chunk, chunkSize: chunk == nil ? 0 : chunkSize,
                     stepItems: Set(stepItems).sorted(), style: style,
                     precision: "\(model.precision)", mode: "\(model.timeline.mode)", charset: model.charset)
    }
}

/// What a layout depends on.
struct PlacementKey: Hashable {
    var folded: [Int]
    var opening: [Int]
    var chunk: Int?
    var chunkSize: Int
    var stepItems: [Int]
    var style: LayoutStyle
    var precision: String
    var mode: String
    var charset: Charset
}

/// What the rows a graph pane wants depend on.
struct WantedRowsKey: Hashable {
    var context: PlacementKey
    var zoom: Zoom?
    var columns: Int
    var standardRows: Int
    var tallestRows: Int
}

/// The index of `value` in an ascending array, if present. O(log n).
func binarySearch(_ sorted: [Int], _ value: Int) -> Int? {
    var low = 0, high = sorted.count
    while low < high {
        let middle = (low + high) / 2
        if sorted[middle] < value { low = middle + 1 } else { high = middle }
    }
    return low < sorted.count && sorted[low] == value ? low : nil
}
