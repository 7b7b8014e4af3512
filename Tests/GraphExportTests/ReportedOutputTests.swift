import GradFlow
import Testing
@testable import GraphExport

/// A graph recorded through the Swift API declares no outputs; every view takes its last node
/// as the output (``Graph/reportedOutputs``, the one place the rule is written).
struct ReportedOutputTests {
    /// y = x · x + x, recorded with no output declared.
    static func undeclared() -> Graph {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: 3)
        let square = graph.append(.multiply, x, x)
        _ = graph.append(.add, square, x)
        return graph
    }

    @Test("the last node is drawn as the output in forward mode too, where no reverse seed marks it")
    func lastNodeIsTheOutput() {
        let graph = Self.undeclared()
        #expect(graph.reportedOutputs.map(\.node) == [2])
        for mode in [Timeline.Mode.forward(input: 0), .reverse(output: 2)] {
            let writer = DiagramWriter(timeline: Timeline(graph: graph, mode: mode))
            #expect(writer.isOutput(2) && !writer.isOutput(1) && !writer.isOutput(0), "\(mode)")
        }
    }
}
