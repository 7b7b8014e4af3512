import GradFlow
import Notation

/// What the graph pane draws as one box: a node, or a folded group standing for all its nodes.
enum GraphItem: Hashable, Sendable {
    case node(NodeID)
    /// An index into `graph.annotations.groups`.
    case group(Int)
}

/// The boxes of the graph pane once the folded groups are folded, in evaluation order.
///
/// Groups are contiguous runs of nodes, so ordering items by their first node keeps them
/// topologically sorted: a folded group depends only on nodes before its first node.
struct FoldedItems: Sendable {
    /// The folded groups this was built for.
    let folded: Set<Int>
    /// The number of items.
    let count: Int
    /// `nil` when nothing is folded (then item `i` is node `i`); else the items in order.
    private let items: [GraphItem]?
    /// For each node, the index of the item that shows it (only when something is folded).
    private let itemOfNode: [Int32]?

    /// - Complexity: O(nodes) when a group is folded, O(1) otherwise.
    init(graph: Graph, folded: Set<Int>) {
        self.folded = folded
        let groups = graph.annotations.groups
        // Only the outermost folded groups matter: a folded group inside another is hidden.
        let outermost = folded.filter { index in
            guard groups.indices.contains(index) else { return false }
            var parent = groups[index].parent
            var hops = 0
            while let enclosing = parent, hops <= groups.count {
                if folded.contains(enclosing) { return false }
                parent = groups[enclosing].parent
                hops += 1
            }
            return true
        }.sorted { groups[$0].nodes.lowerBound < groups[$1].nodes.lowerBound }
        guard !outermost.isEmpty else {
            count = graph.count
            items = nil
            itemOfNode = nil
            return
        }
        var items: [GraphItem] = []
        var itemOfNode = [Int32](repeating: 0, count: graph.count)
        var node = 0
        for group in outermost {
            let range = groups[group].nodes.clamped(to: 0..<graph.count)
            guard range.lowerBound >= node else { continue }  // overlapping ranges: keep the first
            while node < range.lowerBound {
                itemOfNode[node] = Int32(items.count)
                items.append(.node(node))
                node += 1
            }
            for member in range { itemOfNode[member] = Int32(items.count) }
            items.append(.group(group))
            node = range.upperBound
        }
        while node < graph.count {
            itemOfNode[node] = Int32(items.count)
            items.append(.node(node))
            node += 1
        }
        count = items.count
        self.items = items
        self.itemOfNode = itemOfNode
    }

    /// The item at `index`.
    func item(_ index: Int) -> GraphItem { items?[index] ?? .node(index) }

    /// The index of the item that shows `node`.
    func index(of node: NodeID) -> Int { itemOfNode.map { Int($0[node]) } ?? node }

    /// The nodes an item stands for.
    func nodes(of item: GraphItem, in graph: Graph) -> Range<NodeID> {
        switch item {
        case .node(let node): node..<(node + 1)
        case .group(let group): graph.annotations.groups[group].nodes.clamped(to: 0..<graph.count)
        }
    }

    /// The node that represents an item: itself, or a group's last node (its result, usually).
    func representative(of item: GraphItem, in graph: Graph) -> NodeID {
        switch item {
        case .node(let node): node
        case .group: max(nodes(of: item, in: graph).upperBound - 1, nodes(of: item, in: graph).lowerBound)
        }
    }
}
