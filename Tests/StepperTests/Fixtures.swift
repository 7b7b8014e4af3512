import GradFlow
@testable import Stepper

/// Graphs recorded through the engine's API, named and annotated as the scenes name them.
enum Fixtures {
    /// Baydin et al. (2018), f(x1, x2) = ln(x1) + x1·x2 − sin(x2) at (2, 5).
    static var survey: Graph {
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
        graph.annotations.outputs = [Annotations.Output(name: "f", node: f)]
        graph.annotations.title = "Baydin et al. (2018): f(x1, x2) = ln(x1) + x1*x2 - sin(x2)"
        return graph
    }

    /// The micrograd lecture's tanh neuron.
    static var neuron: Graph {
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
        graph.annotations.outputs = [Annotations.Output(name: "o", node: o)]
        graph.annotations.title = "A tanh neuron (the micrograd lecture)"
        return graph
    }

    /// Two outputs of one input: z = 2x + sin x and v = 4x + cos x at x = 1.
    static var twoOutputs: Graph {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: 1, name: "x")
        let twice = graph.append(.multiplyConstant, x, parameter: 2)
        let sine = graph.append(.sin, x)
        let z = graph.append(.add, twice, sine)
        let four = graph.append(.multiplyConstant, x, parameter: 4)
        let cosine = graph.append(.cos, x)
        let v = graph.append(.add, four, cosine)
        for (node, name) in [(twice, "t1"), (sine, "t2"), (z, "z"), (four, "t3"), (cosine, "t4"), (v, "v")] {
            graph.annotations.names[node] = name
        }
        graph.annotations.outputs = [Annotations.Output(name: "z", node: z), Annotations.Output(name: "v", node: v)]
        return graph
    }

    /// A chain of `iterations` bodies `v = relu(v·w + x) · 0.5`, each grouped like a loop body.
    static func chain(iterations: Int, grouped: Bool = true) -> Graph {
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
        graph.annotations.outputs = [Annotations.Output(name: "v", node: v)]
        return graph
    }

    /// A model of `graph` at a screen size.
    static func model(_ graph: Graph, columns: Int = 80, rows: Int = 24, options: StepperOptions = StepperOptions(),
                      charset: Charset = .unicode) throws -> StepperModel {
        try StepperModel(graph: graph, fileName: "test.scene", options: options, columns: columns, rows: rows, charset: charset)
    }
}
