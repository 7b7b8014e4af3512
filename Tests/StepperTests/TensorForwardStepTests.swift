import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// `step --wrt W[0, 1]` on tensor scenes: forward mode, each node's tangent in its own shape,
/// checked against central differences of the scene evaluated with W[0, 1] moved (and against
/// a hand derivation), and shown on the screen. It was refused ("walks a tensor scene in
/// reverse mode only so far").
@Suite struct TensorForwardStepTests {
    /// z = W x, h = tanh(z), L = sum(h), with W[0, 1] = `w01`.
    static func scene(w01: Double = 2) -> String {
        "input W = [[1, \(w01)], [3, 4]]\ninput x = [0.5, -1]\nz = W @ x\nh = tanh(z)\nL = sum(h)\noutput L\n"
    }

    static func values(w01: Double) throws -> [String: [Double]] {
        let graph = try Scene.parse(source: scene(w01: w01), fileName: "t.scene").graph
        var values: [String: [Double]] = [:]
        for node in graph.nodes { values[graph.label(of: node)] = graph.tensor(of: node).elements }
        return values
    }

    /// Central differences of every node's value with respect to W[0, 1].
    static func centralDifferences() throws -> [String: [Double]] {
        let step = 1e-6
        let up = try values(w01: 2 + step), down = try values(w01: 2 - step)
        var differences: [String: [Double]] = [:]
        for (label, high) in up { differences[label] = zip(high, down[label]!).map { ($0 - $1) / (2 * step) } }
        return differences
    }

    /// Four significant digits, as the stepper writes them by default.
    static func short(_ value: Double) -> String {
        let text = String(format: "%.4g", value)
        return text == "-0" ? "0" : text
    }

    @Test func everyTangentMatchesCentralDifferencesAndIsShown() throws {
        let graph = try Scene.parse(source: Self.scene(), fileName: "t.scene").graph
        var model = try StepperModel(graph: graph, fileName: "t.scene", options: StepperOptions(wrt: "W[0, 1]"),
                                     columns: 120, rows: 40)
        #expect(model.differentiation == .forward)
        let differences = try Self.centralDifferences()
        // By hand: ż = Ẇ x = [x₁, 0] = [-1, 0]; ḣ = ż ⊙ (1 − tanh²z) with z₀ = 0.5 − 2 = −1.5.
        let hand = -(1 - pow(tanh(-1.5), 2))
        #expect(abs(differences["h"]![0] - hand) < 1e-6 && abs(differences["L"]![0] - hand) < 1e-6)
        let view = StepperView.withLayeredLayout()
        #expect(view.render(model).grid.line(38).contains("forward mode, seed W[0, 1]"))
        var checked = 0
        while !model.isAtEnd {
            model = update(model, .next)
            guard case .evaluate(let evaluation)? = model.currentStep else { continue }
            let node = evaluation.node, label = graph.label(of: node)
            let tangent = try #require(model.timeline.tensorDerivative(of: node, at: model.step))
            let expected = differences[label]!
            #expect(tangent.elements.count == expected.count)
            for (got, want) in zip(tangent.elements, expected) {
                #expect(abs(got - want) <= 1e-6 * max(1, abs(want)), "\(label): \(tangent.elements) vs \(expected)")
            }
            // The step pane writes the tangent (of rank 0 or 1: one line) with the central
            // differences' numbers.
            let text = view.render(model).grid.text
            guard graph.shape(of: node).count <= 1 else { continue }
            let written = expected.count == 1 ? Self.short(expected[0]) : "[" + expected.map(Self.short).joined(separator: ", ") + "]"
            #expect(text.contains(written), "step \(model.step) (\(label)): \(written) is not on the screen\n\(text)")
            checked += 1
        }
        #expect(checked == graph.count - 1, "every node but W (a matrix) checked on the screen")
        let text = view.render(model).grid.text
        #expect(text.contains("ḣ = ż ⊙ (1 − h^2)") || text.contains("derivatives by W[0, 1]"))
        #expect(text.contains("derivatives by W[0, 1]: ∂L/∂W[0, 1] = \(Self.short(hand))"), "\(text)")
    }

    /// The step evaluating h writes its rule and its tangent, and the seed says it is one.
    @Test func theStepPaneWritesTheRuleAndTheSeed() throws {
        let graph = try Scene.parse(source: Self.scene(), fileName: "t.scene").graph
        let view = StepperView.withLayeredLayout()
        let seed = try StepperModel(graph: graph, fileName: "t.scene", options: StepperOptions(step: 1, wrt: "W[0, 1]"),
                                    columns: 120, rows: 40)
        #expect(view.render(seed).grid.text.contains("(the seed: 1 at W[0, 1], 0 elsewhere)"))
        let h = try StepperModel(graph: graph, fileName: "t.scene", options: StepperOptions(step: 4, wrt: "W[0, 1]"),
                                 columns: 120, rows: 40)
        let text = view.render(h).grid.text
        #expect(text.contains("ḣ = ż ⊙ (1 − h^2)"), "\(text)")
        // The trace's tangent column and h's box carry ḣ too (they were blank in forward mode).
        let row = try #require(h.renderedTraceRow("h", view: view))
        #expect(row.contains("[-0.1807, 0]"), "\(row)")
    }

    /// The ReLU MLP with cross-entropy seeded at W1[1, 0]: the tangent of the loss is the
    /// scene's NumPy-checked ∂L/∂W1[1, 0] = 0.10325721544415799, to the digits shown. And `m`
    /// switches a tensor scene to forward mode instead of refusing.
    @Test func theMLPsLossTangentIsItsGradientElement() throws {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/relu-mlp-cross-entropy.scene").path).graph
        var model = try StepperModel(graph: graph, fileName: "mlp.scene", options: StepperOptions(wrt: "W1[1, 0]"),
                                     columns: 120, rows: 40)
        model = update(model, .last)
        let loss = try #require(graph.reportedOutputs.first).node
        #expect(abs(model.timeline.derivatives[loss] - 0.10325721544415799) < 1e-12)
        #expect(StepperView.withLayeredLayout().render(model).grid.text.contains("∂L/∂W1[1, 0] = 0.1033"))
        var reverse = try StepperModel(graph: graph, fileName: "mlp.scene", columns: 120, rows: 40)
        reverse = update(reverse, .toggleMode)
        #expect(reverse.differentiation == .forward && reverse.message == nil)
    }
}

extension StepperModel {
    /// The trace pane's row of the node labelled `label`, as drawn.
    func renderedTraceRow(_ label: String, view: StepperView) -> String? {
        let frame = view.render(self)
        let trace = frame.layout!.trace
        return (trace.row..<trace.bottom).map(frame.grid.line).first { $0.dropFirst(2).hasPrefix(label + " ") }
    }
}
