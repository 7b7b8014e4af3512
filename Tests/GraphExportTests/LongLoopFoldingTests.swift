import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import GraphExport

/// A lecture's unrolled RNN on a slide: more than 8 same-shaped iterations fold by default, the
/// weights only the loop reads are wired into its box, and a short tensor is shown in full.
@Suite struct LongLoopFoldingTests {
    static func graph(_ path: String) throws -> Graph { try Scene.load(path: path).graph }

    @Test("a loop of 10 iterations folds by default (unrolled, rnn-ten-steps was 107 inches wide); 8 do not")
    func automaticFoldsLongRuns() throws {
        let ten = try Self.graph("Scenes/rnn-ten-steps.scene")
        #expect(ten.count < Folding.automaticLimit, "folded for its loop, not its size")
        let writer = DiagramWriter(timeline: Fixtures.reverse(ten), options: ExportOptions())
        #expect(writer.isFolding && writer.foldPlan.boxes.map(\.label) == ["for i ×10"])
        let eight = try Scene.parse(source: "input w = 0.5\nh = 0\nfor i in 1...8 { h = tanh(w * h + i) }\noutput h\n",
                                    fileName: "eight.scene").graph
        #expect(!DiagramWriter(timeline: Fixtures.reverse(eight), options: ExportOptions()).isFolding)
        var never = ExportOptions()
        never.folding = .never
        #expect(!DiagramWriter(timeline: Fixtures.reverse(ten), options: never).isFolding)
    }

    @Test("a step inside a folded loop is drawn open, as the stepper draws it: both ends of its edge are boxes of their own")
    func stepInsideTheLoopIsDrawnOpen() throws {
        let graph = try Self.graph("Scenes/rnn-ten-steps.scene")
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: ExportOptions())
        let timeline = writer.timeline
        let highlight = Palette.of(.light).highlight
        var insideTheLoop = 0
        for step in 1...timeline.count {
            let state = DiagramState(timeline: timeline, step: step)
            let dot = writer.dot(for: state)
            switch timeline.step(step) {
            case .evaluate(let evaluation):
                #expect(dot.contains("  n\(evaluation.node) ["), "step \(step): \(graph.label(of: evaluation.node)) is hidden in a box")
            case .seed(let output):
                #expect(dot.contains("  n\(output) ["))
            case .contribute(let contribution):
                // The edge operand → consumer that carries this contribution, highlighted.
                let edge = dot.split(separator: "\n").first { $0.hasPrefix("  n\(contribution.to) -> n\(contribution.from) [") }
                #expect(edge?.contains(highlight) == true,
                        "step \(step): \(graph.label(of: contribution.from)) → \(graph.label(of: contribution.to)) is not drawn")
                if writer.foldPlan.box(of: contribution.from) != nil { insideTheLoop += 1 }
            }
        }
        #expect(insideTheLoop > 50, "most of the backward pass runs inside the folded loop")
        // The loop opens at the step's iteration: t22 and t23 are in iteration 6 of 10.
        let t23 = try #require(graph.nodes.first { graph.label(of: $0) == "t23" })
        let step = try #require((1...timeline.count).first { step in
            if case .contribute(let contribution) = timeline.step(step) { return contribution.from == t23 }
            return false
        })
        let dot = writer.dot(for: DiagramState(timeline: timeline, step: step))
        #expect(dot.contains("for i 1–5") && dot.contains("for i 7–10") && !dot.contains("for i ×10"))
        #expect(writer.focusIDs(for: DiagramState(timeline: timeline, step: step)).allSatisfy { $0.hasPrefix("n") })
        // The finished picture (no step marked) stays folded whole.
        #expect(writer.dot(for: DiagramState(final: timeline)).contains("for i ×10"))
    }

    @Test("weights read by the loop alone are wired into its box; one also read outside keeps its proxy")
    func weightsReadOnlyByTheLoopAreWired() throws {
        let graph = try Scene.parse(source: "input x = 0.5, w = 0.9\nv = 2 * x\nrepeat 12 { v = tanh(v * w + x) }\noutput v\n",
                                    fileName: "chain.scene").graph
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: ExportOptions())
        let dot = writer.dot(for: DiagramState(final: writer.timeline))
        // x (node 0) is read by `v = 2 * x` too: its proxy stays. w (node 1) is read only in the loop.
        #expect(dot.contains("  p0_0 -> g0 [") && !dot.contains("  n0 -> g0 ["))
        #expect(dot.contains("  n1 -> g0 [") && !dot.contains("p0_1"))
    }

    @Test("the folded RNN's last state is shown as its three numbers, not as [3] …")
    func shortTensorInFull() throws {
        let graph = try Self.graph("Scenes/tensors/rnn-twenty-steps-tensors.scene")
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: ExportOptions())
        let dot = writer.dot(for: DiagramState(final: writer.timeline))
        // h₂₁ = tanh(Wh h₂₀ + Wx x₂₀ + b) = [0.5486, -0.702, -0.03761] (NumPy, 4 digits), its
        // adjoint 2 (y − 0.5) v = 0.7803 · [1, -0.5, 0.25].
        #expect(dot.contains("[0.5486, -0.702, -0.03761]"))
        #expect(dot.contains("[0.7803, -0.3901, 0.1951]"))
        #expect(!dot.contains("[3] …"))
    }
}

/// A folded box of backward nodes lists what the scene named first.
@Suite struct FoldedOutputOrderTests {
    @Test("grad(f, w) folded lists g first, not the one-hot constants its backward nodes made")
    func namedOutputsFirst() throws {
        let graph = try Scene.load(path: "Scenes/tensors/hessian-vector-product.scene").graph
        var options = ExportOptions()
        options.folding = .always
        let writer = DiagramWriter(timeline: Fixtures.reverse(graph), options: options)
        let box = try #require(writer.foldPlan.boxes.first { $0.label == "grad(f, w)" })
        #expect(graph.label(of: box.outputs[0]) != "g", "in graph order a constant comes first")
        let listed = writer.listedOutputs(of: box).prefix(DiagramWriter.outputsShownPerBox).map(graph.label(of:))
        #expect(listed.first == "g", "\(listed)")
        let dot = writer.dot(for: DiagramState(final: writer.timeline))
        // g = ∇f at w = [0.5, -1, 2] (by hand: A w + 0.3 exp(0.3 w) + [w1 w2, w0 w2, w0 w1]).
        #expect(dot.contains("[-1.651, -3.278, 3.047]"))
    }
}
