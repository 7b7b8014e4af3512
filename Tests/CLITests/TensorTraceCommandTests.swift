import Foundation
import Testing
import TestSupport

/// `gradflow trace` on tensor scenes: every format, `--wrt` naming one element, and its mistakes.
/// The numbers are checked against NumPy in python/tests/test_tensor_trace.py; the text of the
/// two-by-two trace is docs/tensors.md's (DocumentedCommandTests).
@Suite struct TensorTraceCommandTests {
    static let layer = "Scenes/tensors/linear-layer.scene"

    @Test(arguments: ["text", "markdown", "latex", "csv", "json"])
    func everyFormatTracesATensorScene(format: String) throws {
        let run = try runGradflow(["trace", Self.layer, "--format", format, "--wrt", "W[0, 1]"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        // The rule of the step into W, in the format's notation.
        let rule = ["text": "W̄ += t̄1 · xᵀ", "markdown": "W̄ += t̄1 · xᵀ", "latex": "\\bar{W} \\mathrel{+}= \\bar{t}1\\, x^\\top",
                    "csv": "W_bar += t1_bar . x^T", "json": "W̄ += t̄1 · xᵀ"][format]!
        #expect(run.stdout.contains(rule), "\(run.stdout)")
    }

    @Test func theJSONParsesBackWithNestedArrays() throws {
        let run = try runGradflow(["trace", Self.layer, "--format", "json", "--wrt", "W[0, 1]"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let primal = try #require(document["primal"] as? [[String: Any]])
        #expect(primal[0]["node"] as? String == "W")
        #expect(primal[0]["shape"] as? [Int] == [2, 2])
        #expect(primal[0]["value"] as? [[Double]] == [[0.1, -0.2], [0.4, 0.3]])
        let tangent = try #require(document["tangent"] as? [String: Any])
        #expect(tangent["element"] as? [Int] == [0, 1])
        let reverse = try #require((document["reverse"] as? [[String: Any]])?.first)
        let gradient = try #require(reverse["gradient"] as? [String: Any])
        // grad's numbers (Scenes/tensors/linear-layer.scene's # expect lines, from NumPy).
        let w = try #require(gradient["W"] as? [[Double]])
        #expect(isClose(w[0][1], -2.800938415249888) && isClose(w[1][0], 1.1225517373739176))
    }

    @Test(arguments: [
        ("W[5, 0]", "gradflow: error: --wrt W[5, 0]: index 5 is out of range for axis 0 of W (size 2: from -2 to 1)\n"),
        ("W[0]", "gradflow: error: --wrt W[0]: W is a [2, 2] tensor; name one element with 2 indices, e.g. W[0, 0]\n"),
        ("W", "gradflow: error: --wrt W: W is a [2, 2] tensor; name one element, e.g. --wrt 'W[0, 0]'\n"),
        ("b[0", "gradflow: error: --wrt b[0: name one element as NAME[i, j] with integer indices, e.g. W[0, 1]\n"),
    ])
    func aWrongElementIsOneLine(wrt: String, message: String) throws {
        let run = try runGradflow(["trace", Self.layer, "--wrt", wrt])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr == message)
    }

    @Test func aScalarInputTakesNoIndex() throws {
        let run = try runGradflow(["trace", "Scenes/survey.scene", "--wrt", "x1[0]"])
        #expect(run.status == 2)
        #expect(run.stderr == "gradflow: error: --wrt x1[0]: x1 is a scalar input and has no elements to index; write --wrt x1\n")
    }

    /// The LaTeX of every tensor lecture scene compiles with pdflatex and amsmath (for `bmatrix`,
    /// as a comment at its top says), every line but the comments ASCII.
    @Test func theLaTeXOfEveryTensorSceneCompilesWithAmsmath() throws {
        let scenes = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Scenes/tensors").path)
            .filter { $0.hasSuffix(".scene") }.sorted()
        #expect(scenes.count >= 5)
        var document = "\\documentclass{article}\n\\usepackage{amsmath}\n\\usepackage[landscape,margin=1cm]{geometry}\n\\begin{document}\n"
        let elements = ["attention-head-tensors.scene": "Wq[0, 1]", "batch-softmax.scene": "W[1, 2]", "linear-layer.scene": "W[0, 1]",
                        "linear-regression-tensors.scene": "w[1]", "mlp-batch-softmax-tensors.scene": "W1[2, 3]",
                        "mlp-tensors.scene": "x[1]", "two-by-two.scene": "x[1, 0]"]
        for scene in scenes {
            let wrt = elements[scene].map { ["--wrt", $0] } ?? []
            let run = try runGradflow(["trace", "Scenes/tensors/" + scene, "--format", "latex"] + wrt)
            #expect(run.status == 0, "\(scene): \(run.stderr)")
            let latex = run.stdout
            #expect(latex.contains("% Matrices are amsmath's bmatrix: \\usepackage{amsmath} in the preamble.\n"))
            for line in latex.split(separator: "\n") where !line.hasPrefix("%") { #expect(line.allSatisfy { $0.isASCII }, "\(line)") }
            document += latex + "\\clearpage\n"
        }
        document += "\\end{document}\n"
        let directory = Scratch.root.appendingPathComponent("tensor-latex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("handout.tex")
        try Data(document.utf8).write(to: source)
        let run = try runProgram("/usr/bin/pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "-output-directory", directory.path, source.path])
        #expect(run.status == 0, "\(run.stdout.suffix(1_500))")
    }
}
