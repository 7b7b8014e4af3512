import GradFlow
import Notation

/// Writes DOT for one recorded graph at any step of one walk through it.
///
/// Everything that is the same for every step (number texts, cell widths, the fold plan, which
/// contribution runs along which edge) is worked out once in `init`, so a sequence of frames
/// costs one pass over the graph per frame. Only a step inside a folded loop needs a plan of its
/// own, with its iteration open (``opened(for:)``).
public struct DiagramWriter: Sendable {
    public let timeline: Timeline
    public let options: ExportOptions
    /// What is folded: the whole-walk plan, or (in a writer ``opened(for:)`` a step) the same
    /// with the step's iteration drawn open.
    private(set) var plan: FoldPlan
    /// The graph's runs of same-shaped groups, when the plan folds one (to open an iteration).
    let runs: RepeatedRuns?
    /// The iterations ``plan`` draws open (empty in the whole-walk plan).
    private(set) var openGroups: Set<Int> = []
    let palette: Palette
    /// Each node's value as shown (`⚠ NaN` for a non-finite one).
    let valueText: [String]
    /// Each node's final derivative as shown (empty when derivatives are not shown).
    let finalDerivativeText: [String]
    /// Each operand slot's local derivative as shown.
    let partialText: [String]
    /// Each node's name, escaped for HTML labels and for DOT strings.
    let nameHTML: [String]
    let nameDOT: [String]
    /// Each node's number-cell width in points: wide enough for every text it shows in the walk.
    let cellWidth: [Int]
    /// For each operand slot, the index of the backward contribution that runs along it, or -1.
    let contributionOfSlot: [Int32]
    /// Each declared output (and the reverse walk's output).
    let outputNodes: Set<NodeID>
    /// Per box, the proxies drawn (see ``FoldPlan/drawnProxies(in:)``).
    private(set) var drawnProxies: [Set<NodeID>]
    /// Tensor nodes' entries and the labels of edges into tensor nodes; nil for a scalar graph.
    let tensorTexts: TensorTexts?

    /// Prepares a writer for `timeline`'s graph; folds groups as `options.folding` says.
    ///
    /// Every number and name is formatted and escaped here once, not once per frame.
    ///
    /// - Complexity: O(nodes + operands · log operands).
    public init(timeline: Timeline, options: ExportOptions = ExportOptions()) {
        self.timeline = timeline
        self.options = options
        let graph = timeline.graph
        plan = options.folding.plan(for: graph)
        runs = plan.boxes.contains(where: \.isRun) ? RepeatedRuns(graph: graph) : nil
        palette = Palette.of(options.theme)
        let format = options.numberFormat
        valueText = graph.values.map { DiagramWriter.text(of: $0, format: format) }
        finalDerivativeText = options.showsDerivatives ? timeline.derivatives.map { DiagramWriter.text(of: $0, format: format) } : []
        partialText = graph.partialStorage.map { DiagramWriter.text(of: $0, format: format) }
        let names = graph.nodes.map(graph.label(of:))
        nameHTML = names.map { Escape.html($0) }
        nameDOT = names.map(Escape.dotString)
        var slotContribution = [Int32](repeating: -1, count: graph.operandStorage.count)
        var widths = [Int](repeating: 0, count: graph.count)
        for node in graph.nodes {
            var characters = Swift.max(valueText[node].count, 1)
            if options.showsDerivatives { characters = Swift.max(characters, finalDerivativeText[node].count) }
            let received = timeline.contributions(into: node)
            for (order, index) in received.enumerated() {
                let contribution = timeline.contribution(index)
                let slot = graph.operandSlots(of: contribution.from).lowerBound + contribution.operandIndex
                slotContribution[slot] = Int32(index)
                // Only a node that receives several contributions shows adjoints other than its final one.
                if options.showsDerivatives && order < received.count - 1 {
                    characters = Swift.max(characters, DiagramWriter.text(of: contribution.adjointAfter, format: format).count)
                }
            }
            // A tensor node's own cells are sized by `TensorTexts`; this width serves the one-line
            // form a folded box lists.
            if graph.isTensor(node) { characters = DiagramWriter.compactTensorLimit }
            widths[node] = NodeLabels.numberCellWidth(characters: characters)
        }
        cellWidth = widths
        contributionOfSlot = slotContribution
        tensorTexts = graph.hasTensors
            ? TensorTexts(timeline: timeline, contributionOfSlot: slotContribution, notation: Notation(format: format)) : nil
        var outputs = Set(graph.reportedOutputs.map(\.node))
        if case .reverse(let output) = timeline.mode { outputs.insert(output) }
        outputNodes = outputs
        drawnProxies = plan.drawnProxies(in: graph)
    }

    /// The graph drawn.
    public var graph: Graph { timeline.graph }

    /// Whether groups are folded into boxes.
    public var isFolding: Bool { plan.isFolding }

    /// How many groups are folded.
    public var foldedGroupCount: Int { plan.boxes.reduce(0) { $0 + $1.iterations } }

    /// How many boxes the folded groups make (a run of same-shaped groups is one box).
    public var foldedBoxCount: Int { plan.boxes.count }

    /// The fold plan drawn: which nodes each box stands for.
    public var foldPlan: FoldPlan { plan }

    /// How many boxes the picture has (nodes drawn one by one plus folded groups).
    public var drawnCount: Int { plan.drawnCount(in: graph) }

    /// A number as shown in a picture: `options.precision` significant digits, non-finite flagged.
    static func text(of value: Double, format: NumberFormat) -> String {
        value.isFinite ? format.string(value) : "⚠ " + format.string(value)
    }

    /// The DOT text of the picture at `state`.
    ///
    /// - Parameters:
    ///   - frameID: a graph `id`, which Graphviz prefixes to every SVG element id, so that several
    ///     frames can live in one HTML page.
    ///   - stepLineWidth: the width in points of the caption's step line, the same for all frames
    ///     of a sequence; nil sizes it to its text.
    /// - Complexity: O(drawn nodes + edges).
    public func dot(for state: DiagramState, frameID: String? = nil, stepLineWidth: Int? = nil) -> String {
        (opened(for: state) ?? self).dotBody(for: state, frameID: frameID, stepLineWidth: stepLineWidth)
    }

    private func dotBody(for state: DiagramState, frameID: String?, stepLineWidth: Int?) -> String {
        var dot = "digraph gradflow {\n"
        // About 1 kB per node with its edges and groups: reserving spares the copies of doubling.
        dot.reserveCapacity(1_024 + 1_000 * graph.count)
        dot += graphAttributes(frameID: frameID, ranksAcrossClusters: ranksAcrossClusters)
        dot += "  label=" + caption(for: state, stepLineWidth: stepLineWidth) + ";\n"
        if plan.isFolding {
            for box in plan.boxes.indices { dot += foldedBoxStatements(box, state: state) }
            for node in graph.nodes where plan.box(of: node) == nil { appendNode(node, state: state, to: &dot) }
        } else {
            appendClusteredNodes(state: state, to: &dot)
        }
        appendEdges(state: state, to: &dot)
        dot += "}\n"
        return dot
    }

    /// A writer that draws the iterations `state`'s step is in open, between the boxes of their
    /// folded run, as the stepper does: folded whole, the step's two nodes would both be hidden
    /// in one box, and a slide of "step 96" would show neither end of its contribution. Nil when
    /// nothing needs opening (no step marked, no run folded, the step outside every run, or this
    /// writer already draws its iteration open).
    ///
    /// - Complexity: O((nodes + operands) · nesting depth) when it opens an iteration.
    func opened(for state: DiagramState) -> DiagramWriter? {
        guard let runs, state.marksCurrentStep, state.step >= 1 else { return nil }
        let nodes = [state.currentNode, state.partnerNode].compactMap { $0 }
        // What the whole-walk plan folds, whichever iteration this writer has open.
        let folded = Set(plan.boxes.flatMap(\.groups)).union(openGroups)
        let opening = FoldPlan.groups(holding: nodes, inRunsOf: folded, graph: graph, runs: runs)
        guard !opening.isEmpty, opening != openGroups else { return nil }
        var writer = self
        writer.openGroups = opening
        writer.plan = FoldPlan(graph: graph, folding: folded, runs: runs, opening: opening)
        writer.drawnProxies = writer.plan.drawnProxies(in: graph)
        return writer
    }

    /// Whether dot ranks the whole graph at once rather than each cluster on its own. On its own,
    /// dot stacks the clusters of an unrolled loop in any order (step 14 above step 1) with the
    /// edges between steps running backwards; ranking across clusters draws the steps left to
    /// right. It grows steeply with the clusters at the top level (Graphviz 2.42: 0.6 s for 20
    /// RNN steps, 2 s for 25, minutes for 50), so beyond 20 the old ranking stays; such loops
    /// read better folded (`--collapse`) anyway.
    private var ranksAcrossClusters: Bool {
        guard !plan.isFolding else { return false }
        let topLevel = graph.annotations.groups.count { $0.parent == nil }
        return topLevel > 0 && topLevel <= 20
    }

    private func graphAttributes(frameID: String?, ranksAcrossClusters: Bool) -> String {
        let font = NodeLabels.textFont
        var text = """
              rankdir=\(options.rankDirection.rawValue); bgcolor="\(palette.background)";
              fontname="\(font)"; fontcolor="\(palette.text)"; labelloc=t; labeljust=l;
              nodesep=0.35; ranksep=0.85; pad=0.25;
              node [shape=box, style="filled", fontname="\(font)", fontsize=\(NodeLabels.nameSize), fontcolor="\(palette.text)", margin="0.12,0.06"];
              edge [fontname="\(font)", fontsize=10, arrowsize=0.7, fontcolor="\(palette.mutedText)", labeldistance=2.6, labelangle=0];

            """
        if ranksAcrossClusters { text += "  newrank=true;\n" }
        if let frameID { text += "  id=\"\(Escape.dotString(frameID))\";\n" }
        return text
    }

    // MARK: Nodes

    /// Nodes inside nested clusters, one per group, then the nodes outside every group.
    private func appendClusteredNodes(state: DiagramState, to text: inout String) {
        let groups = graph.annotations.groups
        guard !groups.isEmpty else {
            for node in graph.nodes { appendNode(node, state: state, to: &text) }
            return
        }
        var members = [[NodeID]](repeating: [], count: groups.count)
        var children = [[Int]](repeating: [], count: groups.count)
        var ungrouped: [NodeID] = []
        for node in graph.nodes {
            if let group = graph.annotations.groupOfNode[node], groups.indices.contains(group) {
                members[group].append(node)
            } else {
                ungrouped.append(node)
            }
        }
        var roots: [Int] = []
        for (index, group) in groups.enumerated() {
            if let parent = group.parent, groups.indices.contains(parent), parent < index {
                children[parent].append(index)
            } else {
                roots.append(index)
            }
        }
        // An explicit stack, not recursion: nesting depth comes from the scene.
        var stack: [(group: Int, closing: Bool)] = roots.reversed().map { ($0, false) }
        while let (group, closing) = stack.popLast() {
            if closing { text += "  }\n"; continue }
            text += clusterHeader(group)
            for node in members[group] { appendNode(node, state: state, to: &text) }
            stack.append((group, true))
            stack.append(contentsOf: children[group].reversed().map { ($0, false) })
        }
        for node in ungrouped { appendNode(node, state: state, to: &text) }
    }

    private func clusterHeader(_ group: Int) -> String {
        let label = graph.annotations.groups[group].label
        return """
              subgraph cluster_\(group) {
                label=<<font point-size="12" color="\(palette.mutedText)"><i>\(Escape.html(label))</i></font>>;
                tooltip="\(Escape.dotString(label))"; style="rounded,filled,dashed";
                color="\(palette.clusterBorder)"; fillcolor="\(palette.clusterFill)"; labeljust=l;

            """
    }

    /// How a node is drawn apart from its label: shape style, border, fill, border width.
    private func nodeLook(_ node: NodeID, state: DiagramState) -> String {
        let op = graph.ops[node]
        var styles = [op == .input || op == .constant ? "rounded" : nil, "filled", op == .constant ? "dashed" : nil]
        var fill = op == .input ? palette.inputFill : op == .constant ? palette.constantFill : palette.operationFill
        var border = op == .input ? palette.inputBorder : palette.border
        var width = op == .input ? 1.5 : 1.2
        var extra = ""
        if isOutput(node) {
            fill = palette.outputFill
            border = palette.outputBorder
            extra = " peripheries=2;"
        }
        if !graph.values[node].isFinite || (graph.isTensor(node) && !graph.tensor(of: node).elements.allSatisfy(\.isFinite)) {
            border = palette.alarm
            width = 2.5
        }
        if !state.isEvaluated(node) {
            fill = palette.fadedFill
            border = palette.faded
            // Dotted replaces the kind's line style; the corners still tell inputs from ops.
            if palette.usesLineStylesForState { styles = [styles[0], "filled", "dotted"] }
        } else if state.currentNode == node {
            fill = palette.highlightFill
            border = palette.highlight
            width = 3.2
        }
        let style = styles.compactMap { $0 }.joined(separator: ",")
        return #"style="\#(style)"; fillcolor="\#(fill)"; color="\#(border)"; penwidth=\#(width);\#(extra)"#
    }

    /// Whether `node` is a declared output, or the output a reverse walk starts from.
    func isOutput(_ node: NodeID) -> Bool { outputNodes.contains(node) }

    private func appendNode(_ node: NodeID, state: DiagramState, to dot: inout String) {
        let evaluated = state.isEvaluated(node)
        dot += "  n\(node) [" + nodeLook(node, state: state)
        if !evaluated { dot += #" fontcolor="\#(palette.faded)";"# }
        if let tensorTexts, graph.isTensor(node) {
            appendTensorNode(node, state: state, texts: tensorTexts, to: &dot)
        } else {
            dot += " label="
            NodeLabels.appendNode(
            to: &dot, nameHTML: nameHTML[node], operationHTML: Escape.html(operationCaption(node)),
            isLeaf: graph.ops[node].isLeaf, rows: numberRows(node, state: state), cellWidth: cellWidth[node],
            mutedColor: evaluated ? palette.mutedText : palette.faded)
        }
        dot += "; tooltip=\""
        appendTooltip(node, to: &dot)
        dot += "\"];\n"
        if let note = graph.annotations.notes[node] { dot += noteStatements(note, of: node, evaluated: evaluated) }
    }

    /// A note as a note-shaped box beside its node (same rank, joined by a dashed line): placed
    /// by the layout like any node, so it never sits on top of an edge as a floating label would.
    private func noteStatements(_ note: String, of node: NodeID, evaluated: Bool) -> String {
        let color = evaluated ? palette.noteText : palette.faded
        var text = "  note\(node) [shape=note; style=filled; fillcolor=\"\(palette.background)\"; color=\"\(color)\"; "
        text += "margin=\"0.08,0.04\"; label=" + NodeLabels.note(note, color: color)
        text += "; tooltip=\"" + Escape.dotString(note) + "\"];\n"
        text += "  n\(node) -> note\(node) [style=dashed; arrowhead=none; color=\"\(color)\"];\n"
        text += "  { rank=same; n\(node); note\(node); }\n"
        return text
    }

    /// The value row and (unless switched off) the derivative row of `node` at `state`.
    func numberRows(_ node: NodeID, state: DiagramState) -> [NodeLabels.NumberRow] {
        if graph.isTensor(node) { return compactTensorRows(node, state: state) }
        let evaluated = state.isEvaluated(node)
        let finite = graph.values[node].isFinite
        var rows = [NodeLabels.NumberRow(
            key: "value", text: evaluated ? valueText[node] : "–", color: !evaluated || finite ? nil : palette.alarm)]
        if options.showsDerivatives {
            guard let derivative = state.derivative(of: node) else {
                rows.append(NodeLabels.NumberRow(key: derivativeKey, text: "–", color: palette.faded))
                return rows
            }
            // Bit-for-bit the final adjoint (as at the end of the walk): its text is ready.
            let text = derivative.bitPattern == timeline.derivatives[node].bitPattern
                ? finalDerivativeText[node] : DiagramWriter.text(of: derivative, format: options.numberFormat)
            rows.append(NodeLabels.NumberRow(
                key: derivativeKey, text: text, color: derivative.isFinite ? palette.derivative : palette.alarm))
        }
        return rows
    }

    /// `grad` in reverse mode; `∂/∂x1` in forward mode from `x1`, `∂/∂W[0, 1]` from one element.
    var derivativeKey: String {
        switch timeline.mode {
        case .reverse: "grad"
        case .forward(let input): "∂/∂" + seededName(input)
        }
    }

    /// The input forward mode carries tangents from: its name, with the seeded element's
    /// indices for a tensor input (`W[0, 1]`).
    func seededName(_ input: NodeID) -> String {
        Tensor.label(graph.label(of: input), offset: timeline.tangentElement, shape: graph.shape(of: input))
    }

    /// The op as a node shows it, with its constant where it has one: `×`, `^2`, `+ 3`, `tanh`.
    func operationCaption(_ node: NodeID) -> String {
        if graph.ops[node] == .tensor, let tensor = graph.tensorStorage.nodes[node] { return tensorOperationCaption(tensor) }
        let rule = graph.ops[node].rule
        return rule.caption?(graph.parameters[node], options.numberFormat) ?? rule.symbol
    }

    /// The SVG tooltip, escaped for a DOT string: the node's expression and value, and its note.
    private func appendTooltip(_ node: NodeID, to dot: inout String) {
        dot += nameDOT[node]
        let op = graph.ops[node]
        if !op.isLeaf {
            // Only an op's constant is formatted in its expression; `.shortest` is far cheaper
            // to ask for when there is none (the text is the same).
            let format = op.hasParameter ? options.numberFormat : .shortest
            dot += " = " + Escape.dotString(graph.expression(of: node, format: format))
        }
        dot += " = " + (graph.isTensor(node) ? Escape.dotString(notation.tensor(graph.tensor(of: node))) : valueText[node])
        if let note = graph.annotations.notes[node] { dot += #"\n"# + Escape.dotString(note) }
    }
}
