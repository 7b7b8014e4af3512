import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The graph pane takes rows from the panes under it when the whole graph fits only so, and
/// only then (on a narrow screen from the trace alone); the panes keep their places from step
/// to step.
@Suite struct GraphPaneHeightTests {
    private func model(_ scene: String, columns: Int, rows: Int) throws -> StepperModel {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(scene).scene").path).graph
        return try StepperModel(graph: graph, fileName: scene, columns: columns, rows: rows)
    }

    /// Two units of a dense layer sharing eight inputs (50 nodes) are 34 rows tall at their
    /// smallest (top to bottom, names only); the standard pane at 200×50 has 27, and the class
    /// saw 34 of the 50 boxes at every step. Now every box is drawn at every step, in a pane of
    /// the same height throughout, with the trace and step panes still nine rows or more each.
    @Test func twoDenseUnitsTakeRowsFromThePanesUnderThemAt200x50() throws {
        var model = try model("dense-two-units-shared-inputs", columns: 200, rows: 50)
        let standard = try #require(ScreenLayout(columns: 200, rows: 50))
        let view = StepperView()
        var heights = Set<Int>()
        while true {
            let frame = view.render(model)
            let layout = try #require(frame.layout)
            heights.insert(layout.graph.height)
            #expect(frame.drawnGraph.boxes.count == model.graph.count, "step \(model.step)\n\(frame.grid.text)")
            #expect(layout.trace.height >= ScreenLayout.minimumBottomRows && layout.inspector.height >= ScreenLayout.minimumBottomRows)
            // The trace pane's title is drawn where the layout says.
            #expect(frame.grid.line(layout.traceTitle.row).hasPrefix("── trace"))
            if model.isAtEnd { break }
            model = update(model, .next)
        }
        #expect(heights.count == 1)
        #expect(heights.first! > standard.graph.height && heights.first! <= standard.tallestGraphRows)
    }

    /// A graph that fits the standard pane leaves the trace and the step pane their rows.
    @Test(arguments: ["neuron", "mlp", "dense-sixteen-inputs"])
    func aGraphThatFitsKeepsTheStandardPanes(_ scene: String) throws {
        let model = try model(scene, columns: 200, rows: 50)
        let frame = StepperView().render(model)
        #expect(frame.layout == ScreenLayout(columns: 200, rows: 50))
        #expect(frame.drawnGraph.boxes.count >= model.graph.count)
    }

    @Test func thePaneGrowsOnlyWithinItsBounds() throws {
        let standard = try #require(ScreenLayout(columns: 200, rows: 50))
        #expect(standard.graph.height == 27)
        #expect(standard.tallestGraphRows == 45 - ScreenLayout.minimumBottomRows)
        let tallest = try #require(ScreenLayout(columns: 200, rows: 50, graphRows: 100))
        #expect(tallest.graph.height == standard.tallestGraphRows)
        #expect(tallest.trace.height == ScreenLayout.minimumBottomRows)
        #expect(tallest.status.row == 48 && tallest.trace.bottom == tallest.status.row)
        // Never below the standard share.
        #expect(ScreenLayout(columns: 200, rows: 50, graphRows: 5) == standard)
        // A narrow screen stacks three panes; only the trace gives rows, down to four.
        let narrow = try #require(ScreenLayout(columns: 80, rows: 24))
        let narrowTallest = try #require(ScreenLayout(columns: 80, rows: 24, graphRows: 20))
        #expect(narrow.graph.height == 9 && narrow.trace.height == 5)
        #expect(narrowTallest.graph.height == 10 && narrowTallest.trace.height == ScreenLayout.minimumTraceRows)
        #expect(narrowTallest.inspector == narrow.inspector && narrowTallest.traceTitle.row == narrow.traceTitle.row + 1)
    }

    /// A formula of twelve nodes with three fan-outs and a dead end (v5, read by nothing), as a
    /// student might write to check a hand derivation: at 80×24 its smallest clean drawing is
    /// ten rows tall and the standard pane has nine, so 9 of its 12 boxes were drawn. The trace
    /// gives one row; every step is drawn whole, with the current trace row in view.
    @Test func aTwelveNodeFormulaIsDrawnWholeAt80x24() throws {
        let source = """
            input x1 = 0.3, x2 = 0.5, x3 = 1.2
            v1 = x2 * x2
            v2 = x2 - v1
            v3 = v1 * x2
            v4 = x1 + v1
            v5 = v4 * x1
            v6 = v4 - x1
            v7 = v2 * v3
            v8 = x3^2
            L = sum(v6, v7, v8)
            output L
            """
        let graph = try Scene.parse(source: source, fileName: "formula.scene").graph
        #expect(graph.count == 12)
        var model = try StepperModel(graph: graph, fileName: "formula.scene", columns: 80, rows: 24)
        let view = StepperView()
        while true {
            let frame = view.render(model)
            for problem in ScreenChecker(model: model, frame: frame, wholeLimit: 12).problems().prefix(1) {
                Issue.record("step \(model.step): \(problem)\n\(frame.grid.text)")
            }
            if model.isAtEnd { break }
            model = update(model, .next)
        }
    }
}
