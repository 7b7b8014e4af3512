import Foundation
import Testing
import TestSupport

/// `f` on a loop, in the built binary under tmux: the ten iterations of the RNN fold into one
/// box that follows the step, and `f` unfolds them.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct FoldEndToEndTests {
    @Test func foldsTheLoopIntoOneBoxFollowsTheStepAndUnfolds() throws {
        let session = try TmuxSession(".build/debug/gradflow step Scenes/rnn-ten-steps.scene --step 7", columns: 120, rows: 40)
        defer { session.end() }
        try session.waitFor(text: "step 7 of 139")
        // Step 7 evaluates node 6, in the first iteration (w, u, b, h are nodes 0–3; then five
        // nodes an iteration).
        try session.send("f")
        var screen = try session.waitFor(text: "for i ×10 · 10 iterations of the same shape in one box; f unfolds")
        #expect(screen.contains("▸ for i 1/10"))
        #expect(!screen.contains("[t1 "), "the iteration's nodes are inside the box")
        // Five steps on, the second iteration is under way.
        try session.send("l", "l", "l", "l", "l")
        screen = try session.waitFor(text: "step 12 of 139")
        #expect(screen.contains("▸ for i 2/10"))
        try session.send("f")
        screen = try session.waitFor("the loop unfolded") { !$0.contains("▸ for i") }
        #expect(screen.contains("step 12 of 139"))
        try session.send("q")
    }
}
