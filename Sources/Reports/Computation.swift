import GradFlow

/// What every report is about: a recorded graph with its named inputs and outputs, read once
/// from the graph's annotations (a scene's and a graph file's, or a Swift API graph's).
public struct Computation: Sendable {
    public let graph: Graph
    /// The differentiable inputs, in declaration order: the columns of every gradient.
    public let inputs: [NamedNode]
    /// The outputs (``Graph/reportedOutputs``), in declaration order.
    public let outputs: [NamedNode]
    /// The scene's title, if any.
    public var title: String? { graph.annotations.title }

    public init(graph: Graph) {
        self.graph = graph
        inputs = graph.namedInputs
        outputs = graph.reportedOutputs
    }

    /// The output called `name`, if there is one.
    public func output(named name: String) -> NamedNode? { outputs.first { $0.name == name } }

    /// The input called `name`, if there is one.
    public func input(named name: String) -> NamedNode? { inputs.first { $0.name == name } }
}
