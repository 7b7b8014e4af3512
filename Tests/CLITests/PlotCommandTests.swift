import Foundation
import Testing
import TestSupport

/// `gradflow plot` and `gradflow check --sweep` end to end: numbers against derivatives worked
/// out symbolically, the terminal drawing, the pictures.
@Suite struct PlotCommandTests {
    /// Rows of a CSV document as numbers (the header dropped).
    func numbers(_ csv: String) -> [[Double]] {
        csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map { Double($0) ?? .nan } }
    }

    @Test func tanhAndFourDerivativesMatchTheirSymbolicForms() throws {
        let run = try runGradflow(["plot", "tanh(x)", "--over", "-1:1", "--samples", "5", "--derivatives", "4", "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("x,f(x),f′(x),f″(x),f‴(x),f⁽⁴⁾(x)\n"))
        let rows = numbers(run.stdout)
        #expect(rows.count == 5)
        for row in rows {
            // SymPy, with t = tanh x and s = 1 − t²: f′ = s, f″ = −2ts, f‴ = 2s(3t² − 1), f⁽⁴⁾ = −8ts(3t² − 2).
            let t = Foundation.tanh(row[0]), s = 1 - t * t
            let expected = [t, s, -2 * t * s, 2 * s * (3 * t * t - 1), -8 * t * s * (3 * t * t - 2)]
            for (actual, value) in zip(row.dropFirst(), expected) {
                #expect(isClose(actual, value, relative: 1e-12, absolute: 1e-14), "at x = \(row[0])")
            }
        }
        #expect(rows.map { $0[0] } == [-1, -0.5, 0, 0.5, 1])
    }

    /// `plot 'sum(x * [1, 2])'` drew f′ = 0 (the scalar sweeps read a tensor's partials as 0);
    /// like a tensor scene, a tensor expression is refused in one line until plot shows tensors.
    @Test func aTensorExpressionIsRefusedRatherThanDifferentiatedWrong() throws {
        let run = try runGradflow(["plot", "sum(x * [1, 2])", "--over", "0:1", "--derivatives", "1", "--format", "csv"])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty, "\(run.stdout)")
        #expect(run.stderr == "gradflow: error: <expression>: `gradflow plot` plots a scalar expression, and this one holds tensors; "
            + "`gradflow eval` evaluates it, and a scene file with a scalar input can be plotted (see docs/tensors.md)\n", "\(run.stderr)")
    }

    @Test func eachSampleIsTracedAfreshSoBranchesAndKinksAreRight() throws {
        let scene = try temporaryScene("input x = 1\nif x > 0 {\n  y = x^2\n} else {\n  y = relu(x) - x\n}\noutput y\n")
        let run = try runGradflow(["plot", scene, "--over", "-2:2", "--samples", "5", "--derivatives", "2", "--format", "csv"])
        #expect(run.status == 0)
        for row in numbers(run.stdout) {
            let x = row[0]
            let expected = x > 0 ? [x * x, 2 * x, 2] : [-x, -1, 0]
            for (actual, value) in zip(row.dropFirst(), expected) { #expect(isClose(actual, value), "at x = \(x)") }
        }
    }

    @Test func theTerminalPlotHasAxesTicksAndALegend() throws {
        let run = try runGradflow(["plot", "tanh(x)", "--over", "-7:7", "--derivatives", "4", "--size", "80x20", "--color", "never"])
        #expect(run.status == 0)
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "tanh(x) and its first 4 derivatives")
        #expect(lines.contains { $0.contains("└") && $0.contains("┬") })
        #expect(lines.contains { $0.contains("-6") && $0.contains("6") && $0.contains("0") && !$0.contains("┤") })
        #expect(run.stdout.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) })
        #expect(run.stdout.contains("━━━ f(x) = tanh(x)") && run.stdout.contains("f⁽⁴⁾(x)"))
        #expect(!run.stdout.contains("\u{1B}"))
        let coloured = try runGradflow(["plot", "tanh(x)", "--derivatives", "1", "--color", "always"])
        #expect(coloured.stdout.contains("\u{1B}[34m") && coloured.stdout.contains("\u{1B}[31m"))
        let ascii = try runGradflow(["plot", "tanh(x)", "--derivatives", "1", "--ascii"])
        #expect(ascii.stdout.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func pictures() throws {
        let directory = Scratch.root.appendingPathComponent("gradflow-plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("tanh.svg").path
        #expect(try runGradflow(["plot", "tanh(x)", "--over", "-7:7", "--derivatives", "4", "-o", svg]).status == 0)
        #expect(try String(contentsOfFile: svg, encoding: .utf8).components(separatedBy: "<polyline").count - 1 == 5)
        let pdf = directory.appendingPathComponent("tanh.pdf").path
        #expect(try runGradflow(["plot", "tanh(x)", "--derivatives", "1", "-o", pdf]).status == 0)
        let pdfBytes = try Data(contentsOf: URL(fileURLWithPath: pdf))
        #expect(pdfBytes.starts(with: Array("%PDF".utf8)))
        let bad = try runGradflow(["plot", "tanh(x)", "-o", directory.appendingPathComponent("tanh.html").path])
        #expect(bad.status != 0 && bad.stderr.contains("end it in .svg, .png or .pdf"))
    }

    @Test func mistakesAreOneLineErrors() throws {
        let twoInputs = try runGradflow(["plot", "Scenes/survey.scene"])
        #expect(twoInputs.status == 2)
        #expect(twoInputs.stderr == "gradflow: error: Scenes/survey.scene has 2 inputs (x1, x2); say which to plot against with --wrt\n")
        let unknown = try runGradflow(["plot", "tanh(y)"])
        #expect(unknown.status == 2 && unknown.stderr.contains("`y` has no value"))
        let interval = try runGradflow(["plot", "tanh(x)", "--over", "3:1"])
        #expect(interval.status != 0 && interval.stderr.contains("--over"))
    }

    @Test func theSweepFallsThenRisesAndNamesTheBestStep() throws {
        let run = try runGradflow(["check", "Scenes/survey.scene", "--sweep", "--wrt", "x1", "--format", "json"])
        #expect(run.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let steps = try #require(document["steps"] as? [Double])
        let forward = try #require(document["forwardErrors"] as? [Double])
        let central = try #require(document["centralErrors"] as? [Double])
        #expect(steps.count == 141 && isClose(steps[0], 0.1) && isClose(steps[140], 1e-15))
        // At h = 0.1, the same differences computed here from the survey's f(x1) = ln x1 + 5·x1 − sin 5.
        func f(_ x1: Double) -> Double { Foundation.log(x1) + x1 * 5 - Foundation.sin(5) }
        #expect(isClose(forward[0], Swift.abs((f(2.1) - f(2)) / 0.1 - 5.5) / 5.5, relative: 1e-6))
        #expect(isClose(central[0], Swift.abs((f(2.1) - f(1.9)) / 0.2 - 5.5) / 5.5, relative: 1e-6))
        let bestForward = try #require(document["bestForwardStep"] as? Double)
        let bestCentral = try #require(document["bestCentralStep"] as? Double)
        #expect((1e-9...1e-6).contains(bestForward))
        #expect((1e-7...1e-3).contains(bestCentral))
        // The picture a lecture draws: at the smallest steps rounding has made both worse than the best.
        #expect(forward[140] > 1e3 * forward.min()!)
        let text = try runGradflow(["check", "Scenes/survey.scene", "--sweep", "--color", "never"])
        #expect(text.stdout.contains("best h ≈") && text.stdout.contains("1e-15"))
    }

    /// A training scene is plotted at its last step, as every other command shows it: `loss`
    /// against `b` with `a` where step 50 found it. It used to put `a` back at its declared 0.
    @Test func aTrainingSceneIsPlottedAtItsLastStep() throws {
        let run = try runGradflow(["plot", "Scenes/train-line-fit.scene", "--wrt", "b", "--over", "0:2", "--samples", "3",
                                   "--derivatives", "1", "--format", "csv"])
        #expect(run.status == 0, "\(run.stderr)")
        // a = 1.9874659753487003 at step 50 (the scene's expectation, from an independent loop);
        // loss(b) = mean((a·x + b − y)²) over (0, 1), (1, 3), (2, 5), by hand.
        let a = 1.9874659753487003
        let points: [(x: Double, y: Double)] = [(0, 1), (1, 3), (2, 5)]
        for row in numbers(run.stdout) {
            let b = row[0]
            let residuals = points.map { a * $0.x + b - $0.y }
            #expect(isClose(row[1], residuals.map { $0 * $0 }.reduce(0, +) / 3, relative: 1e-9), "loss at b = \(b)")
            #expect(isClose(row[2], residuals.map { 2 * $0 }.reduce(0, +) / 3, relative: 1e-9, absolute: 1e-12), "∂loss/∂b at b = \(b)")
        }
        #expect(numbers(run.stdout).map { $0[0] } == [0, 1, 2])
    }

    /// A training scene is swept at its last step's inputs, as `check` checks it: moving one
    /// input used to put the others back at their declared values, so the differences were of
    /// another function (errors of 0.1 to 0.7 at every h, "best h ≈ 1e-15").
    @Test func aTrainingSceneIsSweptAtItsLastStep() throws {
        // Plain gradient descent on a·x + b through (0, 1), (1, 3), (2, 5): the last step's
        // gradient is the AD value, and central differences of the last step's loss agree with it.
        let run = try runGradflow(["check", "Scenes/train-line-fit.scene", "--sweep", "--wrt", "b", "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        // The scene's own expectation, from an independent loop: b = 1.0173900302659769 and
        // ∂loss/∂b = 0.009712011229354278 at step 50.
        #expect(isClose(try #require(document["at"] as? Double), 1.0173900302659769, relative: 1e-9))
        #expect(isClose(try #require(document["automatic"] as? Double), 0.009712011229354278, relative: 1e-7))
        let central = try #require(document["centralErrors"] as? [Double])
        let steps = try #require(document["steps"] as? [Double])
        // The loss is a quadratic in b: central differences are exact but for rounding, at every h
        // from 1e-1 down to 1e-7.
        for (h, error) in zip(steps, central) where h >= 1e-7 {
            #expect(error < 1e-7, "central difference at h = \(h): error \(error)")
        }
        let best = try #require(document["bestCentralStep"] as? Double)
        #expect(best > 1e-10, "best central h \(best)")
    }
}
