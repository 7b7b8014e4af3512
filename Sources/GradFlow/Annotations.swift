/// What the people reading a graph need and the mathematics does not: names, groups, notes.
///
/// Kept compact so that a ten-million-node graph pays little for it: names as a base and a
/// version per node (``NodeNames``), groups as label templates and runs of nodes (``GroupList``,
/// ``GroupMembership``), each written out only when read. A graph recorded through the Swift API
/// without names pays nothing.
public struct Annotations: Sendable, Equatable {
    /// A display name per named node, e.g. `x1`, `v2`, or `v₂` for a second version of `v`.
    public var names = NodeNames()
    /// A teaching note per node, shown when a stepper reaches it.
    public var notes: [NodeID: String] = [:]
    /// The groups (function calls, loop bodies), in the order they were opened.
    public var groups = GroupList()
    /// The innermost group of each grouped node, as an index into `groups`.
    public var groupOfNode = GroupMembership()
    /// The outputs, in order, with the name each was declared under.
    public var outputs: [NamedNode] = []
    /// The title of the scene, if any.
    public var title: String?

    public init() {}

    /// A function call or an unrolled loop body: a contiguous run of nodes.
    public struct Group: Sendable, Equatable {
        /// The label shown on the cluster, e.g. `neuron(x, w)` or `repeat #2`.
        public var label: String
        /// The enclosing group, if nested.
        public var parent: Int?
        /// The nodes recorded inside it (including nested groups' nodes).
        public var nodes: Range<NodeID>

        public init(label: String, parent: Int?, nodes: Range<NodeID>) {
            self.label = label
            self.parent = parent
            self.nodes = nodes
        }
    }
}

/// A node and the name people know it by: an input or an output, as a scene declares it.
public struct NamedNode: Sendable, Equatable {
    public var name: String
    public var node: NodeID

    public init(name: String, node: NodeID) { (self.name, self.node) = (name, node) }
}

extension Graph {
    /// Every input under its name, in declaration order: the columns of every gradient.
    public var namedInputs: [NamedNode] { inputs.map { NamedNode(name: label(of: $0), node: $0) } }

    /// The outputs people are shown: the declared ones, or the last node when none was declared
    /// (a graph recorded through the Swift API).
    public var reportedOutputs: [NamedNode] {
        if !annotations.outputs.isEmpty || count == 0 { return annotations.outputs }
        return [NamedNode(name: label(of: count - 1), node: count - 1)]
    }
}
