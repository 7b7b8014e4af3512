import Foundation
import Testing
import TestSupport

/// `gradflow step` on a tensor scene, in a real terminal: one line saying it does not show
/// tensors yet and a nonzero status, before any screen is drawn.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct TensorStepRefusalTests {
    @Test func stepRefusesATensorScene() throws {
        let session = try TmuxSession("sh -c '.build/debug/gradflow step Scenes/tensors/two-by-two.scene; echo \"status $?\"; sleep 60'",
                                      columns: 200, rows: 20)
        let screen = try session.waitFor(text: "status ")
        #expect(screen.contains("gradflow: error: Scenes/tensors/two-by-two.scene: `gradflow step` does not show tensor scenes yet"), "\(screen)")
        #expect(screen.contains("status 2"), "\(screen)")
    }
}
