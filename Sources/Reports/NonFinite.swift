import GradFlow
import Notation

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
    /// Whether the node is a constant computed from numbers alone as the scene was read
    /// (`big = exp(1000)`, `1/0`): nothing in the graph made it.
    public var isConstant: Bool
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
        isConstant = graph.ops[node] == .constant
        // A tensor is named by its first element that is not finite; a large operand by its shape.
        value = graph.tensor(of: node).elements.first { !$0.isFinite } ?? graph.values[node]
        operandValues = graph.operands(of: node).map { operand in
            let tensor = graph.tensor(of: operand)
            let text = tensor.count > 8 ? "a \(Tensor.describe(tensor.shape)) tensor" : tensor.nested { NumberFormat.shortest.string($0) }
            return "\(graph.label(of: operand)) = \(text)"
        }.joined(separator: ", ")
    }

    /// One sentence for people: `v1 = ln(x1) is NaN where x1 = -1; it is the first node that is
    /// not finite`.
    public var message: String {
        let valueText = NumberFormat.shortest.string(value)
        let what = operandValues.isEmpty ? (isConstant ? "\(name), a constant computed from numbers alone," : name)
            : "\(name) = \(expression)"
        let whereText = operandValues.isEmpty ? "" : " where \(operandValues)"
        return "\(what) is \(valueText)\(whereText); it is the first node that is not finite"
    }

    /// `{"node":"v1","expression":"ln(x1)","value":"NaN"}`.
    public var json: JSONValue {
        .object([("node", .string(name)), ("expression", .string(expression)), ("value", .number(value))])
    }
}

/// The first step of a backward pass whose contribution is NaN or infinite, when every value is
/// finite: why a gradient is infinite although nothing in the forward pass is.
///
/// `sqrt(x)` at `x = 0` is the classic case: the value is 0, but ∂sqrt(x)/∂x = 1/(2·0) is
/// infinite, so `x̄ += ȳ · ∂y/∂x = 1 · Infinity = Infinity`.
public struct NonFiniteContribution: Sendable {
    public let output: NamedNode
    public let contribution: Contribution
    /// `x̄ += ȳ · ∂y/∂x`.
    public let update: String
    /// `1 · Infinity = Infinity`.
    public let arithmetic: String
    /// `y = sqrt(x) where x = 0`.
    public let cause: String
    /// The receiving node's label.
    public let to: String
    public let from: String

    /// The first non-finite contribution of `output`'s backward pass, or nil when there is none.
    /// - Complexity: O(nodes + operands) time and memory (one ``Timeline``).
    public init?(in graph: Graph, output: NamedNode) {
        let timeline = Timeline(graph: graph, mode: .reverse(output: output.node))
        guard let index = (0..<timeline.contributionCount).first(where: { !timeline.contribution($0).contribution.isFinite })
        else { return nil }
        let contribution = timeline.contribution(index)
        self.output = output
        self.contribution = contribution
        from = graph.label(of: contribution.from)
        to = graph.label(of: contribution.to)
        let notation = Notation()
        update = notation.update(to: to, from: from)
        arithmetic = notation.arithmetic(contribution)
        let number = NumberFormat.shortest
        let operands = graph.operands(of: contribution.from)
            .map { "\(graph.label(of: $0)) = \(number.string(graph.values[$0]))" }
            .joined(separator: ", ")
        cause = "\(from) = \(graph.expression(of: contribution.from)) where \(operands)"
    }

    /// The first non-finite contribution of each output whose gradient is not finite, when
    /// every value is finite (otherwise ``NonFiniteNode`` already names the culprit).
    public static func all(in computation: Computation) -> [NonFiniteContribution] {
        let graph = computation.graph
        // The scalar timeline cannot name a tensor contribution yet.
        guard graph.firstNonFiniteNode == nil, !graph.hasTensors else { return [] }
        return computation.outputs.compactMap { output in
            let adjoint = graph.adjoints(from: output.node)
            guard computation.inputs.contains(where: { !adjoint[$0.node].isFinite }) else { return nil }
            return NonFiniteContribution(in: graph, output: output)
        }
    }

    /// One sentence for people: `the gradient of f is not finite: its backward pass first went
    /// non-finite at x̄ += ȳ · ∂y/∂x = 1 · Infinity = Infinity, where y = sqrt(x) where x = 0`.
    public var message: String {
        "the gradient of \(output.name) is not finite: its backward pass first went non-finite at "
            + "\(update) = \(arithmetic), with \(cause)"
    }

    /// `{"output":"f","from":"y","to":"x","localDerivative":"Infinity","incomingAdjoint":1}`.
    public var json: JSONValue {
        .object([
            ("output", .string(output.name)), ("from", .string(from)), ("to", .string(to)),
            ("localDerivative", .number(contribution.localDerivative)),
            ("incomingAdjoint", .number(contribution.incomingAdjoint)),
        ])
    }
}

// MARK: For `eval`, whose temporaries (`t1`) the user never sees

extension NonFiniteNode {
    /// The message in terms of the expression the user typed, every intermediate node spelled
    /// out: `ln(x − 3) = ln(-2) is NaN; it is the first part of the expression that is not finite`.
    public func messageForExpression(in graph: Graph) -> String {
        // `1/0` or `exp(1000)` is folded into one number as it is read: `Infinity is Infinity`
        // said nothing of where it came from.
        if isConstant {
            return "the numbers alone give \(NumberFormat.shortest.string(value)) (a division by zero, or a result too large "
                + "for a Double such as exp(1000)); it is the first part of the expression that is not finite"
        }
        guard let written = graph.spelledOut(node) else { return message }
        let substituted = Notation().substituted(node, in: graph)
        return "\(written)\(substituted.isEmpty ? "" : " = " + substituted) is \(NumberFormat.shortest.string(value)); "
            + "it is the first part of the expression that is not finite"
    }
}

extension NonFiniteContribution {
    /// The message in terms of the expression the user typed: `the gradient of f is not finite:
    /// the derivative of sqrt(x) = sqrt(0) with respect to x is Infinity`.
    public func messageForExpression(in graph: Graph) -> String {
        guard let consumer = graph.spelledOut(contribution.from), let operand = graph.spelledOut(contribution.to) else { return message }
        return "the gradient of \(output.name) is not finite: the derivative of \(consumer) = "
            + "\(Notation().substituted(contribution.from, in: graph)) with respect to \(operand) is "
            + NumberFormat.shortest.string(contribution.localDerivative)
    }
}

extension Graph {
    /// `node` as an expression over the inputs and constants, each operand that is itself an
    /// operator expression in parentheses; nil when that would be longer than `limit` characters
    /// (an expression holding `grad`, whose nodes are shared, can spell out exponentially long).
    func spelledOut(_ node: NodeID, limit: Int = 200) -> String? {
        var budget = limit
        func spell(_ node: NodeID) -> String? {
            let op = ops[node]
            if op.isLeaf { return op == .input ? label(of: node) : NumberFormat.shortest.string(values[node]) }
            var operands: [String] = []
            for operand in self.operands(of: node) {
                guard var text = spell(operand) else { return nil }
                if op.rule.formula != nil, !ops[operand].isLeaf, ops[operand].rule.formula != nil { text = "(\(text))" }
                operands.append(text)
            }
            let text = formula(of: node, operandNames: operands, nodeName: label(of: node), format: .shortest)
            budget -= text.count
            return budget >= 0 ? text : nil
        }
        return spell(node)
    }
}
