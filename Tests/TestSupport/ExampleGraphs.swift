import GradFlow

/// The shared fixtures: examples recorded through the engine API and annotated as the scenes
/// are, for tests that must not depend on the scene language (the engine's, the reports', the
/// exporter's and the stepper's).
public enum ExampleGraphs {
    /// survey.scene: f = ln(x1) + x1·x2 − sin(x2) at (2, 5) (or elsewhere), with its note and title.
    public static func survey(
        x1 x1Value: Double = 2, x2 x2Value: Double = 5,
        title: String = "Baydin et al. (2018): f(x1, x2) = ln(x1) + x1*x2 - sin(x2)"
    ) -> Graph {
        var graph = Graph()
        let x1 = graph.appendLeaf(.input, value: x1Value, name: "x1")
        let x2 = graph.appendLeaf(.input, value: x2Value, name: "x2")
        let v1 = graph.append(.ln, x1)
        let v2 = graph.append(.multiply, x1, x2)
        let v3 = graph.append(.sin, x2)
        let v4 = graph.append(.add, v1, v2)
        let f = graph.append(.subtract, v4, v3)
        for (node, name) in [(v1, "v1"), (v2, "v2"), (v3, "v3"), (v4, "v4"), (f, "f")] {
            graph.annotations.names[node] = name
        }
        graph.annotations.notes[v2] = "product rule: each input receives the other's value"
        graph.annotations.outputs = [.init(name: "f", node: f)]
        graph.annotations.title = title
        return graph
    }

    /// neuron.scene (the micrograd lecture's tanh neuron); with `grouped`, its weighted sum is
    /// recorded as a function call `weighted(x1, w1, x2, w2)`.
    public static func neuron(grouped: Bool = false) -> Graph {
        var graph = Graph()
        let x1 = graph.appendLeaf(.input, value: 2, name: "x1")
        let x2 = graph.appendLeaf(.input, value: 0, name: "x2")
        let w1 = graph.appendLeaf(.input, value: -3, name: "w1")
        let w2 = graph.appendLeaf(.input, value: 1, name: "w2")
        let b = graph.appendLeaf(.input, value: 6.8813735870195432, name: "b")
        let x1w1 = graph.append(.multiply, x1, w1)
        let x2w2 = graph.append(.multiply, x2, w2)
        let s = graph.append(.add, x1w1, x2w2)
        let n = graph.append(.add, s, b)
        let o = graph.append(.tanh, n)
        for (node, name) in [(x1w1, "x1w1"), (x2w2, "x2w2"), (s, "s"), (n, "n"), (o, "o")] {
            graph.annotations.names[node] = name
        }
        if grouped {
            graph.annotations.groups = [.init(label: "weighted(x1, w1, x2, w2)", parent: nil, nodes: x1w1..<(s + 1))]
            for node in x1w1...s { graph.annotations.groupOfNode[node] = 0 }
        }
        graph.annotations.outputs = [.init(name: "o", node: o)]
        graph.annotations.title = "A tanh neuron (the micrograd lecture)"
        return graph
    }

    /// xy-sin.scene: z = x·y + sin(x) at (0.5, 4.2).
    public static func xySin() -> Graph {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: 0.5, name: "x")
        let y = graph.appendLeaf(.input, value: 4.2, name: "y")
        let a = graph.append(.multiply, x, y)
        let b = graph.append(.sin, x)
        let z = graph.append(.add, a, b)
        for (node, name) in [(a, "a"), (b, "b"), (z, "z")] { graph.annotations.names[node] = name }
        graph.annotations.outputs = [.init(name: "z", node: z)]
        graph.annotations.title = "z = x*y + sin(x)"
        return graph
    }

    /// Two outputs of one input: z = 2x + sin x and v = 4x + cos x at x = 1.
    public static func twoOutputs(x: Double = 1) -> Graph {
        var graph = Graph()
        let input = graph.appendLeaf(.input, value: x, name: "x")
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
        return graph
    }

    /// A chain of `iterations` bodies `v = relu(v·w + x) · 0.5` (the benchmarks' W1), each
    /// grouped like a loop body.
    public static func chain(iterations: Int, grouped: Bool = true) -> Graph {
        var graph = Graph()
        graph.reserveCapacity(2 + 4 * iterations)
        let x = graph.appendLeaf(.input, value: 0.5, name: "x")
        let w = graph.appendLeaf(.input, value: 0.9, name: "w")
        var v = x
        for iteration in 1...iterations {
            let start = graph.count
            let product = graph.append(.multiply, v, w)
            let sum = graph.append(.add, product, x)
            let rectified = graph.append(.relu, sum)
            v = graph.append(.multiplyConstant, rectified, parameter: 0.5)
            if grouped {
                graph.annotations.groups.append(Annotations.Group(label: "repeat \(iteration)", parent: nil, nodes: start..<graph.count))
                for node in start..<graph.count { graph.annotations.groupOfNode[node] = iteration - 1 }
            }
        }
        graph.annotations.outputs = [NamedNode(name: "v", node: v)]
        return graph
    }
}
