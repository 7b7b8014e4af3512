import Foundation
import Testing
import TestSupport

/// `gradflow step --wrt INPUT` under tmux: naming an input to carry tangents from is asking for
/// forward mode.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct StepWrtTests {
    @Test("--wrt without --mode opens in forward mode, seeded at that input")
    func wrtImpliesForwardMode() throws {
        let session = try TmuxSession("sh -c '.build/debug/gradflow step Scenes/survey.scene --wrt x2; sleep 60'", columns: 100, rows: 30)
        // Forward mode walks the 7 nodes with their tangents; reverse mode would be 16 steps.
        let screen = try session.waitFor(text: "forward mode, seed x2")
        #expect(screen.contains("step 0 of 7"), "\(screen)")
        try session.send("End")
        let end = try session.waitFor(text: "step 7 of 7")
        // ∂f/∂x2 = x1 − cos(x2) = 2 − cos 5 = 1.716 (Baydin et al. 2018).
        #expect(end.contains("1.716"), "\(end)")
        try session.send("q")
    }

    @Test("--wrt with --mode reverse is refused as in export")
    func wrtWithReverseModeIsRefused() throws {
        let run = try runGradflow(["step", "Scenes/survey.scene", "--wrt", "x1", "--mode", "reverse"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--wrt carries tangents forward; it needs --mode forward"))
    }
}
