import Foundation
import Testing
import TestSupport

/// A loop of ten iterations, in the built binary under tmux: folded when the stepper opens, the
/// iteration of the step drawn open between the boxes of the others, `f` unfolding and folding
/// again; `--no-collapse` opens with every node drawn.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct FoldEndToEndTests {
    @Test func aLongLoopOpensFoldedFollowsTheStepAndUnfolds() throws {
        let session = try TmuxSession(".build/debug/gradflow step Scenes/rnn-ten-steps.scene --step 7", columns: 120, rows: 40)
        defer { session.end() }
        // Step 7 evaluates node 6, in the first iteration (w, u, b, h are nodes 0–3; then five
        // nodes an iteration): it is open, the nine others are one box.
        var screen = try session.waitFor(text: "step 7 of 139")
        #expect(screen.contains("▸ for i 2–10"), "\(screen)")
        #expect(screen.contains("f unfolds"), "the first screen says how to unfold")
        // Five steps on, the second iteration is open, between the first and the eight after.
        try session.send("l", "l", "l", "l", "l")
        screen = try session.waitFor(text: "step 12 of 139")
        #expect(screen.contains("▸ for i = 1") && screen.contains("▸ for i 3–10"), "\(screen)")
        try session.send("f")
        screen = try session.waitFor("the loop unfolded") { !$0.contains("▸ for i") }
        #expect(screen.contains("step 12 of 139"))
        try session.send("f")
        screen = try session.waitFor(text: "for i ×10 · 10 iterations of the same shape in one box")
        #expect(screen.contains("▸ for i 3–10"))
        try session.send("q")
    }

    @Test func noCollapseOpensWithEveryNodeDrawn() throws {
        let session = try TmuxSession(".build/debug/gradflow step Scenes/rnn-ten-steps.scene --step 7 --no-collapse",
                                      columns: 120, rows: 40)
        defer { session.end() }
        let screen = try session.waitFor(text: "step 7 of 139")
        #expect(!screen.contains("▸ for i"), "\(screen)")
        try session.send("q")
    }
}
