import GradFlow
import GraphExport
import Notation

/// What one step's state says about the nodes, gathered once per frame for the graph and
/// trace panes: everything is read from the timeline.
struct StepState {
    let graph: Graph
    let timeline: Timeline
    let step: Int
    let notation: Notation
    let differentiation: Differentiation
    /// The node the step is about (evaluated, seeded, receiving a contribution).
    let current: NodeID?
    /// The consumer passing its adjoint back in a backward step.
    let partner: NodeID?
    /// The opened tensor step's current element, if a step is opened (`e`).
    let elementFocus: ElementFocus?

    init(model: StepperModel) {
        graph = model.graph
        timeline = model.timeline
        step = model.step
        notation = Notation(charset: model.charset, format: model.precision)
        differentiation = model.differentiation
        current = model.currentNode
        partner = model.partnerNode
        elementFocus = ElementFocus(model: model)
    }

    func isEvaluated(_ node: NodeID) -> Bool { timeline.isEvaluated(node, at: step) }

    /// The node's adjoint (or tangent) as it stands, nil before it has one.
    func derivative(_ node: NodeID) -> Double? { timeline.derivative(of: node, at: step) }

    /// Whether this step set the node's derivative.
    func isFresh(_ node: NodeID) -> Bool {
        guard node == current else { return false }
        switch timeline.phase(at: step) {
        case .seed, .backward: return true
        case .forward: return differentiation == .forward
        case .start: return false
        }
    }

    /// The role of a number: a warning when it is not finite.
    func role(of value: Double, otherwise role: Role) -> Role { value.isFinite ? role : .warning }
}

/// The box of one graph item: its size from the text it will hold, and its drawing at a step.
///
/// Sizes come from the final values and derivatives so that boxes keep their size, and the
/// layout its shape, while the user steps.
struct NodeCard {
    let item: GraphItem
    let representative: NodeID
    let label: String
    let symbol: String
    /// For a folded run `×N`: the box, to say which iteration is under way (`▸ layer 17/50`)
    /// and show that iteration's result.
    let run: FoldPlan.Box?
    /// Whether the box holds a tensor of rank 1 or more (drawn by `NodeCard+Tensor.swift`).
    let isTensor: Bool

    /// - Parameter format: how the constant of an op that has one is written (`^2`, `× 0.5`).
    init(item: GraphItem, items: FoldedItems, graph: Graph, format: NumberFormat = .shortest) {
        self.item = item
        representative = items.representative(of: item, in: graph)
        switch item {
        case .node(let node):
            label = graph.label(of: node)
            // The op with its constant, as the exported picture shows it: `^2`, not `^`.
            let rule = graph.ops[node].rule
            symbol = NodeCard.tensorSymbol(of: node, in: graph, format: format)
                ?? rule.caption?(graph.parameters[node], format) ?? rule.symbol
            run = nil
            isTensor = graph.isTensor(node)
        case .box:
            let box = items.box(item)!
            label = "▸ " + box.label
            symbol = ""
            run = box.isRun ? box : nil
            isTensor = false
        }
    }

    /// The iteration of a run the step is about: the current node's, or else (a weight outside
    /// receiving from inside) the partner's.
    func activeIteration(_ state: StepState) -> Int? {
        guard let run else { return nil }
        return state.current.flatMap(run.iteration(of:)) ?? state.partner.flatMap(run.iteration(of:))
    }

    /// The title at a step: `▸ layer 17/50` while an iteration of a run is under way.
    func label(_ state: StepState) -> String {
        guard let run, let iteration = activeIteration(state) else { return label }
        return "▸ " + run.label(atIteration: iteration)
    }

    /// The node whose numbers the box shows: for a run, the result of the iteration under way
    /// (the node at the representative's place in it), else the representative.
    func shownNode(_ state: StepState) -> NodeID {
        guard let run, let iteration = activeIteration(state) else { return representative }
        return run.node(representative, inIteration: iteration)
    }

    /// Every node the box may show: one per iteration of a run, else the representative.
    private var shownNodes: [NodeID] {
        guard let run else { return [representative] }
        return (0..<run.iterations).map { run.node(representative, inIteration: $0) }
    }

    /// The widest title the box will show.
    private var widestLabel: String {
        guard let run else { return label }
        let busy = "▸ " + run.label(atIteration: run.iterations - 1)
        return busy.count > label.count ? busy : label
    }

    /// The most columns a node's name takes in a box of the names-only zoom: a longer one is
    /// shortened in its middle (the trace and the inspector write it whole), so that a small
    /// graph of long names (`total_number_of_training_tokens`) still fits an 80×24 screen.
    static let nameZoomWidth = 16

    /// The title as drawn at `zoom`.
    func title(_ text: String, zoom: Zoom, charset: Charset) -> String {
        guard zoom == .name, run == nil, case .node = item else { return text }
        return DisplayWidth.abbreviated(text, toWidth: Self.nameZoomWidth, charset: charset)
    }

    /// Columns and rows of the box.
    func size(zoom: Zoom, state: StepState) -> (columns: Int, rows: Int) {
        if isTensor { return tensorSize(zoom: zoom, state: state) }
        let charset = state.notation.charset
        let name = width(title(widestLabel, zoom: zoom, charset: charset), charset)
        let value = shownNodes.map { width(state.notation.number(state.graph.values[$0]), charset) }.max() ?? 1
        let derivative = shownNodes.map { derivativeWidth(of: $0, state: state) }.max() ?? 1
        switch zoom {
        case .compact:
            return (1 + name + 1 + value + 3 + derivative + 1, 1)
        case .name:
            return (1 + name + 1, 1)
        case .detail:
            let derivativeName = width(state.notation.derivative(label, mode: state.differentiation), charset)
            let symbolWidth = symbol.isEmpty ? 0 : 1 + width(symbol, charset)
            let inner = max(name + symbolWidth, 2 + value, derivativeName + 3 + derivative)
            return (inner + 4, 5)
        }
    }

    /// The widest the derivative gets: its final value, and in reverse mode every value it
    /// passes through on the way (the first 64 contributions; wider ones are cut short with …).
    private func derivativeWidth(of node: NodeID, state: StepState) -> Int {
        let charset = state.notation.charset
        var widest = max(1, width(state.notation.number(state.timeline.derivatives[node]), charset))
        for index in state.timeline.contributions(into: node, limit: 64) {
            let value = state.timeline.contribution(index).adjointAfter
            widest = max(widest, width(state.notation.number(value), charset))
        }
        return widest
    }

    /// Whether the item holds `node`.
    func contains(_ node: NodeID?, items: FoldedItems, graph: Graph) -> Bool {
        guard let node else { return false }
        return items.nodes(of: item, in: graph).contains(node)
    }

    /// Draws the box into `rect` (on screen), clipped to `clip`.
    func draw(into grid: inout CellGrid, rect: Rect, clip: Rect, zoom: Zoom, state: StepState,
              isCurrent: Bool, isPartner: Bool) {
        if isTensor {
            return drawTensor(into: &grid, rect: rect, clip: clip, zoom: zoom, state: state,
                              isCurrent: isCurrent, isPartner: isPartner)
        }
        let outerClip = clip
        let shown = shownNode(state)
        let label = label(state)
        let evaluated = state.isEvaluated(shown)
        let frameRole: Role = isCurrent ? .currentNode : isPartner ? .partnerNode : evaluated ? .text : .pending
        let value = state.graph.values[shown]
        let valueText = evaluated ? state.notation.number(value) : ""
        let valueRole = evaluated ? state.role(of: value, otherwise: frameRole) : .pending
        let derivative = state.derivative(shown)
        let derivativeText = derivative.map(state.notation.number) ?? ""
        let derivativeRole: Role = isCurrent ? .currentNode
            : state.isFresh(shown) ? .freshDerivative : .derivative
        let nameRole: Role = frameRole == .text ? .strong : frameRole
        switch zoom {
        case .compact:
            grid.fill(rect.intersection(clip), role: frameRole)
            let clip = Rect(column: rect.column, row: rect.row, width: rect.width - 1, height: 1).intersection(clip)
            var column = grid.write("[", column: rect.column, row: rect.row, role: frameRole, clip: clip)
            column = grid.write(label, column: column, row: rect.row, role: nameRole, clip: clip)
            if evaluated {
                column = grid.write(" " + valueText, column: column, row: rect.row, role: valueRole, clip: clip)
            }
            if let derivative {
                column = grid.write(" │ ", column: column, row: rect.row, role: frameRole, clip: clip)
                grid.write(derivativeText, column: column, row: rect.row,
                           role: state.role(of: derivative, otherwise: derivativeRole), clip: clip)
            }
            grid.write("]", column: rect.right - 1, row: rect.row, role: frameRole, clip: outerClip)
        case .name:
            grid.fill(rect.intersection(clip), role: frameRole)
            let clip = Rect(column: rect.column, row: rect.row, width: rect.width - 1, height: 1).intersection(clip)
            let column = grid.write("[", column: rect.column, row: rect.row, role: frameRole, clip: clip)
            grid.write(title(label, zoom: zoom, charset: grid.charset), column: column, row: rect.row, role: nameRole, clip: clip)
            grid.write("]", column: rect.right - 1, row: rect.row, role: frameRole, clip: outerClip)
        case .detail:
            drawFrame(into: &grid, rect: rect, clip: clip, heavy: isCurrent, role: frameRole)
            let inner = Rect(column: rect.column + 2, row: rect.row + 1, width: rect.width - 4, height: 3)
                .intersection(clip)
            grid.write(label, column: rect.column + 2, row: rect.row + 1, role: nameRole, clip: inner)
            if !symbol.isEmpty {
                grid.write(symbol, column: rect.right - 2 - width(symbol, grid.charset), row: rect.row + 1,
                           role: frameRole, clip: inner)
            }
            if evaluated {
                let column = grid.write("= ", column: rect.column + 2, row: rect.row + 2, role: frameRole, clip: inner)
                grid.write(valueText, column: column, row: rect.row + 2, role: valueRole, clip: inner)
            }
            if let derivative {
                let name = state.notation.derivative(label, mode: state.differentiation)
                let column = grid.write(name + " = ", column: rect.column + 2, row: rect.row + 3,
                                        role: frameRole, clip: inner)
                grid.write(derivativeText, column: column, row: rect.row + 3,
                           role: state.role(of: derivative, otherwise: derivativeRole), clip: inner)
            }
        }
    }

    func drawFrame(into grid: inout CellGrid, rect: Rect, clip: Rect, heavy: Bool, role: Role) {
        let glyphs: (Character, Character, Character, Character, Character, Character) = heavy
            ? ("┏", "┓", "┗", "┛", "━", "┃") : ("╭", "╮", "╰", "╯", "─", "│")
        let area = clip.intersection(grid.bounds)
        for row in rect.row..<rect.bottom where row >= area.row && row < area.bottom {
            for column in rect.column..<rect.right where column >= area.column && column < area.right {
                let top = row == rect.row, bottom = row == rect.bottom - 1
                let left = column == rect.column, right = column == rect.right - 1
                let glyph: Character = switch (top, bottom, left, right) {
                case (true, _, true, _): glyphs.0
                case (true, _, _, true): glyphs.1
                case (_, true, true, _): glyphs.2
                case (_, true, _, true): glyphs.3
                case (true, _, _, _), (_, true, _, _): glyphs.4
                case (_, _, true, _), (_, _, _, true): glyphs.5
                default: " "
                }
                grid.set(glyph, column: column, row: row, role: role)
            }
        }
    }

    func width(_ text: String, _ charset: Charset) -> Int { DisplayWidth.of(charset.transliterate(text)) }
}
