import GradFlow

/// The traces as data: CSV tables and one JSON document, numbers at full precision.
extension EvaluationTrace {
    /// One CSV table per section (the adjoint table holds every chosen output's rows).
    ///
    /// Columns: primal `id,node,op,expression,value`; tangent `id,node,with_respect_to,tangent`;
    /// adjoint `output,step,from,to,local_derivative,incoming_adjoint,contribution,before,after`.
    public func csvTables(_ sections: Set<Section>, format: NumberFormat) -> [CSVTable] {
        let graph = computation.graph
        var tables: [CSVTable] = []
        if sections.contains(.primal) {
            tables.append(CSVTable(
                header: ["id", "node", "op", "expression", "value"],
                rows: graph.nodes.map { node in
                    [String(node), graph.label(of: node), "\(graph.ops[node])",
                     primalExpression(of: node, format: format), format.string(graph.values[node])]
                }))
        }
        if sections.contains(.tangent), let input = tangentInput {
            tables.append(CSVTable(
                header: ["id", "node", "with_respect_to", "tangent"],
                rows: graph.nodes.map { [String($0), graph.label(of: $0), input.name, format.string(tangents[$0])] }))
        }
        if sections.contains(.adjoint) {
            var rows: [[String]] = []
            for pass in backwardPasses {
                for (index, contribution) in pass.contributions.enumerated() {
                    rows.append([
                        pass.output.name, String(index + 1),
                        graph.label(of: contribution.from), graph.label(of: contribution.to),
                        format.string(contribution.localDerivative), format.string(contribution.incomingAdjoint),
                        format.string(contribution.contribution),
                        format.string(contribution.adjointBefore), format.string(contribution.adjointAfter),
                    ])
                }
            }
            tables.append(CSVTable(
                header: ["output", "step", "from", "to", "local_derivative", "incoming_adjoint",
                         "contribution", "before", "after"],
                rows: rows))
        }
        return tables
    }

    /// The trace as one JSON document (the shape is documented in the README):
    ///
    /// ```json
    /// {"title":"…","primal":[{"id":0,"node":"x1","op":"input","expression":"input","value":2},…],
    ///  "tangent":{"input":"x1","nodes":[{"id":0,"node":"x1","tangent":1},…]},
    ///  "reverse":[{"output":"f","contributions":[{"step":1,"from":"f","to":"v4",
    ///    "localDerivative":1,"incomingAdjoint":1,"contribution":1,"before":0,"after":1},…],
    ///    "gradient":{"x1":5.5,"x2":1.7163378145367738}}]}
    /// ```
    /// Sections not asked for are left out; `firstNonFinite` is added when a value is not finite.
    public func json(_ sections: Set<Section>, format: NumberFormat) -> JSONValue {
        let graph = computation.graph
        var members: [(String, JSONValue)] = [("title", computation.title.map(JSONValue.string) ?? .null)]
        func number(_ x: Double) -> JSONValue {
            // A fixed precision was asked for: round the number, keep it a JSON number.
            guard case .significant = format, x.isFinite, let rounded = Double(format.string(x)) else { return .number(x) }
            return .number(rounded)
        }
        if sections.contains(.primal) {
            members.append(("primal", .array(graph.nodes.map { node in
                .object([
                    ("id", .integer(node)), ("node", .string(graph.label(of: node))), ("op", .string("\(graph.ops[node])")),
                    ("expression", .string(primalExpression(of: node, format: .shortest))),
                    ("value", number(graph.values[node])),
                ])
            })))
        }
        if sections.contains(.tangent), let input = tangentInput {
            members.append(("tangent", .object([
                ("input", .string(input.name)),
                ("nodes", .array(graph.nodes.map { node in
                    .object([("id", .integer(node)), ("node", .string(graph.label(of: node))), ("tangent", number(tangents[node]))])
                })),
            ])))
        }
        if sections.contains(.adjoint) {
            members.append(("reverse", .array(backwardPasses.map { pass in
                let contributions: [JSONValue] = pass.contributions.enumerated().map { index, contribution in
                    .object([
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
                let gradient = zip(computation.inputs, pass.gradient).map { ($0.0.name, number($0.1)) }
                return .object([
                    ("output", .string(pass.output.name)),
                    ("contributions", .array(contributions)),
                    ("gradient", .object(gradient)),
                ])
            })))
        }
        if let nonFinite = NonFiniteNode(in: graph) { members.append(("firstNonFinite", nonFinite.json)) }
        return .object(members)
    }
}
