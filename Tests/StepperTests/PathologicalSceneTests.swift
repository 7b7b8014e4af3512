import Foundation
import GradFlow
import SceneLanguage
import Synchronization
import Testing
import TestSupport
@testable import Stepper

/// Scenes that fight the layout: 61 nodes each summing all earlier ones (1,830 edges), and a
/// `sum` of thousands of terms. Their cost is asserted as amounts of work (layouts made, cells
/// routed, boxes placed, lines written), never as time: each grew with the graph before.
@Suite struct PathologicalSceneTests {
    /// 61 nodes, each the sum of all earlier ones.
    static let denseScene = (["input x = 1", "v0 = x * 2"]
        + (1...60).map { index in "v\(index) = sum(\((0..<index).map { "v\($0)" }.joined(separator: ", ")))" }
        + ["output v60"]).joined(separator: "\n")

    /// `f = sum(v0 … v(terms-1))`, every `v` read from one input.
    static func wideSum(terms: Int) -> String {
        (["input x = 1"] + (0..<terms).map { "v\($0) = x * \($0 % 7 + 1)" }
            + ["f = sum(\((0..<terms).map { "v\($0)" }.joined(separator: ", ")))", "output f"]).joined(separator: "\n")
    }

    /// A view whose Graphviz never answers within the budget (as for the dense scene), counting
    /// the layouts asked for.
    final class OverBudget: Sendable {
        let calls = Mutex(0)
        var view: StepperView {
            StepperView(layout: { [self] _ in
                calls.withLock { $0 += 1 }
                throw LayoutDeferred.slow
            })
        }
    }

    @Test func theDenseSceneIsDrawnWithABoundedAmountOfRouting() throws {
        let graph = try Scene.parse(source: Self.denseScene, fileName: "dense.scene").graph
        let model = try Fixtures.model(graph, columns: 120, rows: 40)
        let layouts = OverBudget()
        let frame = layouts.view.render(model)
        // Every edge was routed in cells across gaps widened for it: 22 million cells, 26 s a frame.
        let cells = frame.drawnGraph.edges.reduce(0) { $0 + $1.cells.count }
        #expect(cells < 100_000, "\(cells) edge cells routed")
        let edgeCount = (0..<graph.count).reduce(0) { $0 + Set(graph.operands(of: $1)).count }
        #expect(frame.drawnGraph.edges.count < edgeCount, "every edge was routed")
        let title = frame.grid.line(1)
        #expect(title.contains("of \(edgeCount) edges not drawn"), "the title does not say edges were left out: \(title)")
        // The plain layout stands in for Graphviz once per zoom, not once per style tried.
        #expect(layouts.calls.withLock { $0 } <= Zoom.allCases.count)
        // Stepping backwards follows the step: the receiving node's box is drawn.
        var backward = try Fixtures.model(graph, columns: 120, rows: 40, options: StepperOptions(phase: .backward))
        let view = layouts.view
        for _ in 0..<5 {
            backward = update(backward, .next)
            let node = try #require(backward.currentNode)
            #expect(view.render(backward).drawnGraph.box(showing: node) != nil, "step \(backward.step)")
        }
    }

    /// The windows the pane lays out (the whole graph up to 150 items, else chunks with their
    /// proxies) of every lecture scene keep all their edges: the budget changes no drawing.
    @Test func everyLectureSceneKeepsAllItsEdges() throws {
        let directory = repositoryRoot.appendingPathComponent("Scenes")
        for file in try FileManager.default.contentsOfDirectory(atPath: directory.path).filter({ $0.hasSuffix(".scene") }) {
            let graph = try Scene.load(path: directory.appendingPathComponent(file).path).graph
            let items = FoldedItems(graph: graph, folded: [])
            let chunks: [Int?] = GraphWindow.chunk(of: items.count - 1, itemCount: items.count).map { Array(0...$0) } ?? [nil]
            for chunk in chunks {
                for proxies in [false, true] {
                    let window = GraphWindow(graph: graph, items: items, chunk: chunk, proxyLeaves: proxies)
                    let crossings = EdgeBudget.crossings(edges: window.edges, memberCount: window.members.count).reduce(0, +)
                    #expect(crossings <= EdgeBudget.gapCrossings, "\(file), chunk \(chunk ?? -1): \(crossings) gap crossings")
                }
            }
        }
    }

    @Test func theBudgetKeepsTheShortestEdges() {
        // A chain 0 → 1 → 2 → 3 and a long edge 0 → 3 that crosses three gaps.
        let edges = [(from: 0, to: 1), (from: 1, to: 2), (from: 2, to: 3), (from: 0, to: 3)]
        #expect(EdgeBudget.crossings(edges: edges, memberCount: 4) == [1, 1, 1, 3])
        #expect(EdgeBudget.kept(edges: edges, memberCount: 4, budget: 6) == [0, 1, 2, 3])
        #expect(EdgeBudget.kept(edges: edges, memberCount: 4, budget: 5) == [0, 1, 2])
    }

    /// Stepping into `f = sum(v0 … v4999)`: the window, the trace row and the inspector each
    /// hold a few dozen of the operands, not all of them.
    @Test func steppingIntoAWideSumDrawsAFewOperands() throws {
        let terms = 5_000
        let graph = try Scene.parse(source: Self.wideSum(terms: terms), fileName: "wide.scene").graph
        var model = try Fixtures.model(graph, columns: 120, rows: 40, options: StepperOptions(step: terms + 1, phase: .forward))
        let view = StepperView.withLayeredLayout()
        _ = view.render(model)
        model = update(model, .next)
        #expect(model.currentNode == graph.count - 1)
        let frame = view.render(model)
        // The window: a chunk, its context and proxies, and at most 8 operands from further back.
        #expect(frame.drawnGraph.boxes.count < 2 * GraphWindow.chunkSize + GraphPane.stepOperandLimit + GraphWindow.contextLimit)
        // The inspector wrote thousands of lines for the few it shows.
        #expect(frame.inspectorOverflow < 10, "\(frame.inspectorOverflow) lines did not fit")
        #expect(frame.grid.text.contains("… \(terms - Inspector.shownOperands) more"))
        let row = try #require(frame.grid.text.split(separator: "\n").first { $0.contains("▶ f ") })
        #expect(row.contains("1, 1, 1"), "\(row)")
        #expect(TracePane.expression(of: graph.count - 1, in: graph, format: .shortest).count < 1_000)
    }
}
