import GradFlow

/// The shared examples recorded through the engine API and annotated as the scenes are, for
/// tests that must not depend on the scene language (the exporter's and the stepper's).
public enum ExampleGraphs {
    /// survey.scene: f = ln(x1) + x1·x2 − sin(x2) at (2, 5), with its note and title.
    public static func survey() -> Graph {
        var graph = Graph()
        let x1 = graph.appendLeaf(.input, value: 2, name: "x1")
        let x2 = graph.appendLeaf(.input, value: 5, name: "x2")
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
        graph.annotations.title = "Baydin et al. (2018): f(x1, x2) = ln(x1) + x1*x2 - sin(x2)"
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
}
