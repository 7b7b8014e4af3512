import Foundation
import GradFlow

/// Graphs recorded through the engine API, annotated as the scenes in /work/shared/examples are.
enum Fixtures {
    /// survey.scene: f = ln(x1) + x1·x2 − sin(x2) at (2, 5), with its note and title.
    static func survey() -> Graph {
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

    /// neuron.scene, with the neuron's body recorded as a function call `neuron(x1, w1, x2, w2)`.
    static func neuron(grouped: Bool = true) -> Graph {
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
    static func xySin() -> Graph {
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

    /// The reverse-mode timeline from the graph's first output.
    static func reverse(_ graph: Graph) -> Timeline {
        Timeline(graph: graph, mode: .reverse(output: graph.annotations.outputs[0].node))
    }
}

/// A fresh empty directory under the system's temporary directory.
func temporaryDirectory(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = NSTemporaryDirectory() + "gradflow-export-\(safe)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
