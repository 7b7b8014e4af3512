import GradFlow
import Reports
import TestSupport

/// The shared examples of TestSupport as computations.
enum Fixtures {
    /// survey.scene at (x1, x2), titled "survey".
    static func survey(x1: Double = 2, x2: Double = 5) -> Computation {
        Computation(graph: ExampleGraphs.survey(x1: x1, x2: x2, title: "survey"))
    }

    /// Two outputs of one input: z = 2x + sin x and v = 4x + cos x.
    static func twoOutputs(x: Double = 1) -> Computation { Computation(graph: ExampleGraphs.twoOutputs(x: x)) }
}
