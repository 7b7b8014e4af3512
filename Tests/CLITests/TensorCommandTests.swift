import Foundation
import Testing
import TestSupport

/// The commands on tensor scenes: `grad`, `check`, `trace` and `export` take them; the others refuse them with
/// one line and a nonzero status until they can show them.
@Suite struct TensorCommandTests {
    static let scene = "Scenes/tensors/two-by-two.scene"

    @Test func gradJSONNestsTensorsRowMajor() throws {
        let run = try runGradflow(["grad", Self.scene, "--format", "json"])
        #expect(run.status == 0)
        #expect(run.stdout == #"{"outputs":[{"name":"out","value":27,"gradient":{"x":[[4.5,4.5],[4.5,4.5]]}}]}"# + "\n")
        #expect(run.stderr.isEmpty)
    }

    @Test func gradJSONMixesScalarsAndTensors() throws {
        let path = try temporaryScene("input W = [[1, 2, 3], [4, 5, 6]]\ninput b = [0.5, -0.5]\ninput s = 2\nl = sum(W) * s + sum(b)\noutput l")
        let run = try runGradflow(["grad", path, "--format", "json"])
        // ∂l/∂W = s everywhere, ∂l/∂b = 1, ∂l/∂s = Σ W = 21; l = 21 · 2 + 0.
        #expect(run.stdout == #"{"outputs":[{"name":"l","value":42,"gradient":{"W":[[2,2,2],[2,2,2]],"b":[1,1],"s":21}}]}"# + "\n")
    }

    @Test func gradTextWritesAMatrixRowByRow() throws {
        let run = try runGradflow(["grad", Self.scene])
        #expect(run.stdout == "out = 27\n  ∂out/∂x = [[4.5, 4.5],\n             [4.5, 4.5]]\n")
    }

    @Test func checkComparesEveryElement() throws {
        let run = try runGradflow(["check", "Scenes/tensors/batch-softmax.scene"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("W[1, 2]"))
        #expect(run.stdout.contains("b[2]"))
        #expect(run.stdout.contains("passed: all 9 derivatives agree"))
    }

    @Test func checkSamplesALargeInputWithASeed() throws {
        let path = try temporaryScene("input W = randn(3, 10, 10)\nl = sum(tanh(W))\noutput l")
        let first = try runGradflow(["check", path, "--format", "json"])
        let again = try runGradflow(["check", path, "--format", "json"])
        let other = try runGradflow(["check", path, "--format", "json", "--seed", "9"])
        #expect(first.status == 0)
        #expect(first.stdout == again.stdout, "the same seed checks the same elements")
        #expect(first.stdout != other.stdout, "another seed checks others")
        let text = try runGradflow(["check", path])
        #expect(text.stdout.contains("note: W has 100 elements; 32 of them, chosen with seed 1, were checked"))
        #expect(text.stdout.contains("passed: all 32 derivatives agree"))
    }

    @Test(arguments: [
        ["plot", scene], ["train", scene],
        ["eval", "sum([1, 2] * x)", "--at", "x=1"],
    ])
    func commandsThatCannotShowTensorsRefuseThem(_ arguments: [String]) throws {
        let run = try runGradflow(arguments)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("gradflow: error: "))
        #expect(run.stderr.contains("`gradflow \(arguments[0])` does not show tensor scenes yet"))
    }

    @Test func theShapeErrorInTheDocsIsWhatGradflowPrints() throws {
        // docs/tensors.md shows this diagnostic (on stderr, so outside the pages' stdout examples).
        let run = try runGradflow(["grad", "Tests/TensorScenes/inner-dimensions.scene"])
        #expect(run.status == 2)
        let page = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/tensors.md"), encoding: .utf8)
        #expect(page.contains("$ gradflow grad Tests/TensorScenes/inner-dimensions.scene\n" + run.stderr + "```"), "\(run.stderr)")
    }

    @Test func aNonFiniteElementIsNamedLikeANonFiniteScalar() throws {
        let path = try temporaryScene("input x = [1, -1]\ny = ln(x)\nl = sum(y)\noutput l", name: "nan.scene")
        let run = try runGradflow(["grad", path, "--format", "json"])
        #expect(run.stdout.contains(#""firstNonFinite":{"node":"y","expression":"ln(x)","value":"NaN"}"#), "\(run.stdout)")
        #expect(run.stderr.contains("warning: y = ln(x) is NaN where x = [1, -1]; it is the first node that is not finite"), "\(run.stderr)")
    }

    @Test func aShapeErrorIsAPositionedDiagnostic() throws {
        let path = try temporaryScene("input A = [[1, 2, 3], [4, 5, 6]]\ninput v = [1, 2]\nl = sum(A @ v)\noutput l", name: "shapes.scene")
        let run = try runGradflow(["grad", path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("shapes.scene:3:11: error: cannot compute [2, 3] @ [2]: inner dimensions 3 and 2 differ"))
    }
}
