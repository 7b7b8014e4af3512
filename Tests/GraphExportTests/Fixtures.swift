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
    static func xySin() -> Graph { ExampleGraphs.xySin() }

    /// The reverse-mode timeline from the graph's first output.
    static func reverse(_ graph: Graph) -> Timeline {
        Timeline(graph: graph, mode: .reverse(output: graph.annotations.outputs[0].node))
    }
}

/// A fresh empty directory under the system's temporary directory.
func temporaryDirectory(_ name: String = #function) throws -> String {
    let safe = name.filter { $0.isLetter || $0.isNumber }
    let path = Scratch.root.path + "/gradflow-export-\(safe)-\(UUID().uuidString.prefix(8))"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
