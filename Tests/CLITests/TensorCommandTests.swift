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

    @Test func checkOfATrainingSceneMovesTheLastStepsInputs() throws {
        // The graph checked is step 60's, with W and b as that step found them; moving one
        // element of W used to put every other input back to its declared zeros, so the central
        // difference was taken of a different step (b[0]: −0.00033 by reverse mode, +0.020
        // by the difference) and all 9 derivatives were reported as differing.
        let run = try runGradflow(["check", "Scenes/tensors/softmax-regression-train.scene"])
        #expect(run.status == 0, "\(run.stdout)")
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

    @Test func evalTakesATensorExpression() throws {
        // f = Σ [1, 2] · x = 3x: f = 3 and ∂f/∂x = 3 at x = 1.
        let run = try runGradflow(["eval", "sum([1, 2] * x)", "--at", "x=1"])
        #expect(run.status == 0 && run.stderr.isEmpty)
        #expect(run.stdout == "f = 3\n  ∂f/∂x = 3\n")
    }

    @Test func plotDifferentiatesATensorSceneAgainstAScalarInput() throws {
        // L(b) = mean((X w + b − t)²) is a parabola in b with L″ = 2, L′(0.1) = −0.35625 and
        // L(0.1) = 0.891171875 (worked in rationals in the scene), so L′(b) = −0.35625 + 2 (b − 0.1).
        let run = try runGradflow(["plot", "Scenes/tensors/linear-regression-tensors.scene", "--wrt", "b", "--derivatives", "2",
                                   "--format", "csv", "--samples", "3", "--over", "-1:1"])
        #expect(run.status == 0)
        let rows = run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
        #expect(rows.count == 3)
        for row in rows {
            let b = row[0]
            #expect(isClose(row[1], 0.891171875 - 0.35625 * (b - 0.1) + (b - 0.1) * (b - 0.1), relative: 1e-12))
            #expect(isClose(row[2], -0.35625 + 2 * (b - 0.1), relative: 1e-12))
            #expect(isClose(row[3], 2, relative: 1e-12))
        }
        let tensorInput = try runGradflow(["plot", "Scenes/tensors/linear-regression-tensors.scene", "--wrt", "w"])
        #expect(tensorInput.status == 2)
        #expect(tensorInput.stderr == "gradflow: error: --wrt: `w` is a tensor input of shape [2]; plot against a scalar input\n")
    }

    @Test func aTensorSceneWrittenAsAGraphFileIsReadBackByGradAndCheck() throws {
        let directory = Scratch.root.appendingPathComponent("gradflow-tensor-graph-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("batch.json").path
        let export = try runGradflow(["export", "Scenes/tensors/batch-softmax.scene", "-o", file])
        #expect(export.status == 0 && export.stderr.isEmpty)
        // The same numbers from the file as from the scene (NumPy's, in the scene's # expect lines).
        let fromScene = try runGradflow(["grad", "Scenes/tensors/batch-softmax.scene", "--format", "json"])
        let fromFile = try runGradflow(["grad", file, "--format", "json"])
        #expect(fromFile.status == 0 && fromFile.stdout == fromScene.stdout)
        #expect(fromFile.stdout.contains("1.235433720566235"))
        let check = try runGradflow(["check", file])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("passed: all 9 derivatives agree"), "\(check.stdout)")
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
