import Foundation
import Testing
import TestSupport

/// `gradflow step` on a graph file, under tmux: the same walk as the scene it was exported from.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct GraphFileStepTests {
    @Test func stepsThroughTheSurveysGraphFileToTheSameGradient() throws {
        // Fuzz/seeds/graph-survey.json is `gradflow export Scenes/survey.scene -o …`.
        let session = try TmuxSession("sh -c '.build/debug/gradflow step Fuzz/seeds/graph-survey.json --phase backward; sleep 60'",
                                      columns: 100, rows: 30)
        var screen = try session.waitFor(text: "step 8 of 16")
        #expect(screen.contains("graph-survey.json"))
        #expect(screen.contains("Baydin et al. (2018)"))
        try session.send("End")
        screen = try session.waitFor(text: "step 16 of 16")
        // Baydin et al. (2018), table 3: ∂f/∂x1 = 5.5, ∂f/∂x2 = 1.716.
        #expect(screen.contains("∂f/∂x1 = 5.5, ∂f/∂x2 = 1.716"))
        try session.send("q")
    }
}
