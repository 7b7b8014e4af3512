import GradFlow

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
    private var items: FoldedItems?
    private var placed: [PlacementKey: PlacedGraph] = [:]
    private var placedOrder: [PlacementKey] = []
    /// Layouts kept; stepping back and forth across a chunk boundary must not relayout.
    private let cacheLimit = 12

    init(layout: @escaping LayoutFunction) {
        self.layout = layout
    }

    /// What a drawing of the pane reports back.
    struct Outcome {
        var hits: [HitRegion] = []
        var zoom: Zoom = .compact
        /// Shown in the pane's title: which part of a large graph is in view, or a fallback.
        var caption: String?
    }

    func draw(_ model: StepperModel, state: StepState, into grid: inout CellGrid, rect: Rect) -> Outcome {
        var outcome = Outcome()
        guard !rect.isEmpty, model.graph.count > 0 else { return outcome }
        let graph = model.graph
        if items?.folded != model.folded { items = FoldedItems(graph: graph, folded: model.folded) }
        let items = self.items!
        let focusItem = model.focusNode.map(items.index(of:))
        let chunk = GraphWindow.chunk(of: focusItem, itemCount: items.count)

        var zoom = model.camera.zoom ?? (chunk == nil ? .detail : .compact)
        var drawing = placement(model, state: state, items: items, chunk: chunk, zoom: zoom)
        if model.camera.zoom == nil, zoom == .detail, drawing.columns > rect.width || drawing.rows > rect.height {
            zoom = .compact
            drawing = placement(model, state: state, items: items, chunk: chunk, zoom: zoom)
        }
        outcome.zoom = zoom
        outcome.caption = drawing.fallbackReason
        if chunk != nil, let first = drawing.window.members.first, let last = drawing.window.members.last {
            let firstNode = items.nodes(of: items.item(first), in: graph).lowerBound
            let lastNode = items.nodes(of: items.item(last), in: graph).upperBound - 1
            outcome.caption = "nodes \(graph.label(of: firstNode))…\(graph.label(of: lastNode)) of \(graph.count)"
        }

        let origin = cameraOrigin(drawing, focusItem: focusItem, camera: model.camera, rect: rect)
        drawEdges(drawing, model: model, items: items, origin: origin, into: &grid, clip: rect)
        for (position, card) in drawing.cards.enumerated() {
            let box = drawing.boxes[position].offsetBy(columns: origin.column, rows: origin.row)
            guard !box.intersection(rect).isEmpty else { continue }
            card.draw(into: &grid, rect: box, clip: rect, zoom: zoom, state: state,
                      isCurrent: card.contains(state.current, items: items, graph: graph),
                      isPartner: card.contains(state.partner, items: items, graph: graph))
            outcome.hits.append(HitRegion(rect: box.intersection(rect), node: card.representative))
        }
        return outcome
    }

    /// Where world cell (0, 0) lands on screen: centred when the drawing fits, else following
    /// the focus item; then moved by the user's panning.
    private func cameraOrigin(_ drawing: PlacedGraph, focusItem: Int?, camera: Camera, rect: Rect) -> CellPoint {
        func axis(size: Int, pane: Int, focusCentre: Int?) -> Int {
            if size <= pane { return (pane - size) / 2 }
            guard let focusCentre else { return 0 }
            // Keep the focus in the middle, but never show empty space past either end.
            return min(0, max(pane - size, pane / 2 - focusCentre))
        }
        var focusBox: Rect?
        if let focusItem, let position = binarySearch(drawing.window.members, focusItem) {
            focusBox = drawing.boxes[position]
        }
        let column = axis(size: drawing.columns, pane: rect.width, focusCentre: focusBox.map { $0.column + $0.width / 2 })
        let row = axis(size: drawing.rows, pane: rect.height, focusCentre: focusBox.map { $0.row + $0.height / 2 })
        return CellPoint(column: rect.column + column - camera.columnOffset, row: rect.row + row - camera.rowOffset)
    }

    private func drawEdges(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems, origin: CellPoint,
                           into grid: inout CellGrid, clip: Rect) {
        for (cell, sides) in drawing.lines {
            grid.set(EdgeRouting.glyph(for: sides, charset: grid.charset), column: cell.column + origin.column,
                     row: cell.row + origin.row, role: .edge, clip: clip)
        }
        let active = activeEdges(drawing, model: model, items: items)
        for (index, arrowhead) in drawing.arrowheads.enumerated() {
            guard let arrowhead else { continue }
            grid.set(EdgeRouting.arrowhead(arrowhead.direction, charset: grid.charset),
                     column: arrowhead.cell.column + origin.column, row: arrowhead.cell.row + origin.row,
                     role: active.contains(index) ? .activeEdge : .edge, clip: clip)
        }
        for index in active {
            for cell in drawing.edgeCells[index] where clip.contains(column: cell.column + origin.column, row: cell.row + origin.row) {
                grid.setRole(.activeEdge, column: cell.column + origin.column, row: cell.row + origin.row)
            }
        }
    }

    /// The edges the current step runs along: into the evaluated node, or the contribution's.
    private func activeEdges(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems) -> [Int] {
        let members = drawing.window.members
        func position(_ node: NodeID) -> Int? { binarySearch(members, items.index(of: node)) }
        switch model.currentStep {
        case .evaluate(let evaluation)?:
            guard let consumer = position(evaluation.node) else { return [] }
            let operands = Set(model.graph.operands(of: evaluation.node).compactMap(position))
            return drawing.window.edges.indices.filter {
                drawing.window.edges[$0].to == consumer && operands.contains(drawing.window.edges[$0].from)
            }
        case .contribute(let contribution)?:
            guard let from = position(contribution.to), let to = position(contribution.from) else { return [] }
            return drawing.window.edges.indices.filter { drawing.window.edges[$0] == (from, to) }
        default:
            return []
        }
    }

    /// The layout of one window at one zoom, from the cache or made now.
    private func placement(_ model: StepperModel, state: StepState, items: FoldedItems, chunk: Int?, zoom: Zoom) -> PlacedGraph {
        let key = PlacementKey(folded: model.folded.sorted(), chunk: chunk, zoom: zoom,
                               precision: "\(model.precision)", mode: "\(model.timeline.mode)",
                               charset: model.charset)
        if let cached = placed[key] { return cached }
        let window = GraphWindow(graph: model.graph, items: items, chunk: chunk)
        let drawing = PlacedGraph(window: window, items: items, zoom: zoom, state: state, layout: layout)
        placed[key] = drawing
        placedOrder.append(key)
        if placedOrder.count > cacheLimit { placed[placedOrder.removeFirst()] = nil }
        return drawing
    }
}

/// What a layout depends on.
private struct PlacementKey: Hashable {
    var folded: [Int]
    var chunk: Int?
    var zoom: Zoom
    var precision: String
    var mode: String
    var charset: Charset
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
