import GradFlow

/// What every report is about: a recorded graph with its named inputs and outputs.
///
/// A scene provides these directly; a graph recorded through the Swift API provides them
/// through ``init(graph:)``.
public struct Computation: Sendable {
    /// A node and the name people know it by.
    public struct Named: Sendable, Equatable {
        public var name: String
        public var node: NodeID

        public init(name: String, node: NodeID) {
            self.name = name
            self.node = node
        }
    }

    public var graph: Graph
    /// The differentiable inputs, in declaration order: the columns of every gradient.
    public var inputs: [Named]
    /// The outputs, in declaration order.
    public var outputs: [Named]
    /// The scene's title, if any.
    public var title: String?

    public init(graph: Graph, inputs: [Named], outputs: [Named], title: String? = nil) {
        self.graph = graph
        self.inputs = inputs
        self.outputs = outputs
        self.title = title
    }

    /// Reads the inputs (every `.input` node, in order, by label), the outputs and the title
    /// from the graph's annotations; a graph without declared outputs reports its last node.
    public init(graph: Graph) {
        let inputs = graph.inputs.map { Named(name: graph.label(of: $0), node: $0) }
        var outputs = graph.annotations.outputs.map { Named(name: $0.name, node: $0.node) }
        if outputs.isEmpty, graph.count > 0 {
            outputs = [Named(name: graph.label(of: graph.count - 1), node: graph.count - 1)]
        }
        self.init(graph: graph, inputs: inputs, outputs: outputs, title: graph.annotations.title)
    }

    /// The output called `name`, if there is one.
    public func output(named name: String) -> Named? { outputs.first { $0.name == name } }

    /// The input called `name`, if there is one.
    public func input(named name: String) -> Named? { inputs.first { $0.name == name } }
}
