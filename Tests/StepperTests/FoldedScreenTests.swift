import Foundation
import GradFlow
import GraphExport
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The lecture scenes with loops, walked step by step with every run of same-shaped iterations
/// folded into one box `×N`, at the three screen sizes a lecture uses: the screen checker's
/// rules hold (the step's boxes whole, its edge in view, the trace row shown, no box cut), the
/// folded graph is drawn whole, and the box says which iteration is under way.
@Suite struct FoldedScreenTests {
    static let scenes = ["rnn.scene", "rnn-ten-steps.scene", "gradient-descent-unrolled.scene", "loop-with-branch.scene"]

    @Test(arguments: scenes)
    func everyStepOfAFoldedLoopIsLegible(_ file: String) throws {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
        let runs = RepeatedRuns(graph: graph)
        #expect(!runs.runs.isEmpty, "\(file) has a loop of same-shaped iterations")
        let folded = Set(runs.runs.map { $0[0] })
        let plan = FoldPlan(graph: graph, folding: folded, runs: runs)
        for size in LectureScreenTests.sizes {
            var model = try StepperModel(graph: graph, fileName: file, columns: size.columns, rows: size.rows)
            model.folded = folded
            let view = StepperView()
            var stepsInsideARun = 0
            while true {
                let frame = view.render(model)
                let at = "\(file) at \(size.columns)×\(size.rows), step \(model.step)"
                for problem in ScreenChecker(model: model, frame: frame, wholeLimit: size.wholeLimit)
                    .problems().prefix(1) {
                    Issue.record("\(at): \(problem)\n\(frame.grid.text)")
                }
                // Folded, each of these graphs fits the pane: every node is in a drawn box.
                let shown = frame.drawnGraph.boxes.reduce(into: IndexSet()) { $0.insert(integersIn: $1.nodes) }
                if shown.count != graph.count {
                    Issue.record("\(at): \(graph.count - shown.count) nodes in no drawn box\n\(frame.grid.text)")
                }
                // The box names the iteration of the current node, or else of the partner
                // passing its adjoint back to a weight outside.
                let inside = [model.currentNode, model.partnerNode].compactMap { $0 }
                    .first { plan.box(of: $0).map { plan.boxes[$0].isRun } == true }
                if let node = inside, let index = plan.box(of: node) {
                    stepsInsideARun += 1
                    let box = plan.boxes[index]
                    let title = box.label(atIteration: box.iteration(of: node)!)
                    if !frame.grid.text.contains("▸ " + title) {
                        Issue.record("\(at): the box does not say `\(title)`\n\(frame.grid.text)")
                    }
                }
                if model.isAtEnd { break }
                model = update(model, .next)
            }
            #expect(stepsInsideARun > 0)
        }
    }
}
