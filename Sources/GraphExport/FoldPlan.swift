import GradFlow

/// Which nodes are drawn one by one and which are folded into boxes: the one plan that both
/// `export --collapse` and the stepper's `f` draw.
///
/// A box stands for a folded group (a function call, a loop body) or, when the group is one of
/// a run of same-shaped groups (see ``RepeatedRuns``), for the whole run: `layer ×50`. A box
/// shows its label, its size and its outputs (the nodes inside that something outside uses, or
/// that are declared outputs). A node outside a run's box that every iteration reads (a weight
/// shared by every step) is drawn once beside the box as a small proxy, rather than wired from
/// afar into it. Edges into and out of a box attach to the box.
public struct FoldPlan: Sendable {
    /// One box of the picture standing for many nodes.
    public struct Box: Sendable {
        /// The groups folded into it, in order: one, or each iteration of a run.
        public let groups: [Int]
        /// The nodes it stands for: one contiguous run.
        public let nodes: Range<NodeID>
        /// What the iterations are called together: `layer`, `repeat`, `for t`; for a single
        /// group its own label, `layer(h, w)`.
        public let name: String
        /// Its outputs in evaluation order (never empty).
        public let outputs: [NodeID]
        /// Nodes outside the box that every iteration reads, drawn as proxies beside it (only
        /// for a run).
        public let proxies: [NodeID]
        /// When the box folds only part of a run (the stepper keeps the step's iteration open
        /// between two boxes): the first iteration it folds (0-based) and the whole run's length.
        public let firstIteration: Int
        public let runIterations: Int

        /// How many groups it folds: the iterations of a run, or 1.
        public var iterations: Int { groups.count }

        /// Whether it folds a run of same-shaped groups.
        public var isRun: Bool { groups.count > 1 }

        /// Whether it folds only some iterations of its run.
        public var isPartOfRun: Bool { isRun && iterations < runIterations }

        /// The box's title: `layer ×50`, `for t 8–20` for part of a run, or a single group's label.
        public var label: String {
            guard isRun else { return name }
            return isPartOfRun ? "\(name) \(firstIteration + 1)–\(firstIteration + iterations)" : "\(name) ×\(iterations)"
        }

        /// The iteration (0-based) that `node` belongs to, if the box holds it.
        public func iteration(of node: NodeID) -> Int? {
            guard nodes.contains(node) else { return nil }
            return min(groups.count - 1, (node - nodes.lowerBound) / Swift.max(1, nodes.count / groups.count))
        }

        /// The node at `node`'s place in iteration `iteration` (0-based): the same op, read from
        /// the same places, one iteration earlier or later. `node` itself if it is not in the box.
        public func node(_ node: NodeID, inIteration iteration: Int) -> NodeID {
            guard let own = self.iteration(of: node) else { return node }
            let moved = node + (iteration - own) * (nodes.count / Swift.max(1, groups.count))
            return nodes.contains(moved) ? moved : node
        }

        /// The title while `iteration` (0-based) is under way: `layer 17/50`, or ``label``.
        public func label(atIteration iteration: Int) -> String {
            isRun ? "\(name) \(firstIteration + iteration + 1)/\(runIterations)" : name
        }
    }

    /// The boxes, in evaluation order.
    public let boxes: [Box]
    /// For each node, the box that stands for it, or -1 when it is drawn itself (empty when
    /// nothing is folded).
    private let boxOfNode: [Int32]

    /// No folding at all.
    public init(unfolded graph: Graph) {
        self.init(boxes: [], boxOfNode: [])
    }

    private init(boxes: [Box], boxOfNode: [Int32]) {
        self.boxes = boxes
        self.boxOfNode = boxOfNode
    }

    /// Folds every outermost group of `graph` (runs of them into one box each): what
    /// `export --collapse` draws.
    ///
    /// - Complexity: O((nodes + operands) · nesting depth).
    public init(foldingOutermostGroupsOf graph: Graph) {
        let outermost = graph.annotations.groups.indices.filter { graph.annotations.groups[$0].parent == nil }
        self.init(graph: graph, folding: Set(outermost))
    }

    /// Folds the groups in `folded` (a group in a run folds its whole run); a folded group
    /// inside another folded group or run is hidden by it.
    ///
    /// - Parameters:
    ///   - runs: the graph's runs, when already found.
    ///   - opening: iterations of folded runs left unfolded (see ``groups(holding:inRunsOf:graph:runs:)``):
    ///     the run is folded into a box before them and a box after them.
    /// - Complexity: O((nodes + operands) · nesting depth).
    public init(graph: Graph, folding folded: Set<Int>, runs: RepeatedRuns? = nil, opening: Set<Int> = []) {
        let groups = graph.annotations.groups
        let valid = folded.filter { groups.indices.contains($0) && !groups[$0].nodes.clamped(to: graph.nodes).isEmpty }
        guard !valid.isEmpty else {
            self.init(unfolded: graph)
            return
        }
        let runs = runs ?? RepeatedRuns(graph: graph)
        // Each folded group's unit (its run, or itself), outermost first, then laid end to end.
        // A run with open iterations becomes the pieces between them.
        var units: [[Int]] = []
        var pieceOf: [Int: (first: Int, run: [Int])] = [:]  // a piece's first group → its place in its run
        var seen = Set<Int>()
        for group in valid where !seen.contains(group) {
            let unit = runs.run(containing: group) ?? [group]
            seen.formUnion(unit)
            guard unit.count > 1, !opening.isDisjoint(with: unit) else {
                units.append(unit)
                continue
            }
            var piece: [Int] = []
            for (iteration, member) in unit.enumerated() {
                if !opening.contains(member) {
                    if piece.isEmpty { pieceOf[member] = (iteration, unit) }
                    piece.append(member)
                }
                if (opening.contains(member) || iteration == unit.count - 1) && !piece.isEmpty {
                    units.append(piece)
                    piece = []
                }
            }
        }
        func range(_ unit: [Int]) -> Range<NodeID> {
            groups[unit[0]].nodes.clamped(to: graph.nodes).lowerBound
                ..< groups[unit[unit.count - 1]].nodes.clamped(to: graph.nodes).upperBound
        }
        // By start, the larger first; of two with the same nodes the enclosing one (opened first).
        units.sort { a, b in
            let (left, right) = (range(a), range(b))
            if left.lowerBound != right.lowerBound { return left.lowerBound < right.lowerBound }
            return left.count != right.count ? left.count > right.count : a[0] < b[0]
        }
        var chosen: [[Int]] = []
        var end = 0
        for unit in units where range(unit).lowerBound >= end {
            chosen.append(unit)
            end = range(unit).upperBound
        }
        var boxOfNode = [Int32](repeating: -1, count: graph.count)
        for (index, unit) in chosen.enumerated() {
            for node in range(unit) { boxOfNode[node] = Int32(index) }
        }
        let outputs = FoldPlan.outputs(of: chosen.count, boxOfNode: boxOfNode, graph: graph)
        let boxes = chosen.enumerated().map { index, unit in
            let nodes = range(unit)
            let piece = unit.count > 1 ? pieceOf[unit[0]] : nil
            return Box(groups: unit, nodes: nodes, name: FoldPlan.name(of: piece?.run ?? unit, in: graph),
                       outputs: outputs[index].isEmpty ? [nodes.upperBound - 1] : outputs[index],
                       // A shared read inside another box is that box's output: wired, not proxied.
                       proxies: unit.count > 1
                           ? FoldPlan.sharedReads(of: unit, nodes: nodes, graph: graph).filter { boxOfNode[$0] < 0 } : [],
                       firstIteration: piece?.first ?? 0, runIterations: piece?.run.count ?? unit.count)
        }
        self.init(boxes: boxes, boxOfNode: boxOfNode)
    }

    /// The iterations to keep open so that `nodes` are drawn themselves: the groups holding one
    /// of them that are iterations of a run one of whose groups is in `folded` (at every level
    /// of nesting, so that a loop inside an open iteration opens too).
    ///
    /// - Complexity: O(`nodes` · nesting depth).
    public static func groups(holding nodes: [NodeID], inRunsOf folded: Set<Int>, graph: Graph,
                              runs: RepeatedRuns) -> Set<Int> {
        let annotations = graph.annotations
        var open = Set<Int>()
        for node in nodes where graph.nodes.contains(node) {
            var group = annotations.groupOfNode[node]
            var depth = 0
            while let index = group, annotations.groups.indices.contains(index), depth <= annotations.groups.count {
                if let run = runs.run(containing: index), run.contains(where: folded.contains) { open.insert(index) }
                group = annotations.groups[index].parent
                depth += 1
            }
        }
        return open
    }

    /// Whether anything is folded.
    public var isFolding: Bool { !boxes.isEmpty }

    /// The most iterations one box folds (0 when nothing is folded): what automatic folding
    /// compares with ``Folding/automaticRunLimit``.
    public var longestRun: Int { boxes.map(\.iterations).max() ?? 0 }

    /// The box standing for `node`, or nil if `node` is drawn itself.
    @inline(__always)
    public func box(of node: NodeID) -> Int? {
        guard !boxOfNode.isEmpty else { return nil }
        let box = boxOfNode[node]
        return box < 0 ? nil : Int(box)
    }

    /// The number of boxes drawn: unfolded nodes, one per folded box, and the proxies.
    public func drawnCount(in graph: Graph) -> Int {
        guard isFolding else { return graph.count }
        let folded = boxes.reduce(0) { $0 + $1.nodes.count }
        return graph.count - folded + boxes.count + boxes.reduce(0) { $0 + $1.proxies.count }
    }

    /// Per box, the proxies drawn: the shared reads of a run that something other than the run
    /// also reads. A node read by the run alone (an RNN's weights) is wired straight into the
    /// box and sits beside it, rather than drawn twice, once as a proxy and once far off with
    /// nothing linking the two.
    ///
    /// - Complexity: O(nodes + operands).
    public func drawnProxies(in graph: Graph) -> [Set<NodeID>] {
        let proxied = Set(boxes.flatMap(\.proxies))
        guard !proxied.isEmpty else { return boxes.map { _ in [] } }
        var readers: [NodeID: Set<Int>] = [:]  // proxied node → boxes reading it (−1: a node drawn itself)
        for consumer in graph.nodes {
            for slot in graph.operandSlots(of: consumer) {
                let operand = Int(graph.operandStorage[slot])
                if proxied.contains(operand) { readers[operand, default: []].insert(self.box(of: consumer) ?? -1) }
            }
        }
        let reported = Set(graph.reportedOutputs.map(\.node))
        return boxes.indices.map { box in
            Set(boxes[box].proxies.filter { node in
                reported.contains(node) || readers[node, default: []].contains { $0 != box }
            })
        }
    }

    // MARK: Building

    /// Per box, the nodes inside that a node outside reads, or that are declared outputs.
    private static func outputs(of boxCount: Int, boxOfNode: [Int32], graph: Graph) -> [[NodeID]] {
        var isOutput = [Bool](repeating: false, count: graph.count)
        for output in graph.reportedOutputs where graph.nodes.contains(output.node) { isOutput[output.node] = true }
        for node in graph.nodes {
            for slot in graph.operandSlots(of: node) {
                let operand = Int(graph.operandStorage[slot])
                if boxOfNode[operand] >= 0 && boxOfNode[operand] != boxOfNode[node] { isOutput[operand] = true }
            }
        }
        var outputs = [[NodeID]](repeating: [], count: boxCount)
        for node in graph.nodes where boxOfNode[node] >= 0 && isOutput[node] { outputs[Int(boxOfNode[node])].append(node) }
        return outputs
    }

    /// The nodes before a run that every one of its iterations reads, in the order first read.
    private static func sharedReads(of run: [Int], nodes: Range<NodeID>, graph: Graph) -> [NodeID] {
        var readers: [NodeID: Int] = [:]  // operand → iterations that read it
        var order: [NodeID] = []
        for group in run {
            var readHere = Set<NodeID>()
            for node in graph.annotations.groups[group].nodes.clamped(to: graph.nodes) {
                for slot in graph.operandSlots(of: node) {
                    let operand = Int(graph.operandStorage[slot])
                    guard operand < nodes.lowerBound, readHere.insert(operand).inserted else { continue }
                    if readers[operand] == nil { order.append(operand) }
                    readers[operand, default: 0] += 1
                }
            }
        }
        return order.filter { readers[$0] == run.count }
    }

    /// What a unit's box is called: a single group's label; for a run, what its labels share
    /// (`layer` for `layer(h1, w)`, `layer(h2, w)`; `repeat` for `repeat 3/50`; `for t` for
    /// `for t = 3`).
    static func name(of unit: [Int], in graph: Graph) -> String {
        let labels = unit.map { graph.annotations.groups[$0].label }
        guard labels.count > 1 else { return labels[0] }
        let first = labels[0]
        if let parenthesis = first.firstIndex(of: "("), parenthesis > first.startIndex,
           labels.allSatisfy({ $0.hasPrefix(first[...parenthesis]) }) {
            return String(first[..<parenthesis])
        }
        if first.hasPrefix("repeat "), labels.allSatisfy({ $0.hasPrefix("repeat ") }) { return "repeat" }
        if first.hasPrefix("for "), let equals = first.range(of: " = "),
           labels.allSatisfy({ $0.hasPrefix(first[..<equals.upperBound]) }) {
            return String(first[..<equals.lowerBound])
        }
        return labels.allSatisfy { $0 == first } ? first : first + " …"
    }
}
