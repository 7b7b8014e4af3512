import GradFlow
import Reports

/// Graphs recorded through the engine API, named as a scene would name them.
enum Fixtures {
    /// Baydin et al. (2018): f(x1, x2) = ln(x1) + x1·x2 − sin(x2) at (2, 5), nodes named as in
    /// `Scenes/survey.scene` (x1, x2, v1, v2, v3, v4, f).
    static func survey(x1: Double = 2, x2: Double = 5) -> Computation {
        var graph = Graph()
        let a = graph.appendLeaf(value: x1, name: "x1")
        let b = graph.appendLeaf(value: x2, name: "x2")
        let v1 = graph.append(.ln, a)
        let v2 = graph.append(.multiply, a, b)
        let v3 = graph.append(.sin, b)
        let v4 = graph.append(.add, v1, v2)
        let f = graph.append(.subtract, v4, v3)
        for (node, name) in [(v1, "v1"), (v2, "v2"), (v3, "v3"), (v4, "v4"), (f, "f")] {
            graph.annotations.names[node] = name
        }
        graph.annotations.outputs = [.init(name: "f", node: f)]
        graph.annotations.title = "survey"
        return Computation(graph: graph)
    }

    /// Two outputs of one input: z = 2x + sin x and v = 4x + cos x at x = 1.
    static func twoOutputs(x: Double = 1) -> Computation {
        var graph = Graph()
        let input = graph.appendLeaf(value: x, name: "x")
        let twice = graph.append(.multiplyConstant, input, parameter: 2)
        let sine = graph.append(.sin, input)
        let z = graph.append(.add, twice, sine)
        let four = graph.append(.multiplyConstant, input, parameter: 4)
        let cosine = graph.append(.cos, input)
        let v = graph.append(.add, four, cosine)
        for (node, name) in [(twice, "a"), (sine, "b"), (z, "z"), (four, "c"), (cosine, "d"), (v, "v")] {
            graph.annotations.names[node] = name
        }
        graph.annotations.outputs = [.init(name: "z", node: z), .init(name: "v", node: v)]
        return Computation(graph: graph)
    }
}
