import GradFlow

/// The part of the graph the graph pane lays out: every item of a small graph, or, for a large
/// one, the neighbourhood of the focus: its chunk of items, the operands they read from the
/// chunk just before, and the nodes of the current step wherever they are.
///
/// Graphviz takes seconds on thousands of nodes, so a large graph is never laid out whole.
/// Chunks are fixed runs of items in evaluation order, so stepping within one reuses its
/// layout. An input or constant from outside the chunk is drawn as a proxy box beside each
/// item that reads it (an input read by every layer would otherwise pull an edge from far away
/// into every node of every chunk); other operands from further back are left out unless the
/// step involves them.
struct GraphWindow: Sendable {
    /// Item indices, ascending (which keeps them topologically sorted).
    let members: [Int]
    /// Proxy boxes: a leaf item from outside the chunk drawn again beside one consumer (a
    /// position in `members`), or an operand drawn again in a later band (see ``Bands``),
    /// beside the first of its readers there. Box `members.count + k` is proxy `k`.
    let proxies: [(item: Int, consumer: Int)]
    /// Which chunk (nil: the whole graph).
    let chunk: Int?
    /// Items per chunk.
    let chunkSize: Int
    /// Edges between boxes, as box positions: operand → consumer, no duplicates.
    var edges: [(from: Int, to: Int)]
    /// Per box, the band it is drawn in (all 0 unless the window is cut into bands).
    let bandOfBox: [Int]
    /// Edges left out of the layout (``EdgeBudget``): too many to route.
    var omittedEdges = 0
    /// Edges of items added only for the step (as `from * boxes + to`): not given to Graphviz,
    /// so that the step does not move the window's boxes, but routed through the free cells.
    let stepOnlyEdges: Set<Int>

    /// Graphs with at most this many items are laid out whole.
    static let wholeGraphLimit = 150
    /// The most items per chunk of a larger graph.
    static let chunkSize = 40
    /// A leaf of a chunk read by at least this many of its items gets a proxy beside each.
    static let proxyReaders = 3
    /// At most this many operands from the chunk before are added to it.
    static let contextLimit = 6

    /// The items per chunk for a pane: a small pane gets small windows, so that the boxes
    /// around the step are drawn large enough to read.
    static func chunkSize(forPaneColumns columns: Int, rows: Int) -> Int {
        max(10, min(chunkSize, columns * rows / 80))
    }

    /// Which chunk `item` falls in, or nil when the graph is laid out whole.
    static func chunk(of item: Int?, itemCount: Int, chunkSize: Int = chunkSize) -> Int? {
        itemCount <= wholeGraphLimit ? nil : (item ?? 0) / chunkSize
    }

    /// The item of each box: members, then proxies.
    var boxItems: [Int] { members + proxies.map(\.item) }

    /// The box showing `item`: its proxy beside `consumer` (a box position) if it has one,
    /// else the member.
    func position(of item: Int, consumer: Int? = nil) -> Int? {
        if let consumer {
            if let index = proxies.firstIndex(where: { $0.item == item && $0.consumer == consumer }) {
                return members.count + index
            }
            // A band's copy of an operand is wired to every reader in its band.
            if let edge = edges.first(where: { $0.to == consumer && $0.from >= members.count && proxies[$0.from - members.count].item == item }) {
                return edge.from
            }
        }
        // A leaf drawn only beside its readers: the first of those.
        return binarySearch(members, item) ?? proxies.firstIndex { $0.item == item }.map { members.count + $0 }
    }

    /// - Complexity: O(items) for a small graph; O(nodes in the chunk's items + their operands)
    ///   for a large one.
    ///
    /// - Parameter stepItems: the items of the current step (its node, the consumer passing
    ///   back, the operands evaluated), added when outside the chunk.
    /// - Parameter proxyLeaves: whether a leaf read by many items of a whole graph is drawn
    ///   beside each of them (windows of a large graph always do this).
    /// - Parameter bands: how many bands a deep graph is cut into (see ``Bands``).
    init(graph: Graph, items: FoldedItems, chunk: Int?, chunkSize: Int = chunkSize, stepItems: [Int] = [],
         proxyLeaves: Bool = false, bands: Int = 1) {
        self.chunk = chunk
        self.chunkSize = chunkSize
        var members: [Int]
        var proxied = Set<Int>()
        // Items added only for the step are not laid out with their edges: those are routed
        // afterwards, around what is laid out.
        var stepOnly = Set<Int>()
        if let chunk {
            let start = chunk * chunkSize
            let core = start..<min(start + chunkSize, items.count)
            var context = Set<Int>()
            for index in core {
                for node in items.nodes(of: items.item(index), in: graph) {
                    for operand in graph.operands(of: node) {
                        let operandItem = items.index(of: operand)
                        guard operandItem < start else { continue }
                        if graph.ops[operand].isLeaf, case .node = items.item(operandItem) {
                            proxied.insert(operandItem)
                        } else if operandItem >= start - chunkSize {
                            context.insert(operandItem)
                        }
                    }
                }
            }
            // Keep the operands nearest the chunk: they explain it best.
            var chosen = Set(context.sorted().suffix(Self.contextLimit))
            for item in stepItems where !core.contains(item) && !proxied.contains(item) && chosen.insert(item).inserted {
                stepOnly.insert(item)
            }
            members = (chosen.sorted() + Array(core)).sorted()
        } else {
            members = Array(0..<items.count)
        }
        if chunk != nil || proxyLeaves {
            // A leaf read by many items (the weights of an unrolled loop, a learning rate) is
            // drawn beside each of them too, not wired to all of them.
            let core = chunk.map { ($0 * chunkSize)..<min(($0 + 1) * chunkSize, items.count) } ?? 0..<items.count
            var readers: [Int: Set<Int>] = [:]
            for index in core {
                for node in items.nodes(of: items.item(index), in: graph) {
                    for operand in graph.operands(of: node) where graph.ops[operand].isLeaf {
                        let operandItem = items.index(of: operand)
                        if core.contains(operandItem), case .node = items.item(operandItem) {
                            readers[operandItem, default: []].insert(index)
                        }
                    }
                }
            }
            for (leaf, consumers) in readers where consumers.count >= Self.proxyReaders { proxied.insert(leaf) }
        }
        var position = [Int: Int]()
        position.reserveCapacity(members.count)
        for (index, member) in members.enumerated() { position[member] = index }
        var edges: [(from: Int, to: Int)] = []
        var proxies: [(item: Int, consumer: Int)] = []
        var stepOnlyPairs: [(from: Int, to: Int)] = []
        for (consumer, member) in members.enumerated() {
            var seen = Set<Int>()
            // What every iteration of a folded run reads is drawn beside its box (as in export).
            let shared = items.proxies(of: items.item(member))
            for node in items.nodes(of: items.item(member), in: graph) {
                for operand in graph.operands(of: node) {
                    let operandItem = items.index(of: operand)
                    if proxied.contains(operandItem) || shared.contains(operand) {
                        guard seen.insert(-1 - operandItem).inserted else { continue }
                        proxies.append((operandItem, consumer))
                        edges.append((members.count + proxies.count - 1, consumer))
                        continue
                    }
                    guard let from = position[operandItem], from != consumer, seen.insert(from).inserted else { continue }
                    if stepOnly.contains(operandItem) || stepOnly.contains(member) { stepOnlyPairs.append((from, consumer)) }
                    edges.append((from, consumer))
                }
            }
        }
        // A leaf drawn beside each of its readers needs no box of its own: it would stand
        // apart, wired to nothing (an RNN's weights beside each piece of a folded loop).
        var linked = Set<Int>()
        for edge in edges { linked.formUnion([edge.from, edge.to]) }
        let proxiedItems = Set(proxies.map(\.item))
        let standalone = Set(members.indices.filter { !linked.contains($0) && proxiedItems.contains(members[$0]) })
        if !standalone.isEmpty {
            var newPosition = [Int](repeating: -1, count: members.count)
            var kept: [Int] = []
            for (index, member) in members.enumerated() where !standalone.contains(index) {
                newPosition[index] = kept.count
                kept.append(member)
            }
            func moved(_ old: Int) -> Int { old < members.count ? newPosition[old] : old - standalone.count }
            edges = edges.map { (moved($0.from), moved($0.to)) }
            proxies = proxies.map { ($0.item, moved($0.consumer)) }
            stepOnlyPairs = stepOnlyPairs.map { (moved($0.from), moved($0.to)) }
            members = kept
        }
        self.members = members
        let banded = Bands.cut(memberCount: members.count, memberItems: members, edges: edges, proxies: proxies,
                               count: bands)
        self.proxies = banded.proxies
        self.edges = banded.edges
        bandOfBox = banded.bandOfBox
        let boxCount = members.count + banded.proxies.count
        stepOnlyEdges = Set(stepOnlyPairs.map { $0.from * boxCount + $0.to })
    }

    /// Whether the edge `from` → `to` (box positions) is routed only, not laid out.
    func isStepOnly(_ edge: (from: Int, to: Int)) -> Bool {
        stepOnlyEdges.contains(edge.from * (members.count + proxies.count) + edge.to)
    }
}
