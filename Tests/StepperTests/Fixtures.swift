import GradFlow
import TestSupport
@testable import Stepper

/// Graphs recorded through the engine's API, named and annotated as the scenes name them.
enum Fixtures {
    /// Baydin et al. (2018), f(x1, x2) = ln(x1) + x1·x2 − sin(x2) at (2, 5).
    static var survey: Graph { ExampleGraphs.survey() }

    /// The micrograd lecture's tanh neuron.
    static var neuron: Graph { ExampleGraphs.neuron() }

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
