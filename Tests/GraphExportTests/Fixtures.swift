import Foundation
import GradFlow
import TestSupport

/// Graphs recorded through the engine API, annotated as the scenes are.
enum Fixtures {
    /// survey.scene, with its note and title.
    static func survey() -> Graph { ExampleGraphs.survey() }

    /// neuron.scene, with its weighted sum recorded as a function call.
    static func neuron(grouped: Bool = true) -> Graph { ExampleGraphs.neuron(grouped: grouped) }

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
