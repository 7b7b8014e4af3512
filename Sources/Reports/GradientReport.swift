import GradFlow

/// Every output's value and its gradient with respect to every input: what `gradflow grad`
/// and `gradflow eval` print.
///
/// The JSON is a fixed, documented shape (inputs in declaration order, doubles as the shortest
/// round-tripping decimal, non-finite numbers as the strings `"NaN"`, `"Infinity"`,
/// `"-Infinity"`):
/// `{"outputs":[{"name":"f","value":11.652071455223084,"gradient":{"x1":5.5,"x2":1.7163378145367738}}]}`,
/// with a `firstNonFinite` member after `outputs` only when some node's value is not finite, and a
/// `nonFiniteGradients` member only when every value is finite but a gradient is not (one entry
/// per such output, naming the contribution where its backward pass first went non-finite).
public struct GradientReport: Sendable {
    /// One output: its value and ∂output/∂input for each input.
    public struct Entry: Sendable {
        public let output: NamedNode
        public let value: Double
        /// One derivative per input, in declaration order (0 for a tensor input: see ``tensorGradient``).
        public let gradient: [Double]
        /// For each tensor input (by its index in ``GradientReport/inputs``), the derivative in its shape.
        public var tensorGradient: [Int: Tensor] = [:]

        /// The derivative with respect to input `index`, scalar or tensor.
        public func derivative(_ index: Int) -> Tensor { tensorGradient[index] ?? Tensor(scalar: gradient[index]) }
    }

    public let inputs: [NamedNode]
    public let entries: [Entry]
    /// The first node whose value is not finite, if any.
    public let nonFinite: NonFiniteNode?
    /// Where each non-finite gradient first went non-finite, when every value is finite.
    public let nonFiniteContributions: [NonFiniteContribution]

    /// Computes every gradient by reverse mode, one backward sweep per output.
    /// - Complexity: O(outputs × (nodes + operands)).
    public init(_ computation: Computation) {
        let graph = computation.graph
        inputs = computation.inputs
        entries = computation.outputs.map { output in
            guard graph.hasTensors else {
                let adjoint = graph.adjoints(from: output.node)
                return Entry(output: output, value: graph.values[output.node], gradient: computation.inputs.map { adjoint[$0.node] })
            }
            let adjoints = graph.tensorAdjoints(from: output.node)
            var entry = Entry(output: output, value: graph.values[output.node], gradient: computation.inputs.map { adjoints.scalars[$0.node] })
            for (index, input) in computation.inputs.enumerated() where graph.isTensor(input.node) {
                entry.tensorGradient[index] = adjoints.adjoint(of: input.node, in: graph)
            }
            return entry
        }
        nonFinite = NonFiniteNode(in: graph)
        // As NonFiniteContribution.all, from the gradients just computed rather than a second
        // backward sweep per output.
        if nonFinite == nil, !graph.hasTensors {
            nonFiniteContributions = entries.compactMap { entry in
                entry.gradient.allSatisfy(\.isFinite) ? nil : NonFiniteContribution(in: graph, output: entry.output)
            }
        } else {
            nonFiniteContributions = []
        }
    }

    /// The report as JSON (see the type's documentation for the shape).
    public var json: JSONValue {
        var members: [(String, JSONValue)] = [
            ("outputs", .array(entries.map { entry in
                .object([
                    ("name", .string(entry.output.name)),
                    ("value", .number(entry.value)),
                    ("gradient", .object(inputs.indices.map { (inputs[$0].name, GradientReport.json(entry.derivative($0))) })),
                ])
            })),
        ]
        if let nonFinite { members.append(("firstNonFinite", nonFinite.json)) }
        if !nonFiniteContributions.isEmpty {
            members.append(("nonFiniteGradients", .array(nonFiniteContributions.map(\.json))))
        }
        return .object(members)
    }

    /// The report for people: each output's value, then one aligned line per derivative.
    ///
    /// ```
    /// f = 11.652071455223084
    ///   ∂f/∂x1 = 5.5
    ///   ∂f/∂x2 = 1.7163378145367738
    /// ```
    /// - Parameter format: how numbers are written (default: every digit, so that a student
    ///   can compare with a hand derivation to the last place).
    public func text(format: NumberFormat = .shortest) -> String {
        var lines: [String] = []
        for entry in entries {
            lines.append("\(entry.output.name) = \(format.string(entry.value))")
            let labels = inputs.map { "∂\(entry.output.name)/∂\($0.name)" }
            let width = labels.map(\.count).max() ?? 0
            for (index, label) in labels.enumerated() {
                let lead = "  \(label)\(String(repeating: " ", count: width - label.count)) = "
                // A matrix is written one row per line, its rows aligned under the first.
                let rows = entry.derivative(index).rows { format.string($0) }
                lines.append(lead + rows[0])
                lines += rows.dropFirst().map { String(repeating: " ", count: lead.count) + $0 }
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// A tensor as nested JSON arrays in row-major order; a scalar as a number.
    public static func json(_ tensor: Tensor) -> JSONValue {
        guard !tensor.shape.isEmpty else { return .number(tensor.elements[0]) }
        func nested(axis: Int, offset: Int, stride: Int) -> JSONValue {
            let size = tensor.shape[axis]
            let inner = stride / Swift.max(size, 1)
            if axis == tensor.rank - 1 { return .array((0..<size).map { .number(tensor.elements[offset + $0]) }) }
            return .array((0..<size).map { nested(axis: axis + 1, offset: offset + $0 * inner, stride: inner) })
        }
        return nested(axis: 0, offset: 0, stride: tensor.count)
    }

    /// The report in `reportFormat`: JSON for `.json`, the text form otherwise.
    public func render(_ reportFormat: ReportFormat, precision: Int? = nil) -> String {
        switch reportFormat {
        case .json: json.serialized() + "\n"
        default: text(format: precision.map { .significant($0) } ?? .shortest)
        }
    }
}
