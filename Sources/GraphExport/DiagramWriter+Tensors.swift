import GradFlow
import Notation

/// What a picture shows of tensors, worked out once per walk: each tensor node's entries and
/// the width of its cells, and each edge into a tensor node with its shape and, for the step
/// whose contribution runs along it, the vector–Jacobian rule (`W̄ += z̄ · xᵀ`, with its numbers
/// where they fit).
struct TensorTexts: Sendable {
    /// An edge's rule carries its numbers when the whole stays within this many characters
    /// (`b̄ += Σ ȳ = 18`); longer ones show the rule alone, and the numbers are in the caption
    /// and the receiving node. Left to right, every edge's label keeps room for its rule at
    /// every step, so a long one would widen the gap between two ranks in every frame.
    static let edgeNumbersLimit = 24
    /// The caption writes a contribution in full within this many characters, else its shape.
    static let captionNumbersLimit = 60

    /// For every tensor node of rank 1 or more: its value as drawn and its entry-cell width.
    var values: [NodeID: NodeLabels.MatrixRow.Body] = [:]
    var cellWidths: [NodeID: Int] = [:]
    /// Each operand slot read by a tensor node: its shape text and, if a contribution runs
    /// along it, that step's rule.
    var edgeShape: [Int: String] = [:]
    var edgeRule: [Int: String] = [:]
    /// Each such edge label's width in points: the widest of its texts, at every step.
    var edgeWidth: [Int: Int] = [:]

    init(timeline: Timeline, contributionOfSlot: [Int32], notation: Notation) {
        let graph = timeline.graph
        for node in graph.nodes {
            if graph.isTensor(node) {
                let value = graph.tensor(of: node)
                let body = TensorTexts.body(of: value, notation: notation)
                values[node] = body
                var characters = TensorTexts.widestText(body)
                characters = Swift.max(characters, TensorTexts.widestText(TensorTexts.body(of: timeline.finalTensorDerivative(of: node), notation: notation)))
                let received = timeline.contributions(into: node)
                // Adjoints on the way to the final one: only where several contributions arrive.
                for index in received.dropLast() {
                    let after = timeline.tensorContribution(index).adjointAfter
                    characters = Swift.max(characters, TensorTexts.widestText(TensorTexts.body(of: after, notation: notation)))
                }
                cellWidths[node] = Notation.writesInFull(value)
                    ? NodeLabels.entryCellWidth(characters: characters) : NodeLabels.numberCellWidth(characters: characters)
            }
            guard graph.ops[node] == .tensor else { continue }
            for (operandIndex, slot) in graph.operandSlots(of: node).enumerated() {
                let operand = Int(graph.operandStorage[slot])
                let shape = graph.isTensor(operand) ? Tensor.describe(graph.shape(of: operand)) : "scalar"
                edgeShape[slot] = shape
                edgeWidth[slot] = NodeLabels.estimatedTextWidth(shape, size: NodeLabels.keySize)
                let index = contributionOfSlot[slot]
                if index >= 0 {
                    let rule = notation.tensorUpdate(of: node, operand: operandIndex, in: graph)
                    let passed = timeline.tensorContribution(Int(index)).passed
                    let withNumbers = rule + " = " + notation.tensor(passed)
                    let text = Notation.writesInFull(passed) && withNumbers.count <= TensorTexts.edgeNumbersLimit ? withNumbers : rule
                    edgeRule[slot] = text
                    edgeWidth[slot] = Swift.max(edgeWidth[slot] ?? 0, NodeLabels.estimatedTextWidth(text, size: NodeLabels.keySize + 2))
                }
            }
        }
    }

    /// A tensor as cells (written in full) or summary lines.
    static func body(of value: Tensor, notation: Notation) -> NodeLabels.MatrixRow.Body {
        if let entries = notation.tensorEntries(value) { return .entries(entries) }
        return .summary(notation.tensorRows(value))
    }

    /// The characters of the widest entry or line.
    static func widestText(_ body: NodeLabels.MatrixRow.Body) -> Int {
        switch body {
        case .entries(let rows): rows.joined().map(\.count).max() ?? 1
        case .summary(let lines): lines.map(\.count).max() ?? 1
        case .unknown: 1
        }
    }
}

extension DiagramWriter {
    /// Appends a tensor node (rank 1 or more): its value and its adjoint as matrices.
    func appendTensorNode(_ node: NodeID, state: DiagramState, texts: TensorTexts, to dot: inout String) {
        let evaluated = state.isEvaluated(node)
        let muted = evaluated ? palette.mutedText : palette.faded
        dot += " label="
        NodeLabels.appendTensorNode(
            to: &dot, nameHTML: nameHTML[node], operationHTML: Escape.html(operationCaption(node)),
            shape: Tensor.describe(graph.shape(of: node)), isLeaf: graph.ops[node].isLeaf,
            rows: matrixRows(node, state: state, texts: texts), cellWidth: texts.cellWidths[node] ?? 0,
            mutedColor: muted, bracketColor: muted)
    }

    /// The value and (unless switched off) the adjoint of tensor node `node` at `state`.
    func matrixRows(_ node: NodeID, state: DiagramState, texts: TensorTexts) -> [NodeLabels.MatrixRow] {
        let value = graph.tensor(of: node)
        let unknown = TensorTexts.unknownBody(for: value)
        let finite = value.elements.allSatisfy(\.isFinite)
        let evaluated = state.isEvaluated(node)
        var rows = [NodeLabels.MatrixRow(
            key: "value", body: evaluated ? texts.values[node] ?? unknown : unknown,
            color: !evaluated || finite ? nil : palette.alarm)]
        guard options.showsDerivatives else { return rows }
        guard let adjoint = timeline.tensorDerivative(of: node, at: state.step) else {
            rows.append(NodeLabels.MatrixRow(key: derivativeKey, body: unknown, color: palette.faded))
            return rows
        }
        rows.append(NodeLabels.MatrixRow(
            key: derivativeKey, body: TensorTexts.body(of: adjoint, notation: notation),
            color: adjoint.elements.allSatisfy(\.isFinite) ? palette.derivative : palette.alarm))
        return rows
    }

    /// A tensor node's numbers on one line each, for a folded box's list of outputs: the value
    /// (and adjoint) in full when short, else the shape.
    func compactTensorRows(_ node: NodeID, state: DiagramState) -> [NodeLabels.NumberRow] {
        func compact(_ value: Tensor) -> String {
            let text = notation.tensor(value)
            return text.count <= DiagramWriter.compactTensorLimit ? text : Tensor.describe(value.shape) + " …"
        }
        var rows = [NodeLabels.NumberRow(key: "value", text: state.isEvaluated(node) ? compact(graph.tensor(of: node)) : "–", color: nil)]
        if options.showsDerivatives {
            let adjoint = timeline.tensorDerivative(of: node, at: state.step)
            rows.append(NodeLabels.NumberRow(key: derivativeKey, text: adjoint.map(compact) ?? "–",
                                             color: adjoint == nil ? palette.faded : palette.derivative))
        }
        return rows
    }

    /// The longest one-line tensor a folded box lists.
    static let compactTensorLimit = 36

    /// The op a tensor node shows: `@`, `softmax`, `sum(axis: 0)`, `×` or `^2` for an elementwise op.
    func tensorOperationCaption(_ tensor: TensorNode) -> String {
        switch tensor.op {
        case .elementwise(let op, let parameter): op.rule.caption?(parameter, options.numberFormat) ?? op.rule.symbol
        default: tensor.op.symbol
        }
    }

    /// The label of an edge into a tensor node: the operand's shape, and at the step whose
    /// contribution runs along it, the rule; written as `xlabel=…` or `label=…` by
    /// ``tensorEdgeLabelAttribute``.
    func tensorEdgeLabel(slot: Int, isCurrent: Bool, texts: TensorTexts, color: String) -> String {
        let reserves = options.rankDirection == .leftToRight
        var html = #"<<table border="0" cellborder="0" cellpadding="1" cellspacing="0" bgcolor="\#(palette.background)">"#
        html += "<tr><td" + (reserves ? #" width="\#(texts.edgeWidth[slot] ?? 0)""# : "") + #"><font point-size="\#(NodeLabels.keySize)">"#
        html += Escape.html(texts.edgeShape[slot] ?? "") + "</font></td></tr>"
        if let rule = texts.edgeRule[slot], isCurrent || reserves {
            html += reserves ? #"<tr><td height="18">"# : "<tr><td>"
            if isCurrent { html += #"<font point-size="\#(NodeLabels.keySize + 2)" color="\#(color)"><b>"# + Escape.html(rule) + "</b></font>" }
            html += "</td></tr>"
        }
        return html + "</table>>"
    }

    /// How an edge into a tensor node carries its label. Top to bottom, an external label
    /// (`xlabel`), placed beside the edge after the layout, where a vertical edge leaves room:
    /// the layout is the same at every step whatever the label says. Left to right, the gap
    /// between two ranks is too narrow for a rule, so the label is a mid-edge `label` that the
    /// layout makes room for, as wide and as tall at every step as at its widest (its rule's
    /// line is there, empty, at the other steps), which keeps every frame's layout the same.
    var tensorEdgeLabelAttribute: String { options.rankDirection == .leftToRight ? "label" : "xlabel" }

    /// The caption's account of a tensor contribution: the rule, what it passes (in full when
    /// it fits on the line, else its shape), and which arrival at the receiver it is.
    func tensorStepLine(_ index: Int) -> String {
        let step = timeline.tensorContribution(index)
        let rule = notation.tensorUpdate(of: step.from, operand: step.operandIndex, in: graph)
        let passed = notation.tensor(step.passed)
        var line = rule + (passed.count <= TensorTexts.captionNumbersLimit ? " = " + passed : ", a " + Tensor.describe(step.passed.shape) + " contribution")
        let arrivals = timeline.contributions(into: step.to)
        if arrivals.count > 1, let order = arrivals.firstIndex(of: index) {
            line += " (\(order + 1) of \(arrivals.count) into \(notation.adjoint(graph.label(of: step.to))))"
        }
        return line
    }

    /// The caption's account of evaluating a tensor node: its expression and its value, in full
    /// when it fits on the line, else its shape.
    func tensorEvaluationLine(_ node: NodeID) -> String {
        let value = graph.tensor(of: node)
        var line = graph.label(of: node)
        if !graph.ops[node].isLeaf { line += " = " + graph.expression(of: node, format: options.numberFormat) }
        let text = notation.tensor(value)
        return line + (text.count <= TensorTexts.captionNumbersLimit ? " = " + text : ", " + Tensor.describe(value.shape))
    }
}

extension TensorTexts {
    /// Dashes in a tensor's cells (or one for a summary): a value or adjoint not known yet.
    static func unknownBody(for value: Tensor) -> NodeLabels.MatrixRow.Body {
        guard Notation.writesInFull(value) else { return .summary(["–", "–"]) }
        let columns = value.rank == 0 ? 1 : value.shape[value.rank - 1]
        return .unknown(rows: value.count / Swift.max(columns, 1), columns: columns)
    }
}
