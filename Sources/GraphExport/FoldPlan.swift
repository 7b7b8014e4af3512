import GradFlow

/// Which nodes are drawn one by one and which are folded into their group's box.
///
/// Folding replaces each outermost group (a function call, an unrolled loop body) by one box
/// showing the group's label, its size, and its outputs (the nodes inside that something
/// outside uses, or that are declared outputs). Edges into and out of the group attach to the box.
struct FoldPlan: Sendable {
    /// The groups drawn as boxes, as indices into `graph.annotations.groups`.
    let foldedGroups: [Int]
    /// For each node, the folded group box that stands for it, or -1 when it is drawn itself.
    private let box: [Int32]
    /// For each folded group, its outputs in evaluation order.
    let groupOutputs: [Int: [NodeID]]

    /// No folding at all.
    init(unfolded graph: Graph) {
        foldedGroups = []
        box = []
        groupOutputs = [:]
    }

    /// Folds every outermost group of `graph`.
    ///
    /// - Complexity: O(nodes + operands).
    init(foldingOutermostGroupsOf graph: Graph) {
        let groups = graph.annotations.groups
        var box = [Int32](repeating: -1, count: graph.count)
        var folded: [Int] = []
        for (index, group) in groups.enumerated() where group.parent == nil {
            let nodes = group.nodes.clamped(to: graph.nodes)
            guard !nodes.isEmpty else { continue }
            folded.append(index)
            for node in nodes where box[node] < 0 { box[node] = Int32(index) }
        }
        var isOutput = [Bool](repeating: false, count: graph.count)
        for output in graph.annotations.outputs where graph.nodes.contains(output.node) {
            isOutput[output.node] = true
        }
        for node in graph.nodes {
            for operand in graph.operands(of: node) where box[operand] >= 0 && box[operand] != box[node] {
                isOutput[operand] = true
            }
        }
        var outputs: [Int: [NodeID]] = [:]
        for node in graph.nodes where box[node] >= 0 && isOutput[node] {
            outputs[Int(box[node]), default: []].append(node)
        }
        // A group whose result nobody uses still shows its last node, so the box is not empty.
        for index in folded where outputs[index] == nil {
            outputs[index] = [groups[index].nodes.clamped(to: graph.nodes).last!]
        }
        self.foldedGroups = folded
        self.box = box
        self.groupOutputs = outputs
    }

    /// Whether any group is folded.
    var isFolding: Bool { !foldedGroups.isEmpty }

    /// The folded group standing for `node`, or nil if `node` is drawn itself.
    @inline(__always)
    func foldedGroup(of node: NodeID) -> Int? {
        guard !box.isEmpty else { return nil }
        let group = box[node]
        return group < 0 ? nil : Int(group)
    }

    /// The number of boxes drawn: unfolded nodes plus one per folded group.
    func drawnCount(in graph: Graph) -> Int {
        guard isFolding else { return graph.count }
        return box.lazy.filter { $0 < 0 }.count + foldedGroups.count
    }
}
