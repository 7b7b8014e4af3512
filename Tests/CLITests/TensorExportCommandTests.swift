import Foundation
import Testing
import TestSupport

/// `gradflow export` on tensor scenes, as a user runs it.
@Suite struct TensorExportCommandTests {
    static let scene = "Scenes/tensors/two-by-two.scene"

    /// A fresh directory for one test's files.
    static func directory() throws -> String {
        let path = Scratch.root.appendingPathComponent("gradflow-tensor-export-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aPictureOfTheTutorial() throws {
        let out = try Self.directory() + "/tutorial.svg"
        let run = try runGradflow(["export", Self.scene, "-o", out])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.contains(">[2, 2]<"))
        #expect(svg.contains(">4.5<"))
        // Top to bottom by default for tensors, left to right when asked.
        #expect(try runGradflow(["export", Self.scene, "-o", "-", "--format", "dot"]).stdout.contains("rankdir=TB;"))
        #expect(try runGradflow(["export", Self.scene, "-o", "-", "--format", "dot", "--rankdir", "LR"]).stdout.contains("rankdir=LR;"))
    }

    /// One frame per step: the tutorial's 5 nodes (x, y, y·y, ·3, mean), the seed, and 5
    /// contributions (mean → z, z → t1, t1 → y twice, y → x) make 11.
    @Test func framesForEveryStep() throws {
        let directory = try Self.directory()
        let run = try runGradflow(["export", Self.scene, "--frames", directory, "--format", "dot"])
        #expect(run.status == 0, "\(run.stderr)")
        let frames = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("frame-") }
        #expect(frames.count == 11, "\(frames.sorted())")
        let last = try String(contentsOfFile: directory + "/frame-0011.dot", encoding: .utf8)
        #expect(last.contains("step 11 of 11 · backward: x̄ += ȳ"), "the last step passes ȳ to x")
    }

    @Test func theDeckOpensAtATensorStep() throws {
        let out = try Self.directory() + "/walk.html"
        let run = try runGradflow(["export", Self.scene, "-o", out])
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOfFile: out, encoding: .utf8)
        #expect(page.components(separatedBy: "<section class=\"frame\"").count - 1 == 12)
    }

    @Test func forwardModeDrawsEveryNodesTangentForOneElement() throws {
        // --wrt x[1, 0] seeds that element: ẏ = ẋ, ṫ1 = 2 y ⊙ ẏ = 6 there, ż = 3 ṫ1 = 18, and
        // ȯut = 18 / 4 = 4.5, ∂out/∂x[1, 0] (as trace --wrt gives it; was refused).
        let out = try Self.directory() + "/forward.dot"
        let run = try runGradflow(["export", Self.scene, "--wrt", "x[1, 0]", "-o", out])
        #expect(run.status == 0 && run.stderr.isEmpty, "\(run.stderr)")
        let dot = try String(contentsOfFile: out, encoding: .utf8)
        #expect(dot.contains("∂/∂x[1, 0] = tangent ∂node/∂x[1, 0], forward mode"))
        #expect(dot.contains(">∂/∂x[1, 0]<"))
        for expected in [">6<", ">18<", ">4.5<"] { #expect(dot.contains(expected), "\(expected)") }
        let frames = try Self.directory() + "/frames"
        let walk = try runGradflow(["export", Self.scene, "--wrt", "x[1, 0]", "--frames", frames, "--format", "svg"])
        #expect(walk.status == 0, "\(walk.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: frames).count == 5, "steps 1 to 5: one per node, the forward pass only")
    }
}
