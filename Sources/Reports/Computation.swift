import GradFlow

/// What every report is about: a recorded graph with its named inputs and outputs.
///
/// A scene provides these directly; a graph recorded through the Swift API provides them
/// through ``init(graph:)``.
public struct Computation: Sendable {
    public var graph: Graph
    /// The differentiable inputs, in declaration order: the columns of every gradient.
    public var inputs: [NamedNode]
    /// The outputs, in declaration order.
    public var outputs: [NamedNode]
    /// The scene's title, if any.
    public var title: String?

    public init(graph: Graph, inputs: [NamedNode], outputs: [NamedNode], title: String? = nil) {
        self.graph = graph
        self.inputs = inputs
        self.outputs = outputs
        self.title = title
    }

    /// Reads the inputs, the outputs (``Graph/reportedOutputs``) and the title from the graph.
    public init(graph: Graph) {
        self.init(graph: graph, inputs: graph.namedInputs, outputs: graph.reportedOutputs, title: graph.annotations.title)
    }

    /// The output called `name`, if there is one.
    public func output(named name: String) -> NamedNode? { outputs.first { $0.name == name } }

    /// The input called `name`, if there is one.
    public func input(named name: String) -> NamedNode? { inputs.first { $0.name == name } }
}
