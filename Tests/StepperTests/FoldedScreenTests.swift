import Foundation
import GradFlow
import GraphExport
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The lecture scenes with loops, walked step by step with every run of same-shaped iterations
/// folded, at the three screen sizes a lecture uses: the screen checker's rules hold (the step's
/// boxes whole, its edge in view, the trace row shown, no box cut); the iterations the step is
/// in are drawn open, node by node, between a box for the iterations before and one for those
/// after; and from 120×40 on the folded graph is drawn whole.
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
                // Folded, each of these graphs fits a pane of 120×40 or more: every node is in a drawn box.
                let shown = frame.drawnGraph.boxes.reduce(into: IndexSet()) { $0.insert(integersIn: $1.nodes) }
                if size.columns >= 120, shown.count != graph.count {
                    Issue.record("\(at): \(graph.count - shown.count) nodes in no drawn box\n\(frame.grid.text)")
                }
                // The node of the step, and the consumer passing its adjoint back, are drawn
                // themselves, never hidden in a folded box, even inside the loop.
                let stepNodes = [model.currentNode, model.partnerNode].compactMap { $0 }
                if stepNodes.contains(where: { plan.box(of: $0).map { plan.boxes[$0].isRun } == true }) { stepsInsideARun += 1 }
                for node in stepNodes {
                    if frame.drawnGraph.boxes.contains(where: { $0.nodes.count > 1 && $0.nodes.contains(node) }) {
                        Issue.record("\(at): \(graph.label(of: node)) is inside a folded box\n\(frame.grid.text)")
                    } else if !frame.drawnGraph.boxes.contains(where: { $0.nodes == node..<(node + 1) }) {
                        Issue.record("\(at): \(graph.label(of: node)) is not drawn\n\(frame.grid.text)")
                    }
                }
                if model.isAtEnd { break }
                model = update(model, .next)
            }
            #expect(stepsInsideARun > 0)
        }
    }
}
