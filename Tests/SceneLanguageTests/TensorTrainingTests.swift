import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// `train` blocks whose inputs are tensors: every element updated as a scalar input would be,
/// checked by hand, against the same run written with scalar inputs, and in diagnostics.
@Suite struct TensorTrainingTests {
    @Test func gradientDescentOnAVectorByHand() throws {
        // loss = Σ w²/2 has gradient w, so lr 0.5 halves every element: [1, −2] → [0.5, −1] → [0.25, −0.5]
        // → [0.125, −0.25]; the losses are 2.5, 0.625, 0.15625.
        let scene = try trace("input w = [1, -2]\ntrain 3 steps, lr 0.5 {\n  loss = sum(w^2) / 2\n  minimize loss\n}")
        let run = try #require(scene.training)
        #expect(run.inputNames == ["w[0]", "w[1]"])
        #expect(run.tensorInputs.map(\.name) == ["w"] && run.tensorInputs.map(\.shape) == [[2]] && run.tensorInputs.map(\.first) == [0])
        for (actual, expected) in zip(run.losses, [2.5, 0.625, 0.15625]) { #expect(isClose(actual, expected)) }
        for (row, expected) in zip(run.inputValues, [[1.0, -2], [0.5, -1], [0.25, -0.5], [0.125, -0.25]]) {
            #expect(row.count == 2 && zip(row, expected).allSatisfy { isClose($0, $1) }, "\(row)")
        }
        for (row, expected) in zip(run.gradients, [[1.0, -2], [0.5, -1], [0.25, -0.5]]) {
            #expect(zip(row, expected).allSatisfy { isClose($0, $1) }, "\(row)")
        }
        // The graph shown is step 3's, with w as it was before that step's update.
        let w = try #require(scene.node("w"))
        #expect(scene.graph.tensor(of: w).elements == [0.25, -0.5])
        #expect(isClose(scene.value("loss"), 0.15625))
    }

    @Test func momentumOnEveryElementAsPyTorchDefinesIt() throws {
        // Gradient w, lr 0.1, momentum 0.9, element by element from [1, 2]: v1 = w, w ← 0.9 w;
        // v2 = 0.9 w₀ + 0.9 w₀ = 1.8 w₀, w ← 0.72 w₀; as the scalar test does for w = 1.
        let scene = try trace("input w = [1, 2]\ntrain 2 steps, lr 0.1, momentum 0.9 {\n  loss = sum(w^2) / 2\n  minimize loss\n}")
        let run = try #require(scene.training)
        #expect(zip(run.finalInputs, [0.72, 1.44]).allSatisfy { isClose($0, $1) }, "\(run.finalInputs)")
    }

    /// Linear regression on eight points, once with `w` a vector and `X @ w`, once with scalar
    /// inputs `w0`, `w1` and every row written out: the two runs are the same numbers.
    @Test func aTensorRunIsTheScalarRunOfTheSameModel() throws {
        let X = [[0.5, 1], [1, -0.5], [1.5, 0.25], [2, 1.5], [-0.5, 0.75], [-1, -1.25], [0.25, -2], [3, 0.5]]
        let t = [1.2, 0.9, 2.1, 3.4, -0.3, -2.2, -1.5, 4.1]
        func list(_ values: [Double]) -> String { "[" + values.map { "\($0)" }.joined(separator: ", ") + "]" }
        let tensorScene = """
            const X = [\(X.map(list).joined(separator: ", "))]
            const t = \(list(t))
            input w = [0.8, 0.3]
            input b = 0.1
            train 25 steps, lr 0.1, momentum 0.5 {
              L = mean((X @ w + b - t)^2)
              minimize L
            }
            """
        let rows = zip(X, t).map { x, target in "(w0 * \(x[0]) + w1 * \(x[1]) + b - \(target))^2" }
        let scalarScene = """
            input w0 = 0.8, w1 = 0.3
            input b = 0.1
            train 25 steps, lr 0.1, momentum 0.5 {
              L = mean(\(rows.joined(separator: ", ")))
              minimize L
            }
            """
        let tensorRun = try #require(try trace(tensorScene).training)
        let scalarRun = try #require(try trace(scalarScene).training)
        #expect(tensorRun.inputNames == ["w[0]", "w[1]", "b"] && scalarRun.inputNames == ["w0", "w1", "b"])
        #expect(tensorRun.losses.count == 25)
        for (a, b) in zip(tensorRun.losses, scalarRun.losses) { #expect(isClose(a, b, relative: 1e-12), "\(a) vs \(b)") }
        for (a, b) in zip(tensorRun.inputValues.joined(), scalarRun.inputValues.joined()) { #expect(isClose(a, b, relative: 1e-12)) }
        for (a, b) in zip(tensorRun.gradients.joined(), scalarRun.gradients.joined()) { #expect(isClose(a, b, relative: 1e-11, absolute: 1e-15)) }
        // The loss fell: 11407/12800 at the start (docs of linear-regression-tensors.scene, worked in rationals).
        #expect(isClose(tensorRun.losses[0], 11407.0 / 12800))
        #expect(tensorRun.losses[24] < tensorRun.losses[0] / 5)
    }

    @Test func anyStepsGraphIsRecordedAgainWithItsTensors() throws {
        let scene = try trace("input w = [1, -2]\ntrain 3 steps, lr 0.5 {\n  loss = sum(w^2) / 2\n  minimize loss\n}")
        let second = try scene.atTrainingStep(2)
        let w = try #require(second.node("w"))
        #expect(second.graph.tensor(of: w).elements == [0.5, -1])
        #expect(isClose(second.value("loss"), 0.625))
    }

    @Test func theLossMustBeAScalarAndDifferentiable() {
        #expect(rendered("input w = [1, 2]\ntrain 2 steps, lr 0.1 {\n  l = w * w\n  minimize l\n}")
            == "test.scene:4:12: error: `l` is a tensor of shape [2], and a loss must be a scalar; reduce it, e.g. `loss = mean(l)`, and minimize `loss`\n  minimize l\n           ^")
    }

    @Test func aRunThatWouldKeepTooManyNumbersIsRefusedAtOnce() {
        // 2,048 × 2,048 weights for 10 steps: 11 × 4,194,304 numbers kept, beyond 2^22.
        let message = rendered("input W = zeros(2048, 2048)\ntrain 10 steps, lr 0.1 {\n  l = sum(W)\n  minimize l\n}")
        #expect(message.hasPrefix("test.scene:2:1: error: this training run would keep 4194304 trained numbers for each of 10 steps"), "\(message)")
    }

    /// docs/train-and-plot.md shows the body of Scenes/tensors/softmax-regression-train.scene; the
    /// scene itself is traced (and its numbers checked) by SceneSetTests and the NumPy test.
    @Test func theDocumentedSceneIsTheSceneFile() throws {
        let page = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/train-and-plot.md"), encoding: .utf8)
        let scene = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenes/tensors/softmax-regression-train.scene"), encoding: .utf8)
        let shown = try #require(page.components(separatedBy: "```\n").first { $0.hasPrefix("const X = [[1, 0.5]") })
        #expect(scene.contains(shown), "docs/train-and-plot.md shows a scene that is not the file")
    }
}
