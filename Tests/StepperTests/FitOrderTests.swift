import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The most detailed boxes that fit: every way of fitting one zoom (one band or several, inputs
/// drawn beside their readers) is tried before the boxes lose their values, and when nothing
/// fits whole, names only are shown only where they show clearly more of the graph.
@Suite struct FitOrderTests {
    /// Folded loops at 200×50 with the step's iteration open: in one band they are too wide for
    /// values, and every step inside the loop was drawn with names only, though the values fit
    /// with the ranks in two bands (every unbanded name-only style was tried first).
    @Test(arguments: ["rnn-ten-steps.scene", "rnn-per-step-loss.scene"])
    func aFoldedLoopShowsItsValuesAtEveryStepAt200x50(_ file: String) throws {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
        var model = try StepperModel(graph: graph, fileName: file, columns: 200, rows: 50)
        #expect(!model.folded.isEmpty, "\(file) opens with its loop folded")
        let view = StepperView()
        while true {
            let frame = view.render(model)
            if frame.zoom == .name {
                Issue.record("\(file) at step \(model.step): names only\n\(frame.grid.text)")
                break
            }
            for problem in ScreenChecker(model: model, frame: frame, wholeLimit: 60).problems().prefix(1) {
                Issue.record("\(file) at step \(model.step): \(problem)\n\(frame.grid.text)")
            }
            if model.isAtEnd { break }
            model = update(model, .next)
        }
    }

    /// Sixteen squared residuals into one `mean` (66 nodes) do not fit 120×38 in any style. Names
    /// only show less than half as much again as values: the class saw names only at every step,
    /// and read no residual's value in the graph. (At 120×40 the names fit whole in a graph pane
    /// that takes rows from the panes under it: the whole graph is worth more than values on
    /// half of it.)
    @Test func aGraphTooLargeForThePaneKeepsItsValues() throws {
        let file = "mse-sixteen-points.scene"
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
        var model = try StepperModel(graph: graph, fileName: file, columns: 120, rows: 38)
        #expect(StepperView().render(model).zoom == .compact)
        // In the backward pass, the squared residual receiving its adjoint from the mean.
        model = try StepperModel(graph: graph, fileName: file, options: StepperOptions(phase: .backward), columns: 120, rows: 38)
        model = update(model, .next)
        let frame = StepperView().render(model)
        #expect(frame.zoom == .compact, "\(frame.grid.text)")
        for problem in ScreenChecker(model: model, frame: frame, wholeLimit: 30).problems().prefix(1) {
            Issue.record("step \(model.step): \(problem)\n\(frame.grid.text)")
        }
        let whole = StepperView().render(try StepperModel(graph: graph, fileName: file, columns: 120, rows: 40))
        #expect(whole.zoom == .name && whole.drawnGraph.boxes.count == graph.count)
        #expect((whole.layout?.graph.height ?? 0) > ScreenLayout(columns: 120, rows: 40)!.graph.height)
    }

    /// Names only still win where they show far more: the same scene at 80×24, where a box with
    /// its value takes a quarter of the pane's width.
    @Test func namesOnlyWhereValuesWouldShowLittle() throws {
        let file = "mse-sixteen-points.scene"
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
        let model = try StepperModel(graph: graph, fileName: file, columns: 80, rows: 24)
        #expect(StepperView().render(model).zoom == .name)
    }

    /// Softmax over four classes written out (15 nodes) fits no style at 80×24. The tight
    /// drawing showed 90% of the graph with a little loop `╰─╯` of z3's edge below p2 (counted as
    /// 72%) and was chosen over a clean one showing 60%: a loop is an edge a student cannot follow.
    @Test func aClearDrawingWinsOverALargerShareWithALoop() throws {
        let file = "softmax-four-classes-written.scene"
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
        var model = try StepperModel(graph: graph, fileName: file, columns: 80, rows: 24)
        let view = StepperView()
        while true {
            let frame = view.render(model)
            let tangled = ScreenChecker(model: model, frame: frame, wholeLimit: 12).problems().filter {
                switch $0 {
                case .strayLoop, .mergedJunction, .sharedRun: true
                default: false
                }
            }
            for problem in tangled.prefix(1) { Issue.record("step \(model.step): \(problem)\n\(frame.grid.text)") }
            if model.isAtEnd || !tangled.isEmpty { break }
            model = update(model, .next)
        }
    }

    /// The order of the styles: every style of one zoom before any of the next.
    @Test func everyStyleOfAZoomComesBeforeTheNextZoom() {
        let zooms = GraphPane.candidateStyles(zoom: nil, wholeGraph: true).map(\.zoom)
        #expect(zooms == zooms.sorted { Zoom.allCases.firstIndex(of: $0)! < Zoom.allCases.firstIndex(of: $1)! })
        #expect(GraphPane.candidateStyles(zoom: nil, wholeGraph: true).contains { $0.zoom == .compact && $0.bands > 1 })
    }
}
