import GradFlow
import Reports
import Testing

/// The CSV trace is for spreadsheets: its expression column is ASCII.
@Suite struct CSVExpressionTests {
    @Test("the expression column writes minus as '-' and the product as '*'")
    func expressionColumnIsASCII() {
        var graph = Graph()
        let x = graph.appendLeaf(value: 2, name: "x")
        let y = graph.appendLeaf(value: 3, name: "y")
        let nodes: [(NodeID, String)] = [
            (graph.append(.subtract, x, y), "d"), (graph.append(.multiply, x, y), "p"),
            (graph.append(.negate, x), "n"), (graph.append(.addConstant, x, parameter: -1.5), "a"),
            (graph.append(.constantSubtract, y, parameter: 4), "c"), (graph.append(.multiplyConstant, y, parameter: -2), "m"),
        ]
        for (node, name) in nodes { graph.annotations.names[node] = name }
        graph.annotations.outputs = [.init(name: "m", node: nodes.last!.0)]
        let csv = EvaluationTrace(Computation(graph: graph)).render(.csv, sections: [.primal])
        let expressions = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",")[3] }
        #expect(expressions == ["input", "input", "x - y", "x * y", "-x", "x - 1.5", "4 - y", "-2 * y"])
        #expect(!csv.unicodeScalars.contains { !$0.isASCII }, "\(csv)")
    }
}
