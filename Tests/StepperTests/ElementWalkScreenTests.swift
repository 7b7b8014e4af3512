import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// The tensor ↔ scalar view at lecture scale: every tensor step of the backward pass of every
/// tensor scene in `Scenes/tensors/`, opened with `e` into its elements, read off the screen as
/// ``LectureScreenTests`` reads a step: both boxes of the step whole in the pane, the edge
/// between them in view, the trace row shown, no box cut, no two edges merged. The first two
/// elements and the last are looked at (a walk of a 4×4 adjoint has 16).
@Suite struct ElementWalkScreenTests {
    static let scenes = LectureScreenTests.sceneFiles(LectureScreenTests.sceneDirectory + "/tensors")

    @Test(arguments: scenes)
    func everyOpenedStepIsLegible(_ file: String) throws {
        let graph = try Scene.load(path: "\(LectureScreenTests.sceneDirectory)/tensors/\(file)").graph
        let view = StepperView()
        for size in LectureScreenTests.sizes.prefix(2) {
            var model = try StepperModel(graph: graph, fileName: file, columns: size.columns, rows: size.rows)
            var opened = 0
            while !model.isAtEnd {
                model = update(model, .next)
                guard let index = model.contributionIndex, model.timeline.isTensorStep(index) else { continue }
                var walk = update(model, .toggleElements)
                guard let elements = walk.elementWalk?.elements.count else { continue }
                opened += 1
                let looked = Set([0, 1, elements - 1].filter { $0 < elements })
                for position in 0..<elements {
                    if looked.contains(position) {
                        let frame = view.render(walk)
                        let problems = ScreenChecker(model: walk, frame: frame, wholeLimit: 0).problems()
                        for problem in problems.prefix(1) {
                            Issue.record("\(file) at \(size.columns)×\(size.rows), step \(walk.step), element \(position + 1) of \(elements): \(problem)\n\(frame.grid.text)")
                        }
                    }
                    if position + 1 < elements { walk = update(walk, .next) }
                }
                #expect(walk.elementWalk?.position == elements - 1, "\(file): the walk of step \(model.step) ended early")
            }
            #expect(opened > 0, "\(file) has no tensor step to open")
        }
    }
}
