import Foundation
import Testing
import TestSupport

/// `trace --format latex` is a handout's format: what it writes compiles with pdflatex, a
/// minimal TeX without Unicode packages, for every scene of the classroom set and for names
/// that have no obvious LaTeX form.
@Suite(.serialized) struct LaTeXHandoutTests {
    /// The tabulars of `traces` in one article, compiled by pdflatex; nil when it compiled,
    /// else the end of pdflatex's log.
    func compile(_ traces: [(name: String, latex: String)]) throws -> String? {
        let directory = Scratch.root.appendingPathComponent("latex-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var document = "\\documentclass{article}\n\\usepackage[landscape,margin=1cm]{geometry}\n\\begin{document}\n"
        for trace in traces { document += "% \(trace.name)\n\(trace.latex)\n\\clearpage\n" }
        document += "\\end{document}\n"
        let source = directory.appendingPathComponent("handout.tex")
        try Data(document.utf8).write(to: source)
        let run = try runProgram("/usr/bin/pdflatex", [
            "-interaction=nonstopmode", "-halt-on-error", "-output-directory", directory.path, source.path,
        ])
        let compiled = FileManager.default.fileExists(atPath: directory.appendingPathComponent("handout.pdf").path)
        return run.status == 0 && compiled ? nil : String(run.stdout.suffix(1_500))
    }

    @Test func everySceneCompiles() throws {
        let scenes = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("Scenes").path)
            .filter { $0.hasSuffix(".scene") }.sorted()
        #expect(scenes.count >= 12)
        var traces: [(name: String, latex: String)] = []
        for scene in scenes {
            let run = try runGradflow(["trace", "Scenes/" + scene, "--format", "latex"])
            #expect(run.status == 0, "\(scene): \(run.stderr)")
            traces.append((scene, run.stdout))
        }
        let failure = try compile(traces)
        #expect(failure == nil, "\(failure ?? "")")
    }

    @Test func namesWithoutAnObviousLaTeXFormCompile() throws {
        // Versions of names with digits, underscores, Greek and ℓ, accents, CJK: every one in
        // the tables' names, adjoints, tangents and expressions.
        let scene = try temporaryScene("""
            title "Awkward names: ℓ, ŷ, ẏ, ö, 中"
            input x_1 = 0.5, __x__ = 2, ℓ = 1.5, ö = 0.25
            h1 = x_1 * __x__
            h1 = h1 + ℓ
            ŷ = tanh(h1) * ö
            ẏ = ŷ + 1
            eps2 = ẏ * 1.5
            eps = ŷ * 2
            eps = eps - 0
            中 = eps2 + eps
            output 中
            """)
        let run = try runGradflow(["trace", scene, "--format", "latex", "--wrt", "x_1"])
        #expect(run.status == 0, "\(run.stderr)")
        for line in run.stdout.split(separator: "\n") where !line.hasPrefix("%") {
            #expect(line.allSatisfy { $0.isASCII }, "\(line)")
        }
        #expect(run.stdout.contains("$h1_{2}$"))
        #expect(run.stdout.contains("\\hat{y}") && run.stdout.contains("\\ell") && run.stdout.contains("\\ddot{o}") && run.stdout.contains("\\stackrel{.}{y}"))
        let failure = try compile([("awkward", run.stdout)])
        #expect(failure == nil, "\(failure ?? "")")
    }
}

/// Negative zero (`0 · (-2)` in IEEE arithmetic) is written `0` wherever people read numbers.
@Suite struct NegativeZeroTests {
    @Test func tracesAndPicturesShowZero() throws {
        let scene = try temporaryScene("input x = 0\ny = x * -2\nz = y - 0\noutput z\n")
        let trace = try runGradflow(["trace", scene])
        #expect(trace.status == 0)
        #expect(trace.stdout.contains("-2 · 0") && !trace.stdout.contains("-0"), "\(trace.stdout)")
        let dotPath = scene + ".dot"
        defer { try? FileManager.default.removeItem(atPath: dotPath) }
        #expect(try runGradflow(["export", scene, "-o", dotPath, "--step", "3"]).status == 0)
        let dot = try String(contentsOfFile: dotPath, encoding: .utf8)
        #expect(!dot.contains("-0") && dot.contains("tooltip=\"z = y − 0 = 0\""), "\(dot)")
        // Machines still get the exact number.
        let json = try runGradflow(["grad", scene, "--format", "json"])
        #expect(json.stdout.contains("\"value\":-0"), "\(json.stdout)")
    }
}
