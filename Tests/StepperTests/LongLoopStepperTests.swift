import Foundation
import GradFlow
import GraphExport
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// Long loops in the stepper: folded by the rule `export` folds by, the step's iteration drawn
/// open, `f` unfolding and folding again, and no word about Graphviz for a graph the tool made.
@Suite struct LongLoopStepperTests {
    static func loop(_ iterations: Int) -> String {
        "input w = 0.5\nh = 0\nfor i in 1...\(iterations) {\n    h = tanh(w * h + 0.1 * i)\n}\noutput h\n"
    }

    static let tensorRNN = repositoryRoot.appendingPathComponent("Scenes/tensors/rnn-twenty-steps-tensors.scene").path

    /// Eight iterations are drawn one by one, nine fold (more than `Folding.automaticRunLimit`),
    /// in the stepper as in `export`.
    @Test(arguments: [(8, false), (9, true)])
    func theStepperFoldsLongLoopsByTheExportersRule(iterations: Int, folds: Bool) throws {
        let graph = try Scene.parse(source: Self.loop(iterations), fileName: "loop.scene").graph
        let model = try StepperModel(graph: graph, fileName: "loop.scene", columns: 120, rows: 40)
        #expect(model.folded.isEmpty == !folds)
        #expect(DiagramWriter(timeline: model.timeline).isFolding == folds)
        if folds {
            #expect(model.folded.count == iterations, "every iteration's group is folded")
            #expect(model.message?.contains("for i ×\(iterations)") == true && model.message?.contains("f unfolds") == true)
            #expect(StepperView().render(model).grid.text.contains("▸ for i ×\(iterations)"))
        }
        var unfolded = StepperOptions()
        unfolded.folding = .never
        #expect(try StepperModel(graph: graph, fileName: "loop.scene", options: unfolded).folded.isEmpty)
    }

    /// The 20-step tensor RNN: one box `for i ×20` at the start; then, through the forward pass
    /// and the start of the backward pass, the node of the step (and the consumer passing its
    /// adjoint back) drawn in a box of its own, the others of the loop folded around it, and
    /// never more than a screenful of boxes.
    @Test func theTwentyStepTensorRNNIsFoldedAroundTheStep() throws {
        let graph = try Scene.load(path: Self.tensorRNN).graph
        var model = try StepperModel(graph: graph, fileName: "rnn-twenty-steps-tensors.scene", columns: 120, rows: 40)
        let view = StepperView()
        var frame = view.render(model)
        #expect(frame.grid.text.contains("▸ for i ×20"), "\(frame.grid.text)")
        // Wh, Wx, b, v, h, the loop, y, (y - 0.5), L: nine boxes, where unfolded there were 130
        // (a box that ends one band is drawn again where the next band starts).
        #expect(Set(frame.drawnGraph.boxes.map(\.nodes)).count == 9, "\(frame.grid.text)")
        let forwardSteps = graph.count
        for _ in 0..<(forwardSteps + 40) {
            model = update(model, .next)
            frame = view.render(model)
            let at = "step \(model.step)"
            for node in [model.currentNode, model.partnerNode].compactMap({ $0 }) {
                #expect(frame.drawnGraph.boxes.contains { $0.nodes == node..<(node + 1) },
                        "\(at): \(graph.label(of: node)) is not drawn in a box of its own\n\(frame.grid.text)")
            }
            // One or two iterations open (six nodes each) beside at most three boxes for the rest.
            #expect(frame.drawnGraph.boxes.count <= 9 + 2 * 6 + 2 + 3 * 3, "\(at)\n\(frame.grid.text)")
            #expect(!frame.grid.text.contains("Graphviz"), "\(at)\n\(frame.grid.text)")
        }
    }

    /// When Graphviz is only slow, the built-in layout stands in without a word: the title said
    /// "Graphviz could not lay the graph out (it is taking long; still trying)".
    @Test func aLateLayoutIsNotReported() throws {
        let graph = try Scene.load(path: Self.tensorRNN).graph
        var unfolded = StepperOptions()
        unfolded.folding = .never
        let model = try StepperModel(graph: graph, fileName: "rnn.scene", options: unfolded, columns: 120, rows: 40)
        let view = StepperView(layout: { _ in throw LayoutDeferred.slow })
        let title = view.render(model).grid.line(1)
        #expect(!title.contains("Graphviz"), "\(title)")
    }

    /// `f` inside the folded loop unfolds it whole; `f` again folds it, the step's iteration open.
    @Test func fUnfoldsAndFoldsTheLoopOfTheStep() throws {
        let graph = try Scene.parse(source: Self.loop(12), fileName: "loop.scene").graph
        var model = try StepperModel(graph: graph, fileName: "loop.scene", options: StepperOptions(step: 20),
                                     columns: 120, rows: 40)
        let view = StepperView()
        let node = try #require(model.currentNode)
        #expect(view.render(model).drawnGraph.boxes.contains { $0.nodes == node..<(node + 1) })
        model = update(model, .toggleFold)
        #expect(model.folded.isEmpty)
        #expect(model.message?.contains("unfolded") == true)
        #expect(!view.render(model).grid.text.contains("▸ for i"))
        model = update(model, .toggleFold)
        #expect(!model.folded.isEmpty)
        let text = view.render(model).grid.text
        #expect(text.contains("▸ for i"), "\(text)")
        #expect(view.render(model).drawnGraph.boxes.contains { $0.nodes == node..<(node + 1) })
    }
}
