import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// On a wide screen the graph pane takes rows from the trace and the step pane when the whole
/// graph fits only so, and only then; the panes keep their places from step to step.
@Suite struct GraphPaneHeightTests {
    private func model(_ scene: String, columns: Int, rows: Int) throws -> StepperModel {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(scene).scene").path).graph
        return try StepperModel(graph: graph, fileName: scene, columns: columns, rows: rows)
    }

    /// Two units of a dense layer sharing eight inputs (50 nodes) are 34 rows tall at their
    /// smallest (top to bottom, names only); the standard pane at 200×50 has 27, and the class
    /// saw 34 of the 50 boxes at every step. Now every box is drawn at every step, in a pane of
    /// the same height throughout, with the trace and step panes still ten rows each.
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
        // Narrow screens stack three panes and keep their split.
        #expect(ScreenLayout(columns: 80, rows: 24, graphRows: 20) == ScreenLayout(columns: 80, rows: 24))
    }
}
