import GradFlow
import Notation

/// The evaluation trace (the Wengert list): one row per node with its expression, value, local
/// derivatives and adjoint (or tangent) as they stand at the step; the current row highlighted
/// and kept in view. Only the visible rows are formatted, so a huge graph costs nothing more.
enum TracePane {
    /// The first row shown: the user's scroll position; else the rows of the step (the
    /// current node and, backwards, the consumer passing to it) centred when they fit together,
    /// or the current row (the one receiving, backwards) near the middle when they do not.
    static func top(_ model: StepperModel, visibleRows: Int) -> Int {
        var preferred: Int
        if let traceTop = model.traceTop {
            preferred = traceTop
        } else {
            let rows = model.inspected.map { [$0] } ?? [model.currentNode, model.partnerNode].compactMap { $0 }
            if let low = rows.min(), let high = rows.max(), high - low < visibleRows {
                preferred = low - (visibleRows - (high - low + 1)) / 2
            } else {
                preferred = (model.inspected ?? model.currentNode ?? 0) - (visibleRows - 1) / 2
            }
        }
        return max(0, min(preferred, model.graph.count - visibleRows))
    }

    static func draw(_ model: StepperModel, state: StepState, into grid: inout CellGrid, rect: Rect) -> [HitRegion] {
        guard rect.height >= 2 else { return [] }
        let graph = model.graph
        let notation = state.notation
        let visibleRows = rect.height - 1
        let top = top(model, visibleRows: visibleRows)
        let shown = top..<min(top + visibleRows, graph.count)

        func width(_ text: String) -> Int { DisplayWidth.of(grid.charset.transliterate(text)) }
        // A tensor scene's values and adjoints are matrices on one line (`[[3, 3], [3, 3]]`), and
        // its tensor rows have no scalar partials: the number columns trade width.
        var (valueWidth, partialWidth, derivativeWidth) = graph.hasTensors ? (16, 7, 16) : (10, 14, 10)
        // The names take what they need, up to half of what the number columns leave (at least
        // 14 columns); a longer one is shortened in its middle, so that its end (`hidden_1₂`
        // against `hidden_1₃`, `w_in` against `w_out`) still tells it from its neighbours.
        let free = rect.width - 2 - valueWidth - partialWidth - derivativeWidth - 4
        let nameWidth = min(max(14, free / 2), max(4, shown.map { width(graph.label(of: $0)) }.max() ?? 4))
        // The expression column takes what its rows need, up to what the others leave.
        let available = max(8, free - nameWidth)
        let needed = shown.map { width(expression(of: $0, in: graph, format: notation.format)) }.max() ?? 0
        let expressionWidth = min(available, max(10, needed))
        if graph.hasTensors {
            // What the expressions leave goes to the tensors' values and adjoints, up to what the
            // rows shown need: at 200×50 a vector of four was cut to `[0.4014, 0.1804…` beside
            // fifty empty columns.
            var spare = available - expressionWidth
            let values = shown.filter { graph.isTensor($0) && state.isEvaluated($0) }.map { width(notation.tensor(graph.tensor(of: $0))) }
            let adjoints = shown.compactMap { state.tensorDerivative($0) }.map { width(notation.tensor($0)) }
            let valueGain = min(spare / 2, max(0, (values.max() ?? 0) - valueWidth))
            spare -= valueGain
            let adjointGain = min(spare, max(0, (adjoints.max() ?? 0) - derivativeWidth))
            spare -= adjointGain
            valueWidth += valueGain + min(spare, max(0, (values.max() ?? 0) - valueWidth - valueGain))
            derivativeWidth += adjointGain
        }
        var columns: [(start: Int, width: Int, alignRight: Bool)] = []
        var start = rect.column + 2
        for (width, right) in [(nameWidth, false), (expressionWidth, false), (valueWidth, true),
                               (partialWidth, false), (derivativeWidth, true)] {
            columns.append((start, width, right))
            start += width + 1
        }
        func put(_ text: String, _ index: Int, row: Int, role: Role) {
            let column = columns[index]
            let area = Rect(column: column.start, row: row, width: column.width, height: 1).intersection(rect)
            let width = DisplayWidth.of(grid.charset.transliterate(text))
            let left = column.alignRight ? column.start + max(0, column.width - width) : column.start
            grid.write([Span(text, role)], column: left, row: row, clip: area)
        }

        let derivativeHeader = state.differentiation == .reverse ? "adjoint" : "tangent"
        let header = ["node", "expression", "value", notation.charset == .unicode ? "∂ local" : "d local", derivativeHeader]
        for (index, title) in header.enumerated() { put(title, index, row: rect.row, role: .strong) }

        // Two long names never read the same (`weight_…feature` for two different weights).
        let names = DisplayWidth.distinctAbbreviations(shown.map { graph.label(of: $0) }, toWidth: nameWidth, charset: grid.charset)
        var hits: [HitRegion] = []
        for (offset, node) in shown.enumerated() {
            let row = rect.row + 1 + offset
            let evaluated = state.isEvaluated(node)
            let isCurrent = node == state.current, isPartner = node == state.partner
            let rowRole: Role = isCurrent ? .currentRow : isPartner ? .partnerNode : evaluated ? .text : .pending
            if isCurrent || isPartner { grid.fill(Rect(column: rect.column, row: row, width: rect.width, height: 1), role: rowRole) }
            if isCurrent { grid.write("▶", column: rect.column, row: row, role: rowRole, clip: rect) }
            if node == model.inspected, !isCurrent { grid.write("›", column: rect.column, row: row, role: rowRole, clip: rect) }
            put(names[offset], 0, row: row,
                role: rowRole == .text ? .strong : rowRole)
            let op = graph.ops[node]
            put(expression(of: node, in: graph, format: notation.format), 1, row: row, role: rowRole)
            if graph.isTensor(node) {
                // A tensor on one line (in full up to 4×4, else its summary); no scalar partials.
                let value = graph.tensor(of: node)
                put(evaluated ? notation.tensor(value) : "·", 2, row: row,
                    role: evaluated ? (value.elements.allSatisfy(\.isFinite) ? rowRole : .warning) : .pending)
                if let adjoint = state.tensorDerivative(node) {
                    let role: Role = rowRole != .text ? rowRole : state.isFresh(node) ? .freshDerivative : .derivative
                    put(notation.tensor(adjoint), 4, row: row, role: adjoint.elements.allSatisfy(\.isFinite) ? role : .warning)
                }
                hits.append(HitRegion(rect: Rect(column: rect.column, row: row, width: rect.width, height: 1), node: node))
                continue
            }
            let value = graph.values[node]
            put(evaluated ? notation.number(value) : "·", 2, row: row,
                role: evaluated ? state.role(of: value, otherwise: rowRole) : .pending)
            if evaluated, !op.isLeaf, op != .tensor {
                // No column shows more than a few of a wide sum's partials: format only those.
                let partials = graph.partials(of: node)
                let written = partials.prefix(shownTerms).map(notation.number) + (partials.count > shownTerms ? ["…"] : [])
                put(written.joined(separator: ", "), 3, row: row, role: rowRole)
            }
            if let derivative = state.derivative(node) {
                let role: Role = rowRole != .text ? rowRole : state.isFresh(node) ? .freshDerivative : .derivative
                put(notation.number(derivative), 4, row: row, role: state.role(of: derivative, otherwise: role))
            }
            hits.append(HitRegion(rect: Rect(column: rect.column, row: row, width: rect.width, height: 1), node: node))
        }
        return hits
    }

    /// The most operands (or partials) of one node written out: more than any pane is wide.
    /// `sum(v0, …, v29999)` cost 30,000 formatted numbers at every step.
    static let shownTerms = 64

    /// What the expression column shows: the node's expression, or what kind of leaf it is;
    /// of a wide sum, the first ``shownTerms`` operands and `…`.
    static func expression(of node: NodeID, in graph: Graph, format: NumberFormat) -> String {
        switch graph.ops[node] {
        case .input: return "input"
        case .constant: return "const"
        default:
            let operands = graph.operands(of: node)
            guard operands.count > shownTerms else { return graph.expression(of: node, format: format) }
            let names = operands.prefix(shownTerms).map(graph.label(of:)) + ["…"]
            return graph.formula(of: node, operandNames: names, nodeName: graph.label(of: node), format: format)
        }
    }
}
