import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// Stepping keeps the picture still: the graph pane changes its layout (another style, or a
/// window of the graph) only at a step the layout of the step before cannot show whole.
@Suite struct LayoutSwitchTests {
    /// The layout of every frame of a walk through all the steps of `file`.
    static func walk(_ file: String, columns: Int, rows: Int) throws -> (layouts: [LayoutChoice?], needless: [Int]) {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
        var model = try StepperModel(graph: graph, fileName: file, columns: columns, rows: rows)
        let view = StepperView()
        let pane = ScreenLayout(columns: columns, rows: rows)!.graph
        var layouts: [LayoutChoice?] = [], needless: [Int] = []
        while true {
            let frame = view.render(model)
            let layout = frame.drawnGraph.layout
            if let before = layouts.last ?? nil, layout != before, view.graphPane.wouldShow(before, model: model, pane: pane) {
                needless.append(model.step)
            }
            layouts.append(layout)
            for problem in ScreenChecker(model: model, frame: frame, wholeLimit: 30).problems().prefix(1) {
                Issue.record("\(file) at step \(model.step): \(problem)\n\(frame.grid.text)")
            }
            if model.isAtEnd { break }
            model = update(model, .next)
        }
        return (layouts, needless)
    }

    /// The SGD network at 120×40: step 39 (`t19 = t18 · x1`) needs another layout than the
    /// steps before, to show x1 beside t19. The old pane went back at step 40, and forth again
    /// at the next such step: 24 switches in the walk, each one a jump of the whole picture.
    @Test func aLayoutForcedByOneStepIsKeptWhileItShowsTheSteps() throws {
        let (layouts, needless) = try Self.walk("mlp-relu-sgd-two-steps.scene", columns: 120, rows: 40)
        #expect(layouts[39] != layouts[38], "step 39 does not fit the opening layout")
        #expect(layouts[40] == layouts[39], "step 40 fits the layout of step 39")
        #expect(needless.isEmpty, "the layout changed though the one before showed the step, at steps \(needless)")
        let switches = zip(layouts, layouts.dropFirst()).count { $0 != $1 }
        #expect(switches < 24)
    }

    /// At 80×24 nearly every layout is cut short by some step; the walk still switches only
    /// where the step before's layout cannot show the step.
    @Test(arguments: ["tanh-derivatives.scene", "mse-sixteen-points.scene", "softmax-ten-classes.scene"])
    func noNeedlessSwitchAt80x24(_ file: String) throws {
        let (_, needless) = try Self.walk(file, columns: 80, rows: 24)
        #expect(needless.isEmpty, "\(file): the layout changed though the one before showed the step, at steps \(needless)")
    }
}
