import Escaping
import GradFlow
import Notation

/// The traces as data: CSV tables and one JSON document, numbers at full precision.
extension EvaluationTrace {
    /// One CSV table per section (the adjoint table holds every chosen output's rows).
    ///
    /// Columns: primal `id,node,op,expression,value`; tangent `id,node,with_respect_to,tangent`;
    /// adjoint `output,step,from,to,local_derivative,incoming_adjoint,contribution,before,after`.
    public func csvTables(_ sections: Set<Section>, format: NumberFormat) -> [CSVTable] {
        if hasTensors { return tensorCSVTables(sections, format: format) }
        let graph = computation.graph
        var tables: [CSVTable] = []
        if sections.contains(.primal) {
            tables.append(CSVTable(header: ["id", "node", "op", "expression", "value"], rowCount: graph.count) { node in
                [String(node), graph.label(of: node), "\(graph.ops[node])",
                 primalExpression(of: node, notation: Notation(.ascii, format: format)), format.string(graph.values[node])]
            })
        }
        if sections.contains(.tangent), let input = tangentInput {
            let tangents = self.tangents
            tables.append(CSVTable(header: ["id", "node", "with_respect_to", "tangent"], rowCount: graph.count) { node in
                [String(node), graph.label(of: node), input.name, format.string(tangents[node])]
            })
        }
        if sections.contains(.adjoint) {
            // Rows of every pass, one after the other: where each pass starts.
            let passes = backwardPasses
            var starts = [0]
            for pass in passes { starts.append(starts.last! + pass.timeline.contributionCount) }
            let passStarts = starts.dropLast()
            tables.append(CSVTable(
                header: ["output", "step", "from", "to", "local_derivative", "incoming_adjoint",
                         "contribution", "before", "after"],
                rowCount: starts.last!
            ) { row in
                let passIndex = passStarts.lastIndex { $0 <= row }!
                let pass = passes[passIndex], step = row - passStarts[passIndex]
                let contribution = pass.timeline.contribution(step)
                return [
                    pass.output.name, String(step + 1),
                    graph.label(of: contribution.from), graph.label(of: contribution.to),
                    format.string(contribution.localDerivative), format.string(contribution.incomingAdjoint),
                    format.string(contribution.contribution),
                    format.string(contribution.adjointBefore), format.string(contribution.adjointAfter),
                ]
            })
        }
        return tables
    }

    /// Writes the trace as one JSON document (the shape is documented in the README):
    ///
    /// ```json
    /// {"title":"…","primal":[{"id":0,"node":"x1","op":"input","expression":"input","value":2},…],
    ///  "tangent":{"input":"x1","nodes":[{"id":0,"node":"x1","tangent":1},…]},
    ///  "reverse":[{"output":"f","contributions":[{"step":1,"from":"f","to":"v4",
    ///    "localDerivative":1,"incomingAdjoint":1,"contribution":1,"before":0,"after":1},…],
    ///    "gradient":{"x1":5.5,"x2":1.7163378145367738}}]}
    /// ```
    /// Sections not asked for are left out; `firstNonFinite` is added when a value is not finite.
    /// Rows are written one at a time, so memory does not grow with the graph.
    func writeJSON<Output: TextOutputStream>(_ sections: Set<Section>, format: NumberFormat, to output: inout Output) {
        if hasTensors { return writeTensorJSON(sections, format: format, to: &output) }
        let graph = computation.graph
        func number(_ x: Double) -> JSONValue {
            // A fixed precision was asked for: round the number, keep it a JSON number.
            guard case .significant = format, x.isFinite, let rounded = Double(format.string(x)) else { return .number(x) }
            return .number(rounded)
        }
        output.write("{\"title\":")
        (computation.title.map(JSONValue.string) ?? .null).write(to: &output)
        if sections.contains(.primal) {
            output.write(",\"primal\":")
            Self.writeArray(graph.count, to: &output) { node in
                .object([
                    ("id", .integer(node)), ("node", .string(graph.label(of: node))), ("op", .string("\(graph.ops[node])")),
                    ("expression", .string(primalExpression(of: node, notation: Notation()))),
                    ("value", number(graph.values[node])),
                ])
            }
        }
        if sections.contains(.tangent), let input = tangentInput {
            output.write(",\"tangent\":{\"input\":\(JSONText.quoted(input.name)),\"nodes\":")
            Self.writeArray(graph.count, to: &output) { node in
                .object([("id", .integer(node)), ("node", .string(graph.label(of: node))), ("tangent", number(tangents[node]))])
            }
            output.write("}")
        }
        if sections.contains(.adjoint) {
            output.write(",\"reverse\":[")
            for (passIndex, pass) in backwardPasses.enumerated() {
                if passIndex > 0 { output.write(",") }
                output.write("{\"output\":\(JSONText.quoted(pass.output.name)),\"contributions\":")
                Self.writeArray(pass.timeline.contributionCount, to: &output) { index in
                    let contribution = pass.timeline.contribution(index)
                    return .object([
                        ("step", .integer(index + 1)),
                        ("from", .string(graph.label(of: contribution.from))),
                        ("to", .string(graph.label(of: contribution.to))),
                        ("localDerivative", number(contribution.localDerivative)),
                        ("incomingAdjoint", number(contribution.incomingAdjoint)),
                        ("contribution", number(contribution.contribution)),
                        ("before", number(contribution.adjointBefore)),
                        ("after", number(contribution.adjointAfter)),
                    ])
                }
                output.write(",\"gradient\":")
                JSONValue.object(zip(computation.inputs, pass.gradient).map { ($0.0.name, number($0.1)) }).write(to: &output)
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

extension EvaluationTrace {
    /// A JSON array written element by element, so a long trace never sits whole in memory
    /// (the scalar and the tensor JSON writers both use it).
    static func writeArray<Output: TextOutputStream>(_ count: Int, to output: inout Output, _ element: (Int) -> JSONValue) {
        output.write("[")
        for index in 0..<count {
            if index > 0 { output.write(",") }
            element(index).write(to: &output)
        }
        output.write("]")
    }
}
