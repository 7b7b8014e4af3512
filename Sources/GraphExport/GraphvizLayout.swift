import Foundation
import GradFlow

/// Which way the graph flows: operands to consumers left to right (the default) or top to bottom.
public enum RankDirection: String, Sendable, CaseIterable {
    case leftToRight = "LR", topToBottom = "TB"
}

/// Why a layout could not be made from the caller's arguments (Graphviz's own failures are
/// ``GraphvizError``s).
public enum LayoutError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A requested node is not in the graph.
    case unknownNode(NodeID, nodeCount: Int)
    /// A box size that is not a positive finite number of inches.
    case invalidNodeSize(NodeID, width: Double, height: Double)
    /// More nodes than ``GraphvizLayout/maximumNodeCount``: Graphviz would take minutes.
    case tooManyNodes(Int, limit: Int)

    public var description: String {
        switch self {
        case .unknownNode(let node, let count):
            "node \(node) is not in the graph (it has \(count) nodes)"
        case .invalidNodeSize(let node, let width, let height):
            "node \(node) has an invalid size \(width) × \(height) inches"
        case .tooManyNodes(let count, let limit):
            "\(count) nodes are too many to lay out (the limit is \(limit)); fold groups first"
        }
    }
}

/// Graphviz's `dot` layout of a recorded graph, computed in-process.
public enum GraphvizLayout {
    /// The most nodes handed to Graphviz in one layout.
    ///
    /// dot's layout time grows much faster than linearly (crossing minimisation and network
    /// simplex); beyond a few thousand nodes it takes longer than anyone waits at a terminal.
    public static let maximumNodeCount = 3_000

    /// Lays out `nodes` (nil: every node) of `graph` with Graphviz's dot engine, in-process, as
    /// fixed-size boxes of the given size in inches; edges are the operand edges among those nodes.
    ///
    /// Edge paths run from the operand's box border to the consumer's: no room is left for an
    /// arrowhead, so a drawing puts its own arrow glyph at the last point.
    ///
    /// A node that uses the same operand twice (`x * x`) gets two edges from it. Nodes are laid
    /// out in the order given; duplicates in `nodes` are ignored.
    ///
    /// - Throws: ``LayoutError`` for an unknown node, a size that is not positive and finite, or
    ///   more than ``maximumNodeCount`` nodes; ``GraphvizError`` when Graphviz fails.
    /// - Complexity: O(n + e) to write and parse; Graphviz's layout itself is superlinear.
    public static func layout(of graph: Graph, nodes: [NodeID]? = nil,
                              nodeSize: (NodeID) -> (width: Double, height: Double),
                              rankDirection: RankDirection = .leftToRight) throws -> GraphLayout {
        let selected = try selectedNodes(nodes, in: graph)
        var position = [NodeID: Int]()
        for (index, node) in selected.enumerated() { position[node] = index }
        var sizes: [LayoutRequest.Size] = []
        for node in selected {
            let size = nodeSize(node)
            guard size.width.isFinite, size.height.isFinite, size.width > 0, size.height > 0 else {
                throw LayoutError.invalidNodeSize(node, width: size.width, height: size.height)
            }
            sizes.append(LayoutRequest.Size(width: size.width, height: size.height))
        }
        var edges: [LayoutRequest.Edge] = []
        for (index, node) in selected.enumerated() {
            for operand in graph.operands(of: node) {
                if let from = position[operand] { edges.append(LayoutRequest.Edge(from: from, to: index)) }
            }
        }
        var layout = try self.layout(LayoutRequest(sizes: sizes, edges: edges, direction: rankDirection))
        // Back from positions in `selected` to node ids.
        for index in layout.nodes.indices { layout.nodes[index].node = selected[layout.nodes[index].node] }
        for index in layout.edges.indices {
            layout.edges[index].from = selected[layout.edges[index].from]
            layout.edges[index].to = selected[layout.edges[index].to]
        }
        return layout
    }

    /// Lays out the boxes and edges of `request` with Graphviz's dot engine, in-process. Box `i`
    /// comes back as node `i`.
    ///
    /// A pure function of its argument (Graphviz's context is serialised inside), so it may be
    /// called from any thread.
    ///
    /// - Throws: ``LayoutError`` for an edge naming no box, a size that is not positive and
    ///   finite, or more than ``maximumNodeCount`` boxes; ``GraphvizError`` when Graphviz fails.
    public static func layout(_ request: LayoutRequest) throws -> GraphLayout {
        guard request.sizes.count <= maximumNodeCount else {
            throw LayoutError.tooManyNodes(request.sizes.count, limit: maximumNodeCount)
        }
        let dot = try layoutDOT(request)
        let plain = try Graphviz.shared.perform { session in
            try session.render(dot: dot, format: "plain")
        }
        return try PlainLayoutParser.parse(String(decoding: plain, as: UTF8.self))
    }

    /// The nodes to lay out, validated, without duplicates, in the caller's order.
    static func selectedNodes(_ nodes: [NodeID]?, in graph: Graph) throws -> [NodeID] {
        guard let nodes else {
            guard graph.count <= maximumNodeCount else {
                throw LayoutError.tooManyNodes(graph.count, limit: maximumNodeCount)
            }
            return Array(graph.nodes)
        }
        var seen = Set<NodeID>()
        var selected: [NodeID] = []
        for node in nodes where seen.insert(node).inserted {
            guard graph.nodes.contains(node) else { throw LayoutError.unknownNode(node, nodeCount: graph.count) }
            selected.append(node)
        }
        guard selected.count <= maximumNodeCount else {
            throw LayoutError.tooManyNodes(selected.count, limit: maximumNodeCount)
        }
        return selected
    }

    /// DOT with one fixed-size, label-free box per request box, named `n<index>` so the parser
    /// can map back, and edges without arrowheads so that their splines reach both borders.
    static func layoutDOT(_ request: LayoutRequest) throws -> String {
        var attributes = "rankdir=\(request.direction.rawValue);"
        if let separation = request.nodeSeparation { attributes += " nodesep=\(inches(Swift.max(0.02, separation)));" }
        if let separation = request.rankSeparation { attributes += " ranksep=\(inches(Swift.max(0.02, separation)));" }
        var dot = """
            digraph layout {
              \(attributes)
              node [shape=box, fixedsize=true, label=""];
              edge [arrowhead=none];

            """
        for (box, size) in request.sizes.enumerated() {
            guard size.width.isFinite, size.height.isFinite, size.width > 0, size.height > 0 else {
                throw LayoutError.invalidNodeSize(box, width: size.width, height: size.height)
            }
            // Graphviz refuses boxes below 0.01 inches.
            let width = Swift.max(size.width, 0.01), height = Swift.max(size.height, 0.01)
            dot += "  n\(box) [width=\(inches(width)), height=\(inches(height))];\n"
        }
        for edge in request.edges {
            guard request.sizes.indices.contains(edge.from), request.sizes.indices.contains(edge.to) else {
                throw LayoutError.unknownNode(Swift.max(edge.from, edge.to), nodeCount: request.sizes.count)
            }
            dot += "  n\(edge.from) -> n\(edge.to);\n"
        }
        dot += "}\n"
        return dot
    }

    /// A length in fixed notation, never an exponent, which is what DOT's number syntax expects.
    private static func inches(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}
