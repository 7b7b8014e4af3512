import GradFlow

/// The part of the graph the graph pane lays out: every item of a small graph, or, for a large
/// one, a chunk of items around the focus with the operands they read.
///
/// Graphviz takes seconds on thousands of nodes, so a large graph is never laid out whole.
/// Chunks are fixed runs of items in evaluation order, so stepping within one reuses its layout.
struct GraphWindow: Sendable {
    /// Item indices, ascending (which keeps them topologically sorted).
    let members: [Int]
    /// Which chunk (nil: the whole graph).
    let chunk: Int?
    /// Edges between members, as positions into `members`: operand → consumer, no duplicates.
    let edges: [(from: Int, to: Int)]

    /// Graphs with at most this many items are laid out whole.
    static let wholeGraphLimit = 150
    /// Items per chunk of a larger graph.
    static let chunkSize = 40
    /// At most this many operands from before the chunk are added to it.
    static let contextLimit = 16

    /// Which chunk `item` falls in, or nil when the graph is laid out whole.
    static func chunk(of item: Int?, itemCount: Int) -> Int? {
        itemCount <= wholeGraphLimit ? nil : (item ?? 0) / chunkSize
    }

    /// - Complexity: O(items) for a small graph; O(nodes in the chunk's items + their operands)
    ///   for a large one.
    init(graph: Graph, items: FoldedItems, chunk: Int?) {
        self.chunk = chunk
        var members: [Int]
        if let chunk {
            let start = chunk * Self.chunkSize
            let core = start..<min(start + Self.chunkSize, items.count)
            var context = Set<Int>()
            for index in core {
                let item = items.item(index)
                for node in items.nodes(of: item, in: graph) {
                    for operand in graph.operands(of: node) {
                        let operandItem = items.index(of: operand)
                        if operandItem < start { context.insert(operandItem) }
                    }
                }
            }
            // Keep the operands nearest the chunk: they explain it best.
            members = context.sorted().suffix(Self.contextLimit) + Array(core)
        } else {
            members = Array(0..<items.count)
        }
        self.members = members
        var position = [Int: Int]()
        position.reserveCapacity(members.count)
        for (index, member) in members.enumerated() { position[member] = index }
        var edges: [(from: Int, to: Int)] = []
        for (consumer, member) in members.enumerated() {
            var seen = Set<Int>()
            for node in items.nodes(of: items.item(member), in: graph) {
                for operand in graph.operands(of: node) {
                    guard let from = position[items.index(of: operand)], from != consumer,
                          seen.insert(from).inserted else { continue }
                    edges.append((from, consumer))
                }
            }
        }
        self.edges = edges
    }

    /// A stand-in graph with one node per member and one operand edge per window edge, in the
    /// same order: what the layout engine is given. Node `i` stands for `members[i]`.
    func proxyGraph() -> Graph {
        var operands = [[Int]](repeating: [], count: members.count)
        for edge in edges { operands[edge.to].append(edge.from) }
        var proxy = Graph()
        proxy.reserveCapacity(members.count)
        for position in members.indices {
            if operands[position].isEmpty {
                proxy.appendLeaf(.constant, value: 0)
            } else {
                proxy.appendVariadic(.sum, operands[position])
            }
        }
        return proxy
    }
}
