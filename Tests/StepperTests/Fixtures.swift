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
    static var twoOutputs: Graph { ExampleGraphs.twoOutputs() }

    /// A chain of `iterations` loop bodies (the benchmarks' W1), each grouped.
    static func chain(iterations: Int, grouped: Bool = true) -> Graph {
        ExampleGraphs.chain(iterations: iterations, grouped: grouped)
    }

    /// A model of `graph` at a screen size.
    static func model(_ graph: Graph, columns: Int = 80, rows: Int = 24, options: StepperOptions = StepperOptions(),
                      charset: Charset = .unicode) throws -> StepperModel {
        try StepperModel(graph: graph, fileName: "test.scene", options: options, columns: columns, rows: rows, charset: charset)
    }
}
