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

/// The first node whose value is NaN or infinite: the place a computation went wrong.
///
/// Every command reports it (a warning on stderr for people, a `firstNonFinite` field in JSON),
/// because a NaN gradient is far easier to understand from the node that produced it.
public struct NonFiniteNode: Sendable, Equatable {
    public var node: NodeID
    /// The node's label, e.g. `v1`.
    public var name: String
    /// Its expression in terms of earlier nodes, e.g. `ln(x1)`.
    public var expression: String
    public var value: Double
    /// Its operands' values, e.g. `x1 = -1`, which usually say why.
    public var operandValues: String

    /// The first non-finite node of `graph`, or nil when every value is finite.
    /// - Complexity: O(nodes).
    public init?(in graph: Graph) {
        guard let node = graph.firstNonFiniteNode else { return nil }
        self.node = node
        name = graph.label(of: node)
        expression = graph.expression(of: node)
        value = graph.values[node]
        operandValues = graph.operands(of: node)
            .map { "\(graph.label(of: $0)) = \(NumberFormat.shortest.string(graph.values[$0]))" }
            .joined(separator: ", ")
    }

    /// One sentence for people: `v1 = ln(x1) is NaN where x1 = -1; it is the first node that is
    /// not finite`.
    public var message: String {
        let valueText = NumberFormat.shortest.string(value)
        let what = operandValues.isEmpty ? name : "\(name) = \(expression)"
        let whereText = operandValues.isEmpty ? "" : " where \(operandValues)"
        return "\(what) is \(valueText)\(whereText); it is the first node that is not finite"
    }

    /// `{"node":"v1","expression":"ln(x1)","value":"NaN"}`.
    public var json: JSONValue {
        .object([("node", .string(name)), ("expression", .string(expression)), ("value", .number(value))])
    }
}
