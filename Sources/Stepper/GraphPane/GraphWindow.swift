import GradFlow

/// The part of the graph the graph pane lays out: every item of a small graph, or, for a large
/// one, the neighbourhood of the focus: its chunk of items, the operands they read from the
/// chunk just before, and the nodes of the current step wherever they are.
///
/// Graphviz takes seconds on thousands of nodes, so a large graph is never laid out whole.
/// Chunks are fixed runs of items in evaluation order, so stepping within one reuses its
/// layout. Operands from further back are left out unless the step involves them: an input
/// read by every layer would otherwise pull an edge into every node of every chunk.
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
    /// At most this many operands from the chunk before are added to it.
    static let contextLimit = 6

    /// Which chunk `item` falls in, or nil when the graph is laid out whole.
    static func chunk(of item: Int?, itemCount: Int) -> Int? {
        itemCount <= wholeGraphLimit ? nil : (item ?? 0) / chunkSize
    }

    /// - Complexity: O(items) for a small graph; O(nodes in the chunk's items + their operands)
    ///   for a large one.
    ///
    /// - Parameter stepItems: the items of the current step (its node, the consumer passing
    ///   back, the operands evaluated), added when outside the chunk.
    init(graph: Graph, items: FoldedItems, chunk: Int?, stepItems: [Int] = []) {
        self.chunk = chunk
        var members: [Int]
        // Items added only for the step get no edges in the layout: the step's own edge is
        // drawn over it (an input read by every layer would otherwise bring an edge to every
        // node of the chunk, and each step a new layout).
        var stepOnly = Set<Int>()
        if let chunk {
            let start = chunk * Self.chunkSize
            let core = start..<min(start + Self.chunkSize, items.count)
            var context = Set<Int>()
            for index in core {
                let item = items.item(index)
                for node in items.nodes(of: item, in: graph) {
                    for operand in graph.operands(of: node) {
                        let operandItem = items.index(of: operand)
                        if operandItem < start && operandItem >= start - Self.chunkSize { context.insert(operandItem) }
                    }
                }
            }
            // Keep the operands nearest the chunk: they explain it best.
            var chosen = Set(context.sorted().suffix(Self.contextLimit))
            for item in stepItems where !core.contains(item) && chosen.insert(item).inserted { stepOnly.insert(item) }
            members = (chosen.sorted() + Array(core)).sorted()
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
                    let operandItem = items.index(of: operand)
                    guard let from = position[operandItem], from != consumer,
                          !stepOnly.contains(operandItem), !stepOnly.contains(member),
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
