import Escaping
import GradFlow
import Notation

/// The traces of a scene with tensors as data (documented in docs/tensors.md). A tensor is a
/// nested array in row-major order, as `grad --format json` writes it, and a scalar a number:
/// in JSON as JSON; in CSV as the same JSON text in one field, so every field parses with a
/// JSON reader. Each node also gets its shape (`[]` for a scalar).
extension EvaluationTrace {
    /// A tensor as JSON, each element rounded to `format` when it asks for fixed precision.
    static func json(_ value: Tensor, format: NumberFormat) -> JSONValue {
        guard case .significant = format else { return GradientReport.json(value) }
        let rounded = value.elements.map { x in x.isFinite ? Double(format.string(x)) ?? x : x }
        return GradientReport.json(Tensor(shape: value.shape, elements: rounded))
    }

    static func jsonShape(_ shape: [Int]) -> JSONValue { .array(shape.map(JSONValue.integer)) }

    /// CSV: primal `id,node,op,expression,shape,value`; tangent `id,node,with_respect_to,tangent`;
    /// adjoint `output,step,from,to,rule,incoming,contribution,before,after`; expressions and rules in ASCII.
    func tensorCSVTables(_ sections: Set<Section>, format: NumberFormat) -> [CSVTable] {
        let graph = computation.graph
        let text: @Sendable (Tensor) -> String = { Self.json($0, format: format).serialized() }
        var tables: [CSVTable] = []
        if sections.contains(.primal) {
            tables.append(CSVTable(header: ["id", "node", "op", "expression", "shape", "value"], rowCount: graph.count) { node in
                [String(node), graph.label(of: node), opName(of: node), primalExpression(of: node, notation: Notation(.ascii, format: format)),
                 Self.jsonShape(graph.shape(of: node)).serialized(), text(graph.tensor(of: node))]
            })
        }
        if sections.contains(.tangent), let seeded = seededLabel, let tensorTangents {
            tables.append(CSVTable(header: ["id", "node", "with_respect_to", "tangent"], rowCount: graph.count) { node in
                [String(node), graph.label(of: node), seeded, text(tensorTangents.tangent(of: node, in: graph))]
            })
        }
        if sections.contains(.adjoint) {
            let rows = backwardPasses.flatMap { pass in (0..<pass.timeline.contributionCount).map { (pass, $0) } }
            tables.append(CSVTable(
                header: ["output", "step", "from", "to", "rule", "incoming", "contribution", "before", "after"], rowCount: rows.count
            ) { index in
                let (pass, step) = rows[index]
                let contribution = pass.timeline.tensorContribution(step)
                return [pass.output.name, String(step + 1), graph.label(of: contribution.from), graph.label(of: contribution.to),
                        updateRule(contribution, Notation(.ascii, format: format)), text(contribution.incomingAdjoint),
                        text(contribution.passed), text(Self.before(contribution)), text(contribution.adjointAfter)]
            })
        }
        return tables
    }

    /// The op as data: `input`, `multiply`, or the tensor op's symbol (`@`, `sum(axis: 0)`).
    func opName(of node: NodeID) -> String {
        let graph = computation.graph
        guard graph.ops[node] == .tensor, let stored = graph.tensorStorage.nodes[node] else { return "\(graph.ops[node])" }
        return stored.op.symbol
    }

    /// JSON: the scalar document's shape with `shape` on every node, tensors as nested arrays,
    /// the tangent's `element`, and each contribution's `rule`.
    ///
    /// ```json
    /// {"title":"…","primal":[{"id":0,"node":"W","op":"input","expression":"input","shape":[2,2],"value":[[0.1,-0.2],[0.4,0.3]]},…],
    ///  "tangent":{"input":"W","element":[0,1],"nodes":[{"id":0,"node":"W","tangent":[[0,1],[0,0]]},…]},
    ///  "reverse":[{"output":"loss","contributions":[{"step":1,"from":"loss","to":"t3","rule":"t̄3 += loss̄",
    ///    "incoming":1,"contribution":[…],"before":[…],"after":[…]},…],"gradient":{"W":[[…],[…]],"b":[…]}}]}
    /// ```
    func writeTensorJSON<Output: TextOutputStream>(_ sections: Set<Section>, format: NumberFormat, to output: inout Output) {
        let graph = computation.graph
        let json = { (value: Tensor) in Self.json(value, format: format) }
        output.write("{\"title\":")
        (computation.title.map(JSONValue.string) ?? .null).write(to: &output)
        if sections.contains(.primal) {
            output.write(",\"primal\":")
            Self.writeArray(graph.count, to: &output) { node in
                .object([
                    ("id", .integer(node)), ("node", .string(graph.label(of: node))), ("op", .string(opName(of: node))),
                    ("expression", .string(primalExpression(of: node, notation: Notation()))),
                    ("shape", Self.jsonShape(graph.shape(of: node))), ("value", json(graph.tensor(of: node))),
                ])
            }
        }
        if sections.contains(.tangent), let input = tangentInput, let tensorTangents {
            let shape = graph.shape(of: input.node)
            let element = Tensor.strides(of: shape).enumerated().map { JSONValue.integer((tangentElement / $0.element) % shape[$0.offset]) }
            output.write(",\"tangent\":{\"input\":\(JSONText.quoted(input.name)),\"element\":")
            JSONValue.array(element).write(to: &output)
            output.write(",\"nodes\":")
            Self.writeArray(graph.count, to: &output) { node in
                .object([("id", .integer(node)), ("node", .string(graph.label(of: node))),
                         ("tangent", json(tensorTangents.tangent(of: node, in: graph)))])
            }
            output.write("}")
        }
        if sections.contains(.adjoint) {
            output.write(",\"reverse\":[")
            for (passIndex, pass) in backwardPasses.enumerated() {
                if passIndex > 0 { output.write(",") }
                let timeline = pass.timeline
                output.write("{\"output\":\(JSONText.quoted(pass.output.name)),\"contributions\":")
                Self.writeArray(timeline.contributionCount, to: &output) { index in
                    let step = timeline.tensorContribution(index)
                    return .object([
                        ("step", .integer(index + 1)),
                        ("from", .string(graph.label(of: step.from))), ("to", .string(graph.label(of: step.to))),
                        ("rule", .string(updateRule(step, Notation(format: format)))),
                        ("incoming", json(step.incomingAdjoint)), ("contribution", json(step.passed)),
                        ("before", json(Self.before(step))), ("after", json(step.adjointAfter)),
                    ])
                }
                output.write(",\"gradient\":")
                JSONValue.object(computation.inputs.map { ($0.name, json(timeline.finalTensorDerivative(of: $0.node))) })
                    .write(to: &output)
                output.write("}")
            }
            output.write("]")
        }
        if let nonFinite = NonFiniteNode(in: graph) {
            output.write(",\"firstNonFinite\":")
            nonFinite.json.write(to: &output)
        }
        output.write("}")
    }
}
