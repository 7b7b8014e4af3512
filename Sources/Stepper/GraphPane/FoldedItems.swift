import GradFlow
import GraphExport
import Notation

/// What the graph pane draws as one box: a node, or a folded box standing for many.
enum GraphItem: Hashable, Sendable {
    case node(NodeID)
    /// An index into the fold plan's boxes: a folded group, or a run of same-shaped groups `×N`.
    case box(Int)
}

/// The boxes of the graph pane once the folded groups are folded, in evaluation order.
///
/// The folding is the exporter's ``FoldPlan``, so that `f` in the stepper and
/// `export --collapse` draw the same boxes. Boxes are contiguous runs of nodes, so ordering
/// items by their first node keeps them topologically sorted: a box depends only on nodes
/// before its first node.
struct FoldedItems: Sendable {
    /// The folded groups this was built for, and the iterations of folded runs left open.
    let folded: Set<Int>
    let opening: Set<Int>
    /// Which nodes each box stands for.
    let plan: FoldPlan
    /// The number of items.
    let count: Int
    /// Per box, the shared reads drawn as proxies beside it, as `export` draws them.
    private let proxies: [Set<NodeID>]
    /// `nil` when nothing is folded (then item `i` is node `i`); else the items in order.
    private let items: [GraphItem]?
    /// For each node, the index of the item that shows it (only when something is folded).
    private let itemOfNode: [Int32]?

    /// - Complexity: O((nodes + operands) · nesting depth) when a group is folded, O(1) otherwise.
    init(graph: Graph, folded: Set<Int>, opening: Set<Int> = [], runs: RepeatedRuns? = nil) {
        self.folded = folded
        self.opening = opening
        plan = folded.isEmpty ? FoldPlan(unfolded: graph) : FoldPlan(graph: graph, folding: folded, runs: runs, opening: opening)
        guard plan.isFolding else {
            count = graph.count
            items = nil
            itemOfNode = nil
            proxies = []
            return
        }
        var items: [GraphItem] = []
        var itemOfNode = [Int32](repeating: 0, count: graph.count)
        var node = 0
        for (index, box) in plan.boxes.enumerated() {
            while node < box.nodes.lowerBound {
                itemOfNode[node] = Int32(items.count)
                items.append(.node(node))
                node += 1
            }
            for member in box.nodes { itemOfNode[member] = Int32(items.count) }
            items.append(.box(index))
            node = box.nodes.upperBound
        }
        while node < graph.count {
            itemOfNode[node] = Int32(items.count)
            items.append(.node(node))
            node += 1
        }
        count = items.count
        proxies = plan.drawnProxies(in: graph)
        self.items = items
        self.itemOfNode = itemOfNode
    }

    /// The item at `index`.
    func item(_ index: Int) -> GraphItem { items?[index] ?? .node(index) }

    /// The index of the item that shows `node`.
    func index(of node: NodeID) -> Int { itemOfNode.map { Int($0[node]) } ?? node }

    /// The folded box an item is, if it is one.
    func box(_ item: GraphItem) -> FoldPlan.Box? {
        if case .box(let index) = item { plan.boxes[index] } else { nil }
    }

    /// The nodes outside a box that are drawn as proxies beside it (none for a node).
    func proxies(of item: GraphItem) -> Set<NodeID> {
        if case .box(let index) = item { proxies[index] } else { [] }
    }

    /// The nodes an item stands for.
    func nodes(of item: GraphItem, in graph: Graph) -> Range<NodeID> {
        switch item {
        case .node(let node): node..<(node + 1)
        case .box(let index): plan.boxes[index].nodes
        }
    }

    /// The node that represents an item: itself, or a box's last output (its result, usually).
    func representative(of item: GraphItem, in graph: Graph) -> NodeID {
        switch item {
        case .node(let node): node
        case .box(let index): plan.boxes[index].outputs.last ?? plan.boxes[index].nodes.upperBound - 1
        }
    }
}
