import GradFlow

/// Runs of groups with the same shape: the iterations of a loop, or calls of one `fn` made one
/// right after another, which a picture can show as one box `×N`.
///
/// A run is two or more sibling groups (the same enclosing group, or none) that follow each
/// other with no node between them, and have the same shape. Group B, following group A in a
/// run, has A's shape when
/// - they record the same number of nodes, with the same op at each position (constants'
///   values and ops' constant parameters may differ: `sin(t)` is another number each time);
/// - each node reads its operands in the same places, relative to the group: an operand inside
///   the group at the same offset; an operand in an earlier iteration of the run at the same
///   offset and the same number of iterations back (`h` from the step before); or an operand
///   before the run, the same node in every iteration (`w`, read by every step) or each
///   iteration its own (one data point per call).
/// An operand that reads back further than the run reaches is the run's starting value (the
/// first step reads `h = 0` from before the loop where later steps read the step before),
/// so the first iterations may read any node before the run in its place.
///
/// A loop whose last iteration takes another branch makes a run of the others and leaves the
/// last on its own.
public struct RepeatedRuns: Sendable {
    /// Each run, as indices into `graph.annotations.groups` in evaluation order.
    public let runs: [[Int]]
    /// For each group in a run, the index of its run in ``runs``.
    private let runOfGroup: [Int: Int]

    /// Finds every run of `graph`'s groups, at every level of nesting.
    ///
    /// - Complexity: O((nodes + operands) · nesting depth); each node is compared with the node
    ///   at its place in the sibling group before it.
    public init(graph: Graph) {
        let groups = graph.annotations.groups
        var siblings: [Int?: [Int]] = [:]
        for (index, group) in groups.enumerated() where !group.nodes.clamped(to: graph.nodes).isEmpty {
            // A parent recorded after its child cannot be (groups are listed as they open).
            let parent = group.parent.flatMap { $0 < index && groups.indices.contains($0) ? $0 : nil }
            siblings[parent, default: []].append(index)
        }
        var runs: [[Int]] = []
        for (_, members) in siblings.sorted(by: { ($0.key ?? -1) < ($1.key ?? -1) }) {
            let ordered = members.sorted { groups[$0].nodes.lowerBound < groups[$1].nodes.lowerBound }
            var start = 0
            while start < ordered.count {
                var run = [ordered[start]]
                var next = start + 1
                while next < ordered.count,
                      RepeatedRuns.continues(run, with: ordered[next], in: graph) {
                    run.append(ordered[next])
                    next += 1
                }
                if run.count >= 2 { runs.append(run) }
                start = next
            }
        }
        runs.sort { groups[$0[0]].nodes.lowerBound < groups[$1[0]].nodes.lowerBound }
        var runOfGroup: [Int: Int] = [:]
        for (index, run) in runs.enumerated() {
            for group in run { runOfGroup[group] = index }
        }
        self.runs = runs
        self.runOfGroup = runOfGroup
    }

    /// The run `group` belongs to, if it is in one.
    public func run(containing group: Int) -> [Int]? {
        runOfGroup[group].map { runs[$0] }
    }

    /// Where an operand of a node of iteration `k` of a run lies, relative to that iteration.
    enum Place: Equatable {
        /// In the same iteration, this many nodes after its first.
        case inside(Int)
        /// In the iteration `back` steps earlier, `offset` nodes after its first.
        case earlier(back: Int, offset: Int)
        /// Before the run: this node.
        case before(NodeID)
    }

    /// Where `operand`, read in iteration `iteration` (of `length` nodes from `runStart`), lies.
    static func place(of operand: NodeID, iteration: Int, runStart: NodeID, length: Int) -> Place {
        let first = runStart + iteration * length
        if operand >= first { return .inside(operand - first) }
        if operand < runStart { return .before(operand) }
        let earlier = (operand - runStart) / length
        return .earlier(back: iteration - earlier, offset: (operand - runStart) % length)
    }

    /// Whether `candidate` directly follows the last group of `run` with its shape.
    static func continues(_ run: [Int], with candidate: Int, in graph: Graph) -> Bool {
        let groups = graph.annotations.groups
        let previous = groups[run[run.count - 1]].nodes.clamped(to: graph.nodes)
        let next = groups[candidate].nodes.clamped(to: graph.nodes)
        guard next.lowerBound == previous.upperBound, next.count == previous.count else { return false }
        let runStart = groups[run[0]].nodes.clamped(to: graph.nodes).lowerBound
        let length = previous.count
        let iteration = run.count
        for offset in 0..<length {
            let old = previous.lowerBound + offset, new = next.lowerBound + offset
            guard graph.ops[old] == graph.ops[new], sameTensorOp(old, new, in: graph) else { return false }
            let oldSlots = graph.operandSlots(of: old), newSlots = graph.operandSlots(of: new)
            guard oldSlots.count == newSlots.count else { return false }
            for (oldSlot, newSlot) in zip(oldSlots, newSlots) {
                let was = place(of: Int(graph.operandStorage[oldSlot]), iteration: iteration - 1, runStart: runStart, length: length)
                let now = place(of: Int(graph.operandStorage[newSlot]), iteration: iteration, runStart: runStart, length: length)
                switch (was, now) {
                case (.inside(let a), .inside(let b)) where a == b: continue
                case (.earlier(let a, let x), .earlier(let b, let y)) where a == b && x == y: continue
                case (.before, .before): continue  // the same node each time, or each its own
                // Further back than the run reaches: the earlier iteration read a starting value.
                case (.before, .earlier(let back, _)) where back > iteration - 1: continue
                default: return false
                }
            }
        }
        return true
    }

    /// Whether two nodes compute the same tensor op on the same shape, or are both scalar nodes.
    /// Every tensor node's op is ``Op/tensor``: what it computes (`@`, `tanh`, `softmax`) is in
    /// its tensor storage. An elementwise op's constant may differ, as a scalar op's may.
    static func sameTensorOp(_ a: NodeID, _ b: NodeID, in graph: Graph) -> Bool {
        let (x, y) = (graph.tensorStorage.nodes[a], graph.tensorStorage.nodes[b])
        guard let x, let y else { return x == nil && y == nil }
        guard x.value.shape == y.value.shape else { return false }
        if case .elementwise(let p, _) = x.op, case .elementwise(let q, _) = y.op { return p == q }
        return x.op == y.op
    }
}
