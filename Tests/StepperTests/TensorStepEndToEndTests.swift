import Foundation
import Testing
import TestSupport

/// `gradflow step` on a tensor scene in a real terminal, as a lecturer walks it: the tensor
/// boxes, a backward step's rule, the step opened into its elements and closed again, then
/// quitting; and forward mode, which does not walk tensors yet, refused with one line.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct TensorStepEndToEndTests {
    @Test func walksThePytorchTutorialOpensAStepAndQuits() throws {
        let session = try TmuxSession("sh -c '.build/debug/gradflow step Scenes/tensors/two-by-two.scene --phase backward; "
            + "echo \"gradflow exited $?\"; sleep 60'", columns: 120, rows: 40)
        defer { session.end() }
        var screen = try session.waitFor(text: "SEED")
        // The seed, then out → z, z → t, and t → y: y receives t̄ ⊙ y = 0.75 · 3 = 2.25 everywhere.
        try session.send("l", "l", "l")
        screen = try session.waitFor(text: "ȳ = [[2.25, 2.25],")
        #expect(screen.contains("e opens it into its 4 scalar contributions"), "\(screen)")
        try session.send("e")
        screen = try session.waitFor(text: "element 1 of 4")
        #expect(screen.contains("= 0.75 · 3 = 2.25   (ȳ[0, 0]: 0 → 2.25)"), "\(screen)")
        try session.send("Right")
        screen = try session.waitFor(text: "element 2 of 4")
        #expect(screen.contains("(ȳ[0, 1]: 0 → 2.25)"), "\(screen)")
        try session.send("e")
        screen = try session.waitFor("the walk closed") { !$0.contains("element 2 of 4") && $0.contains("adds [[2.25, 2.25],") }
        try session.send("G")
        screen = try session.waitFor(text: "DONE")
        #expect(screen.contains("∂out/∂x = [[4.5, 4.5], [4.5,"), "\(screen)")
        try session.send("q")
        screen = try session.waitFor(text: "gradflow exited")
        #expect(screen.contains("gradflow exited 0"), "\(screen)")
    }

    /// `--wrt x[0, 1]` walks the tensor scene in forward mode (it was refused): the status line
    /// names the seeded element, and at the end the tangent of `out` is the scene's hand-worked
    /// ∂out/∂x[0, 1] = 6 · (1 + 2) / 4 = 4.5.
    @Test func forwardModeOnATensorSceneShowsTheTangents() throws {
        let session = try TmuxSession(".build/debug/gradflow step Scenes/tensors/two-by-two.scene --wrt 'x[0, 1]'",
                                      columns: 120, rows: 40)
        defer { session.end() }
        var screen = try session.waitFor(text: "forward mode, seed x[0, 1]")
        try session.send("G")
        screen = try session.waitFor(text: "DONE")
        #expect(screen.contains("derivatives by x[0, 1]: ∂out/∂x[0, 1] = 4.5"), "\(screen)")
        try session.send("q")
    }
}
