/// What a layout is made from: box sizes and the edges among them, nothing else.
///
/// The layout never sees the recorded graph: a caller that lays out a window of a graph, folded
/// groups or proxies describes just the boxes it will draw. A plain value, so a layout can be
/// computed on any thread.
public struct LayoutRequest: Sendable, Hashable {
    /// Box `i`'s width and height in inches.
    public var sizes: [Size]
    /// Edges as (operand box, consumer box); a pair may repeat (`x * x`).
    public var edges: [Edge]
    public var direction: RankDirection
    /// Inches between neighbouring boxes of one rank, and between ranks (Graphviz's `nodesep`
    /// and `ranksep`); nil keeps Graphviz's defaults (0.25 and 0.5).
    public var nodeSeparation: Double?
    public var rankSeparation: Double?

    public struct Size: Sendable, Hashable {
        public var width: Double
        public var height: Double
        public init(width: Double, height: Double) {
            self.width = width
            self.height = height
        }
    }

    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int
        public init(from: Int, to: Int) {
            self.from = from
            self.to = to
        }
    }

    public init(sizes: [Size], edges: [Edge], direction: RankDirection = .leftToRight,
                nodeSeparation: Double? = nil, rankSeparation: Double? = nil) {
        self.sizes = sizes
        self.edges = edges
        self.direction = direction
        self.nodeSeparation = nodeSeparation
        self.rankSeparation = rankSeparation
    }
}
