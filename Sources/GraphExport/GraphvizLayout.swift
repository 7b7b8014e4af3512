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
        let dot = try layoutDOT(of: graph, nodes: selected, nodeSize: nodeSize, rankDirection: rankDirection)
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

    /// DOT with one fixed-size, label-free box per node, named `n<id>` so the parser can map back,
    /// and edges without arrowheads so that their splines reach both borders.
    static func layoutDOT(of graph: Graph, nodes: [NodeID],
                          nodeSize: (NodeID) -> (width: Double, height: Double),
                          rankDirection: RankDirection) throws -> String {
        var dot = """
            digraph layout {
              rankdir=\(rankDirection.rawValue);
              node [shape=box, fixedsize=true, label=""];
              edge [arrowhead=none];

            """
        let included = Set(nodes)
        for node in nodes {
            let size = nodeSize(node)
            guard size.width.isFinite, size.height.isFinite, size.width > 0, size.height > 0 else {
                throw LayoutError.invalidNodeSize(node, width: size.width, height: size.height)
            }
            // Graphviz refuses boxes below 0.01 inches.
            let width = Swift.max(size.width, 0.01), height = Swift.max(size.height, 0.01)
            dot += "  n\(node) [width=\(inches(width)), height=\(inches(height))];\n"
        }
        for node in nodes {
            for operand in graph.operands(of: node) where included.contains(operand) {
                dot += "  n\(operand) -> n\(node);\n"
            }
        }
        dot += "}\n"
        return dot
    }

    /// A length in fixed notation, never an exponent, which is what DOT's number syntax expects.
    private static func inches(_ value: Double) -> String {
        String(format: "%.4f", value)
    }
}
