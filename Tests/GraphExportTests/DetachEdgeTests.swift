import Foundation
import GradFlow
import GraphExport
import Testing
import TestSupport

/// The edge into `detach` is drawn as a barrier in pictures: dashed, a double bar where the
/// gradient would enter the operand, labelled "no gradient" instead of its partial 0.
@Suite struct DetachEdgeTests {
    @Test func theDetachedEdgeIsABarrierAndTheOthersAreNot() {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: 3, name: "x")
        let d = graph.append(.detach, x)
        graph.annotations.names[d] = "d"
        let y = graph.append(.multiply, x, d)
        graph.annotations.names[y] = "y"
        let writer = DiagramWriter(timeline: Timeline(graph: graph, mode: .reverse(output: y)), options: ExportOptions())
        let lines = writer.dot(for: DiagramState(final: writer.timeline)).split(separator: "\n").map(String.init)
        let barrier = lines.filter { $0.contains("arrowtail=teetee") }
        #expect(barrier.count == 1)
        #expect(barrier.first?.hasPrefix("  n\(x) -> n\(d) ") == true)
        #expect(barrier.first?.contains("⊣ no gradient") == true && barrier.first?.contains("style=dashed") == true)
        #expect(lines.contains { $0.hasPrefix("  n\(x) -> n\(y) ") && !$0.contains("teetee") })
    }
}
