import GradFlow

/// Folded boxes and their proxies.
extension DiagramWriter {
    /// Outputs listed in a folded box before the rest are summarised.
    static let outputsShownPerBox = 4

    /// The DOT id of `box`'s proxy of the outside node `node`.
    func proxyID(_ node: NodeID, box: Int) -> String { "p\(box)_\(node)" }

    /// The DOT ids of what a step is about, for the slideshow's zoom (`z`): the node evaluated
    /// and its operands, or the two ends of the contribution; each as drawn (its box when folded).
    func focusIDs(for state: DiagramState) -> [String] {
        (opened(for: state) ?? self).drawnIDs(for: state)
    }

    private func drawnIDs(for state: DiagramState) -> [String] {
        func id(_ node: NodeID) -> String { plan.box(of: node).map { "g\($0)" } ?? "n\(node)" }
        var nodes: [NodeID] = []
        switch state.currentStep {
        case .evaluate(let evaluation)?: nodes = [evaluation.node] + graph.operands(of: evaluation.node)
        case .seed(let output)?: nodes = [output]
        case .contribute(let contribution)?: nodes = [contribution.from, contribution.to]
        case nil: return []
        }
        var ids: [String] = []
        for node in nodes where !ids.contains(id(node)) { ids.append(id(node)) }
        return ids
    }

    /// A box's outputs in the order it lists them: the nodes the scene named (`g`, `Hv`) first,
    /// then temporaries, then constants, each in graph order. The backward nodes `grad(f, w)`
    /// builds export its one-hot constants too, and listed first they hid `g` itself behind
    /// "… and 3 more outputs".
    func listedOutputs(of box: FoldPlan.Box) -> [NodeID] {
        let names = graph.annotations.names
        func rank(_ node: NodeID) -> Int {
            graph.ops[node] == .constant ? 2 : names.isNamedByTheScene(node) ? 0 : 1
        }
        return box.outputs.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    /// The statements of one folded box: the box, then a proxy for each node that every
    /// iteration of its run reads.
    func foldedBoxStatements(_ index: Int, state: DiagramState) -> String {
        let box = plan.boxes[index]
        let nodes = box.nodes
        // The step's own iteration is never inside a box: ``opened(for:)`` draws it open.
        let listed = listedOutputs(of: box)
        let shown = Array(listed.prefix(DiagramWriter.outputsShownPerBox))
        let evaluated = state.isEvaluated(nodes.upperBound - 1)
        let started = state.isEvaluated(nodes.lowerBound)
        var fill = palette.operationFill, border = palette.border, width = 1.6
        var styles = ["rounded", "filled", "bold"]
        if !started {
            fill = palette.fadedFill
            border = palette.faded
            if palette.usesLineStylesForState { styles = ["rounded", "filled", "dotted"] }
        } else if state.currentNode.map(nodes.contains) == true {
            fill = palette.highlightFill
            border = palette.highlight
            width = 3.2
        }
        // As wide as any iteration's numbers need, so that the box keeps its size.
        let width0 = listed.prefix(DiagramWriter.outputsShownPerBox).flatMap { output in
            box.isRun ? (0..<box.iterations).map { cellWidth[box.node(output, inIteration: $0)] } : [cellWidth[output]]
        }.max() ?? NodeLabels.numberCellWidth(characters: 1)
        let size = box.isRun ? "\(box.iterations) × \(nodes.count / box.iterations) nodes folded" : "\(nodes.count) nodes folded"
        let label = NodeLabels.foldedGroup(
            label: box.label, size: size,
            outputs: shown.map { (name: graph.label(of: $0), rows: numberRows($0, state: state)) },
            hiddenOutputs: box.outputs.count - shown.count, cellWidth: width0,
            textColor: evaluated || started ? palette.text : palette.faded, mutedColor: palette.mutedText)
        var tooltip = box.isRun
            ? "\(box.label): \(box.iterations) groups of the same shape (\(graph.annotations.groups[box.groups[0]].label) … "
                + "\(graph.annotations.groups[box.groups[box.iterations - 1]].label)), \(nodes.count) nodes folded"
            : "\(box.label): \(nodes.count) nodes folded"
        tooltip += "; outputs: " + box.outputs.map(graph.label(of:)).joined(separator: ", ")
        if !box.proxies.isEmpty { tooltip += "; read by every iteration: " + box.proxies.map(graph.label(of:)).joined(separator: ", ") }
        var text = "  g\(index) [style=\"\(styles.joined(separator: ","))\"; fillcolor=\"\(fill)\"; color=\"\(border)\"; "
            + "penwidth=\(width); label=\(label); tooltip=\"\(Escape.dotString(tooltip))\"];\n"
        for node in box.proxies where drawnProxies[index].contains(node) { text += proxyStatement(node, box: index, state: state) }
        return text
    }

    /// A proxy: a small dashed box with the outside node's name, beside the box whose every
    /// iteration reads it. The node itself, with its numbers, is drawn once elsewhere.
    private func proxyStatement(_ node: NodeID, box: Int, state: DiagramState) -> String {
        let color = state.isEvaluated(node) ? palette.mutedText : palette.faded
        let tooltip = "\(graph.label(of: node)), read by every iteration of \(plan.boxes[box].label) (drawn once, with its numbers, elsewhere)"
        return "  \(proxyID(node, box: box)) [shape=box; style=\"rounded,dashed\"; color=\"\(color)\"; fontcolor=\"\(color)\"; "
            + "fontsize=\(NodeLabels.keySize + 1); margin=\"0.1,0.03\"; width=0.3; height=0.25; label=\"\(nameDOT[node])\"; "
            + "tooltip=\"\(Escape.dotString(tooltip))\"];\n"
    }

    /// How the picture of `state` folds (its step's iteration drawn open, as ``dot(for:)`` draws
    /// it), or with nil how the whole walk's plan does: `10 groups folded into 1 box`.
    public func foldedGroupsPhrase(drawing state: DiagramState?) -> String {
        let drawn = state.flatMap { opened(for: $0) } ?? self
        return Self.foldedGroupsPhrase(groups: drawn.foldedGroupCount, boxes: drawn.foldedBoxCount)
    }

    /// `1 group folded into a box`, `3 groups folded into boxes`, `250 groups folded into 1 box`.
    public static func foldedGroupsPhrase(groups: Int, boxes: Int) -> String {
        if groups == boxes { return groups == 1 ? "1 group folded into a box" : "\(groups) groups folded into boxes" }
        return "\(groups) groups folded into \(boxes) \(boxes == 1 ? "box" : "boxes")"
    }
}
