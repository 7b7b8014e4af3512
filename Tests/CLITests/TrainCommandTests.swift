import Foundation
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `gradflow train` end to end: the table, the plot, CSV, JSON, pictures of the loss curve, and
/// memory that stays flat however many steps run.
@Suite struct TrainCommandTests {
    static let linear = "input w = 0\ntrain 3 steps, lr 0.1 {\n  loss = (w * 2 - 3)^2\n  minimize loss\n}\n"

    @Test func textShowsTheLossOfEveryStepTheInputsAndAPlot() throws {
        let run = try runGradflow(["train", try temporaryScene(Self.linear), "--color", "never"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("3 steps of gradient descent on `loss`, lr 0.1; loss 9 → 0.0144"))
        // loss = (2w − 3)² at w = 0, 1.2, 1.44 (worked out by hand).
        let rows = run.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["1", "9"]) && rows.contains(["2", "0.36"]) && rows.contains(["3", "0.0144"]))
        #expect(rows.contains(["w", "0", "1.488", "-0.48"]))
        #expect(run.stdout.contains("━━━ loss") || run.stdout.contains("*** loss"))
    }

    @Test func csvHasEveryStepWithItsInputs() throws {
        let run = try runGradflow(["train", try temporaryScene(Self.linear), "--format", "csv"])
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("step,loss,w\n1,9,0\n"))
        #expect(run.stdout.split(separator: "\n").count == 4)
        let rows = run.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
        for (row, expected) in zip(rows, [(9.0, 0.0), (0.36, 1.2), (0.0144, 1.44)]) {
            #expect(isClose(row[1], expected.0, relative: 1e-12) && isClose(row[2], expected.1, relative: 1e-12))
        }
    }

    @Test func jsonHasTheLossesAndTheFinalInputs() throws {
        let run = try runGradflow(["train", try temporaryScene(Self.linear), "--format", "json"])
        #expect(run.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["steps"] as? Int == 3)
        let losses = try #require(document["losses"] as? [Double])
        #expect(losses.count == 3 && isClose(losses[2], 0.0144))
        let final = try #require(document["finalInputs"] as? [String: Double])
        #expect(isClose(final["w"] ?? .nan, 1.488))
    }

    @Test("a loss that overflows is warned about once, at the first step it is not finite")
    func aDivergingLossIsWarnedAboutOnce() throws {
        // loss = w⁴, w ← w − 4w³: w = 1, −3, 105, −4.63e6, 3.97e20, 2.5e62, 6.25e187; the loss of
        // step 7 is (6.25e187)⁴, beyond the largest double (worked out by hand).
        let scene = try temporaryScene("input w = 1\ntrain 9 steps, lr 1 {\n  loss = w^4\n  minimize loss\n}\n")
        for format in ["text", "csv", "json"] {
            let run = try runGradflow(["train", scene, "--format", format, "--color", "never"])
            #expect(run.status == 0)
            #expect(run.stderr == "\(scene): warning: `loss` is Infinity at step 7 of 9, the first step whose loss is not finite; "
                + "a smaller learning rate may keep it finite\n", "\(format)")
        }
        #expect(try runGradflow(["train", try temporaryScene(Self.linear)]).stderr.isEmpty)
    }

    /// Σ w²/2 from w = [1, −2] with lr 0.5 halves w at every step (worked out by hand).
    static let vector = "input w = [1, -2]\ntrain 3 steps, lr 0.5 {\n  loss = sum(w^2) / 2\n  minimize loss\n}\n"

    @Test func aTensorInputIsShownElementByElementAndNestedInJSON() throws {
        let scene = try temporaryScene(Self.vector)
        let text = try runGradflow(["train", scene, "--no-plot"])
        #expect(text.status == 0 && text.stderr.isEmpty)
        let rows = text.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["w[0]", "1", "0.125", "0.25"]) && rows.contains(["w[1]", "-2", "-0.25", "-0.5"]), "\(text.stdout)")
        #expect(rows.contains(["3", "0.15625"]))
        let csv = try runGradflow(["train", scene, "--format", "csv"])
        #expect(csv.stdout == "step,loss,w[0],w[1]\n1,2.5,1,-2\n2,0.625,0.5,-1\n3,0.15625,0.25,-0.5\n")
        let json = try runGradflow(["train", scene, "--format", "json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["finalInputs"] as? [String: Any])?["w"] as? [Double] == [0.125, -0.25])
        #expect((document["lastGradient"] as? [String: Any])?["w"] as? [Double] == [0.25, -0.5])
    }

    @Test func aLargeTensorInputShowsItsFirstElementsInText() throws {
        // 4 × 4 weights, each moved by lr · 1 = 0.125 per step: the table shows 12 of the 16, the CSV all
        // (a header with commas is quoted).
        let scene = try temporaryScene("input W = zeros(4, 4)\ntrain 2 steps, lr 0.125 {\n  loss = sum(W) + 10\n  minimize loss\n}\n")
        let text = try runGradflow(["train", scene, "--no-plot"])
        #expect(text.status == 0)
        #expect(text.stdout.contains("W[2, 3]") && !text.stdout.contains("W[3, 0]"))
        #expect(text.stdout.contains("W: the first 12 of its 16 elements shown; --format csv or json has them all"))
        let csv = try runGradflow(["train", scene, "--format", "csv"])
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("step,loss,\"W[0, 0]\",\"W[0, 1]\"") == true && lines.first?.hasSuffix(",\"W[3, 3]\"") == true)
        #expect(lines.count == 3 && lines[2].hasPrefix("2,8,-0.125,"))
    }

    @Test func aSceneWithoutTrainingIsAOneLineError() throws {
        let run = try runGradflow(["train", "Scenes/survey.scene"])
        #expect(run.status == 2)
        #expect(run.stderr.hasPrefix("gradflow: error: Scenes/survey.scene has no `train` block"))
        #expect(run.stdout.isEmpty)
    }

    /// The plot under the report is titled by what it shows; the scene's title heads the report
    /// already. A long scene title used to fill the plot's first line and be cut (`…: loss pe`).
    @Test func theTerminalPlotIsTitledLossPerStep() throws {
        let run = try runGradflow(["train", "Scenes/polynomial-fit-momentum.scene", "--size", "80x20", "--color", "never"])
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "Fitting a cubic to sin x on five points, gradient descent with momentum")
        #expect(lines.contains("loss per step"), "\(run.stdout)")
        #expect(!run.stdout.contains("loss pe\n"))
    }

    @Test func theLossCurveAsSVGAndPNG() throws {
        let directory = Scratch.root.appendingPathComponent("gradflow-curve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let svg = directory.appendingPathComponent("loss.svg").path, png = directory.appendingPathComponent("loss.png").path
        #expect(try runGradflow(["train", "Scenes/train-xor.scene", "--format", "csv", "-o", svg]).status == 0)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        #expect(text.contains("<polyline") && text.contains("Training a 2-3-1 network on XOR: loss per step"))
        #expect(try runGradflow(["train", "Scenes/train-xor.scene", "--format", "csv", "-o", png]).status == 0)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)))
        #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        // 720 × 450 points at 144 dpi: 1440 × 900 pixels (the width and height in the IHDR chunk).
        let width = bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }, height = bytes[20..<24].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1440 && height == 900)
    }

    /// A 2-8-1 network on eight points: about 500 nodes a step. Keeping every step's graph would
    /// hold half a million nodes after 1,000 steps (tens of megabytes); the peak memory of
    /// 1,000 steps must stay within a few megabytes of 10 steps'.
    @Test func memoryDoesNotGrowWithTheNumberOfSteps() throws {
        func scene(steps: Int) -> String {
            var text = ""
            var seed = 1
            for unit in 1...8 {
                text += "input a\(unit) = 0.5 * randn(\(seed)), b\(unit) = 0.5 * randn(\(seed + 1)), c\(unit) = 0.5 * randn(\(seed + 2)), v\(unit) = 0.5 * randn(\(seed + 3))\n"
                seed += 4
            }
            text += "input d = 0\nfn net(x1, x2) {\n"
            text += "  return sigmoid(" + (1...8).map { "v\($0) * tanh(a\($0) * x1 + b\($0) * x2 + c\($0))" }.joined(separator: " + ") + " + d)\n}\n"
            text += "train \(steps) steps, lr 0.3 {\n"
            let points = [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0), (0.5, 0.2, 1), (0.2, 0.8, 0), (0.9, 0.4, 1), (0.3, 0.3, 0)]
            text += "  loss = mean(" + points.map { "(net(\($0.0), \($0.1)) - \($0.2))^2" }.joined(separator: ", ") + ")\n"
            text += "  minimize loss\n}\n"
            return text
        }
        let short = try peakMemory(["train", try temporaryScene(scene(steps: 10)), "--format", "csv"])
        let long = try peakMemory(["train", try temporaryScene(scene(steps: 1000)), "--format", "csv"])
        #expect(short.status == 0 && long.status == 0)
        #expect(long.kilobytes - short.kilobytes < 8 * 1024, "10 steps: \(short.kilobytes) KiB, 1,000 steps: \(long.kilobytes) KiB")
    }

    /// Runs the binary with its output discarded and returns its status and peak resident memory
    /// (`wait4`'s own account of that one child).
    private func peakMemory(_ arguments: [String]) throws -> (status: Int32, kilobytes: Int) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let path = gradflowBinary.path
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, path, &actions, nil, &argv, environ)
        try #require(spawned == 0)
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        return ((status >> 8) & 0xFF, usage.ru_maxrss)
    }

    @Test func exportDrawsAnyStepsGraphAndTheLossCurve() throws {
        let directory = Scratch.root.appendingPathComponent("gradflow-train-export-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let dot = directory.appendingPathComponent("step.dot").path
        // Step 2 of the hand-worked run: w = 1.2, loss = (2.4 − 3)² = 0.36, gradient −2.4.
        #expect(try runGradflow(["export", try temporaryScene(Self.linear), "--train-step", "2", "-o", dot]).status == 0)
        let text = try String(contentsOfFile: dot, encoding: .utf8)
        #expect(text.contains("train step 2/3") && text.contains("1.2") && text.contains("0.36") && text.contains("-2.4"))
        let curve = directory.appendingPathComponent("curve.svg").path
        #expect(try runGradflow(["export", "Scenes/train-xor.scene", "--loss-curve", "-o", curve]).status == 0)
        #expect(try String(contentsOfFile: curve, encoding: .utf8).contains("<polyline"))
        let beyond = try runGradflow(["export", "Scenes/train-xor.scene", "--train-step", "301", "-o", dot])
        #expect(beyond.status == 2 && beyond.stderr == "gradflow: error: --train-step: Scenes/train-xor.scene trains for 300 steps; choose 1 to 300\n")
    }
}
