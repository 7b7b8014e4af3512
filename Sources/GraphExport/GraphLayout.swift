import GradFlow

/// Graphviz's layout of a graph, read back from its `plain` output: what the terminal stepper
/// maps to character cells so that the terminal picture and the exported picture agree.
///
/// Coordinates are Graphviz's: inches, origin at the bottom left, y growing upwards.
public struct GraphLayout: Sendable, Equatable {
    /// The bounding box of the whole drawing.
    public var width: Double
    public var height: Double
    /// One box per laid-out node.
    public var nodes: [NodeBox]
    /// One path per laid-out edge, from operand to consumer.
    public var edges: [EdgePath]

    public init(width: Double, height: Double, nodes: [NodeBox], edges: [EdgePath]) {
        self.width = width
        self.height = height
        self.nodes = nodes
        self.edges = edges
    }

    /// A node's box, centred at (`x`, `y`).
    public struct NodeBox: Sendable, Equatable {
        public var node: NodeID
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double

        public init(node: NodeID, x: Double, y: Double, width: Double, height: Double) {
            self.node = node
            self.x = x
            self.y = y
            self.width = width
            self.height = height
        }
    }

    /// An edge as Graphviz routed it: B-spline control points from `from` (operand) to `to`.
    public struct EdgePath: Sendable, Equatable {
        public var from: NodeID
        public var to: NodeID
        public var points: [Point]

        public init(from: NodeID, to: NodeID, points: [Point]) {
            self.from = from
            self.to = to
            self.points = points
        }
    }

    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double

        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }
}
