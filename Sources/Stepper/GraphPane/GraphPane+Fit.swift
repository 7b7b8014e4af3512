import GradFlow
import Foundation
import GraphExport

/// What the graph pane drew, in screen cells: read by the tests that check every step of every
/// scene as a user would (whole boxes, the step's edge in view, no edges merged).
struct DrawnGraph: Sendable {
    struct Box: Sendable {
        /// The nodes the box stands for (one, or a folded group's).
        var nodes: Range<NodeID>
        /// Where it is drawn, whole.
        var rect: Rect
        /// The band it is drawn in (0 unless the graph is cut into bands, see ``Bands``).
        var band = 0
    }

    struct Edge: Sendable {
        var from: Range<NodeID>
        var to: Range<NodeID>
        /// Its cells on screen (some may lie outside the pane).
        var cells: [CellPoint]
        /// Where its consumer's box is drawn (nil: not drawn, as it lies partly outside the pane).
        var target: Rect?
    }

    var boxes: [Box] = []
    var edges: [Edge] = []
    /// Which layout the boxes come from (nil: nothing drawn).
    var layout: LayoutChoice?

    /// The drawn box that shows `node`, if any.
    func box(showing node: NodeID) -> Box? { boxes.first { $0.nodes.contains(node) } }
}

/// A layout the graph pane can show: a style of the whole graph or of one window of it. Two
/// frames with the same choice draw the graph's boxes in the same places.
struct LayoutChoice: Hashable, Sendable {
    var style: LayoutStyle
    /// The window's chunk (nil: the whole graph) and its size in items.
    var chunk: Int?
    var chunkSize: Int
    /// The folded groups, and the iterations of folded runs left open (sorted).
    var folded: [Int]
    var opening: [Int]
}

extension GraphPane {
    /// The styles tried, most detailed first: the first whose drawing fits the pane is shown.
    static func candidateStyles(zoom: Zoom?, wholeGraph: Bool) -> [LayoutStyle] {
        // A window of a large graph never fits whole, and entering a new one must stay within a
        // frame: two packed left-to-right layouts, not all eight.
        guard wholeGraph else {
            return (zoom.map { [$0] } ?? [.compact, .name]).map { LayoutStyle(zoom: $0, direction: .leftToRight, tight: true) }
        }
        let zooms: [Zoom] = zoom.map { [$0] } ?? [.detail, .compact, .name]
        var styles: [LayoutStyle] = []
        // Every way of fitting one zoom is tried before the next, less detailed, zoom: a folded
        // loop at 200×50 was drawn with names only though its values fit in two bands.
        for zoom in zooms {
            for tight in zoom == .detail ? [false] : [false, true] {
                for direction in [RankDirection.leftToRight, .topToBottom] {
                    styles.append(LayoutStyle(zoom: zoom, direction: direction, tight: tight))
                }
            }
            guard zoom != .detail || zooms.count == 1 else { continue }
            // For a graph that fits no other way: leaves read by many drawn as proxies.
            for direction in [RankDirection.leftToRight, .topToBottom] {
                styles.append(LayoutStyle(zoom: zoom, direction: direction, tight: true, proxies: true))
            }
            // A graph too deep for the pane either way: its ranks in two to four bands, then
            // with the leaves read by many drawn beside their readers, which spares each band
            // the long edges from them (and the rows those take).
            for bands in 2...4 {
                for proxies in [false, true] {
                    styles.append(LayoutStyle(zoom: zoom, direction: .leftToRight, tight: true, proxies: proxies, bands: bands))
                }
            }
        }
        return styles
    }

    /// The most detailed layout that fits `pane` whole and whose every edge can be followed
    /// (``PlacedGraph/isClean``); when none does (a window of a large graph, or a tight drawing
    /// with a walled-in box), the one that shows the largest share of itself, unless the two ends
    /// of the step lie further apart in it than the pane is large: then the best that shows both.
    /// A drawing with an edge that cannot be followed (a little loop, or one drawn over another)
    /// counts as showing half its share: a softmax over four classes at 80×24 showed 90% of
    /// itself with a loop `╰─╯` beside p2 (counted as 72%), where a clean drawing shows 60%.
    func fittingPlacement(_ model: StepperModel, state: StepState, items: FoldedItems, chunk: Int?, chunkSize: Int,
                          stepItems: [Int], pane: Rect) -> PlacedGraph {
        var ranked: [(drawing: PlacedGraph, share: Double)] = []
        let plans = Self.candidateStyles(zoom: model.camera.zoom, wholeGraph: chunk == nil).map { style in
            plan(model, state: state, items: items, chunk: chunk, chunkSize: chunkSize, stepItems: stepItems, style: style)
        }
        // The plain layout that stands in for Graphviz ignores direction and packing: one per zoom.
        var fellBack = Set<Zoom>()
        for index in Self.stylesWorthLayingOut(plans, pane: pane) where !fellBack.contains(plans[index].style.zoom) {
            let drawing = placement(model, state: state, items: items, chunk: chunk, chunkSize: chunkSize,
                                    stepItems: stepItems, style: plans[index].style)
            if drawing.fallbackReason != nil { fellBack.insert(drawing.style.zoom) }
            if drawing.fitsWhole(in: pane) { return drawing }
            let share = min(1, Double(pane.width) / Double(max(1, drawing.columns)))
                * min(1, Double(pane.height) / Double(max(1, drawing.rows))) * (drawing.isClean ? 1 : 0.5)
            // A clearly larger share wins; near ties go to the more detailed (earlier) style.
            // Names only must show half as much again as a drawing with values: both are seen
            // through the pane, and at the step a student reads the numbers (mean squared
            // error over 16 points at 120×40: names show 64% of the graph, values 50%).
            let place = ranked.firstIndex {
                share > $0.share * (drawing.zoom == .name && $0.drawing.zoom != .name ? Self.valuesWorth : 1.05)
            } ?? ranked.count
            ranked.insert((drawing, share), at: place)
        }
        return (ranked.first { showsTheStep($0.drawing, model: model, items: items, pane: pane) } ?? ranked[0]).drawing
    }

    /// How many rows the pane wants on a screen whose graph pane is `standard` and may grow to
    /// `tallest` rows (taken from the trace and the inspector): the standard pane's, unless no
    /// drawing of the whole graph fits there but one fits a taller pane; then as many rows as
    /// that drawing needs. Two units of a dense layer sharing eight inputs (50 nodes) are 34
    /// rows tall drawn top to bottom, and the standard pane at 200×50 has 27: the class saw 34
    /// of the 50 boxes.
    ///
    /// Decided once per graph, zoom and screen, not per step (a pane that changed size between
    /// steps would make the class lose its place), and only for a graph without folds (whose
    /// drawing changes as the step enters a folded run).
    func graphRows(_ model: StepperModel, state: StepState, standard: Rect, tallest: Int) -> Int {
        guard tallest > standard.height, model.folded.isEmpty, model.graph.count > 0 else { return standard.height }
        let items = currentItems(model)
        guard GraphWindow.chunk(of: nil, itemCount: items.count) == nil else { return standard.height }
        let key = WantedRowsKey(context: placementKey(model, items: items, chunk: nil, chunkSize: 0, stepItems: [],
                                                      style: LayoutStyle(zoom: .name)),
                                zoom: model.camera.zoom, columns: standard.width, standardRows: standard.height, tallestRows: tallest)
        if let known = wantedRows[key] { return known }
        var deferred = false
        func whole(_ pane: Rect) -> PlacedGraph? {
            let drawing = fittingPlacement(model, state: state, items: items, chunk: nil, chunkSize: 0, stepItems: [], pane: pane)
            if drawing.fallbackReason == PlacedGraph.layoutDeferred { deferred = true }
            return drawing.fitsWhole(in: pane) ? drawing : nil
        }
        var rows = standard.height
        if whole(standard) == nil,
           let drawing = whole(Rect(column: standard.column, row: standard.row, width: standard.width, height: tallest)) {
            rows = max(standard.height, drawing.rows)
        }
        // Decided again once Graphviz's layout arrives (the driver then draws with a fresh view).
        guard !deferred else { return rows }
        if wantedRows.count > 64 { wantedRows.removeAll() }
        wantedRows[key] = rows
        return rows
    }

    /// How many times as large a share of the graph a drawing with names only must show, when
    /// nothing fits whole, to be preferred to one that shows values.
    static let valuesWorth = 1.5

    /// Whether the step's two boxes and the edge between them fit the pane together in `drawing`;
    /// in the forward pass, the node evaluated with every operand (up to ``stepOperandLimit``:
    /// `t19 = t18 · x1` with x1 off screen does not show what is multiplied).
    func showsTheStep(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems, pane: Rect) -> Bool {
        let all = focusPositions(drawing, model: model, items: items)
        var evaluates = false
        if case .evaluate? = model.currentStep, model.inspected == nil { evaluates = true }
        let focus = evaluates && all.count <= 1 + Self.stepOperandLimit ? all[...] : all.prefix(2)
        guard let first = focus.first else { return true }
        var area = focus.dropFirst().reduce(drawing.boxes[first]) { $0.union(drawing.boxes[$1]) }
        // With the step's edge, which may go round other boxes.
        if let edge = stepEdgeArea(drawing, model: model, items: items) { area = area.union(edge) }
        return area.width <= pane.width && area.height <= pane.height
    }

    /// The cells the step's edge runs through, as one rectangle (in the forward pass, the
    /// first operand's edge); nil when the step has no laid-out edge.
    func stepEdgeArea(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems) -> Rect? {
        guard let index = activeEdges(drawing, model: model, items: items).laidOut.first else { return nil }
        return drawing.edgeCells[index].reduce(nil as Rect?) { area, cell in
            let one = Rect(column: cell.column, row: cell.row, width: 1, height: 1)
            return area.map { $0.union(one) } ?? one
        }
    }

    /// The most gap crossings laid out for one frame when no style can fit the pane: one
    /// window at the edge budget (61 nodes each summing all earlier ones: Graphviz takes about
    /// 100 ms over it), several of a lecture graph's.
    static let hopelessCrossings = EdgeBudget.gapCrossings

    /// Which of the candidate styles (positions in `plans`, in their order) are laid out.
    ///
    /// A style whose drawing cannot fit the pane (``DrawingBound``) is left out when another
    /// may: the first that fits is the same, and the cost of a dense graph's twenty styles
    /// (each a Graphviz layout) is spared. When none can fit, the most compact styles (the end
    /// of the list) are laid out, as many as ``hopelessCrossings`` allows but at least one.
    static func stylesWorthLayingOut(_ plans: [Plan], pane: Rect) -> [Int] {
        let hopeful = plans.indices.filter { !plans[$0].bound.cannotFit(plans[$0].style, columns: pane.width, rows: pane.height) }
        guard hopeful.isEmpty else { return hopeful }
        var chosen: [Int] = []
        var spent = 0
        var seen = Set<LayoutStyle>()
        for index in plans.indices.reversed() {
            // A band style whose window is not cut is the same layout as its style without bands.
            guard seen.insert(plans[index].style).inserted else {
                chosen.append(index)
                continue
            }
            if !chosen.isEmpty, spent + plans[index].crossings > hopelessCrossings { break }
            spent += plans[index].crossings
            chosen.append(index)
        }
        return chosen.reversed()
    }

    /// Positions (in the drawing) of the boxes the step is about, most important first: the
    /// node receiving (backward) or evaluated (forward), the consumer passing its adjoint back,
    /// the operands being read; or the inspected node; before the first step, the first node.
    func focusPositions(_ drawing: PlacedGraph, model: StepperModel, items: FoldedItems) -> [Int] {
        let window = drawing.window
        func position(_ node: NodeID, consumer: Int? = nil) -> Int? { window.position(of: items.index(of: node), consumer: consumer) }
        if let inspected = model.inspected { return position(inspected).map { [$0] } ?? [] }
        var positions: [Int?] = []
        switch model.currentStep {
        case .evaluate(let evaluation)?:
            let consumer = position(evaluation.node)
            positions = [consumer] + operandPositions(drawing, model: model, items: items, consumer: consumer)
        case .contribute(let contribution)?:
            // The receiving operand as drawn beside its consumer (a proxy, for an input read
            // from far away), then the consumer.
            let consumer = position(contribution.from)
            positions = [position(contribution.to, consumer: consumer), consumer]
        case .seed(let output)?: positions = [position(output)]
        // Before the first step: the node it evaluates (a graph larger than the pane opened on
        // its top-left corner, where a dense one has only edges).
        case nil: positions = model.graph.count > 0 ? [position(0)] : []
        }
        var seen = Set<Int>()
        return positions.compactMap { $0 }.filter { seen.insert($0).inserted }
    }

    /// Where world cell (0, 0) lands on screen: the drawing centred when it fits; else the boxes
    /// of the step centred (as many of them, most important first, as fit together), never
    /// showing empty space past either end; then moved by the user's panning.
    ///
    /// - Parameter stepEdge: the cells the step's edge runs through (it may go round other
    ///   boxes); after the step's two boxes they are kept in view too, where they fit with them.
    func cameraOrigin(_ drawing: PlacedGraph, focus: [Int], stepEdge: Rect? = nil, camera: Camera, rect: Rect) -> CellPoint {
        var area: Rect?
        let areas = focus.prefix(2).map { drawing.boxes[$0] } + (stepEdge.map { [$0] } ?? [])
            + focus.dropFirst(2).map { drawing.boxes[$0] }
        for box in areas {
            guard let current = area else { area = box; continue }
            let union = current.union(box)
            if union.width <= rect.width, union.height <= rect.height { area = union }
        }
        func axis(size: Int, pane: Int, low: Int?, extent: Int?) -> Int {
            if size <= pane { return (pane - size) / 2 }
            guard let low, let extent else { return 0 }
            return min(0, max(pane - size, (pane - extent) / 2 - low))
        }
        let column = axis(size: drawing.columns, pane: rect.width, low: area?.column, extent: area?.width)
        let row = axis(size: drawing.rows, pane: rect.height, low: area?.row, extent: area?.height)
        return CellPoint(column: rect.column + column - camera.columnOffset, row: rect.row + row - camera.rowOffset)
    }

    /// How many boxes lie beyond each side of the pane, written for the pane's title: `◀ 3 ▲ 2 ▼ 5 4 ▶`.
    func offscreenSummary(_ drawing: PlacedGraph, origin: CellPoint, hidden: Set<Int>, rect: Rect, charset: Charset) -> String? {
        guard !hidden.isEmpty else { return nil }
        var left = 0, right = 0, up = 0, down = 0
        for position in hidden {
            let box = drawing.boxes[position].offsetBy(columns: origin.column, rows: origin.row)
            let centreColumn = box.column + box.width / 2, centreRow = box.row + box.height / 2
            // The side it lies beyond most (rows count double: cells are twice as tall as wide).
            let outside = [(rect.column - centreColumn, 0), (centreColumn - rect.right + 1, 1),
                           ((rect.row - centreRow) * 2, 2), ((centreRow - rect.bottom + 1) * 2, 3)]
            switch outside.max(by: { $0.0 < $1.0 })!.1 {
            case 0: left += 1
            case 1: right += 1
            case 2: up += 1
            default: down += 1
            }
        }
        let ascii = charset == .ascii
        var parts: [String] = []
        if left > 0 { parts.append((ascii ? "< " : "◀ ") + "\(left)") }
        if up > 0 { parts.append((ascii ? "^ " : "▲ ") + "\(up)") }
        if down > 0 { parts.append((ascii ? "v " : "▼ ") + "\(down)") }
        if right > 0 { parts.append("\(right)" + (ascii ? " >" : " ▶")) }
        return parts.joined(separator: " ")
    }
}
