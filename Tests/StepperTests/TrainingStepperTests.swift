import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// A training scene in the stepper: the strip with the loss curve, and the keys that move to
/// another step's graph.
@Suite struct TrainingStepperTests {
    /// loss = (2w − 3)² from w = 0 with lr 0.1: w is 0, 1.2, 1.44 at steps 1, 2, 3 (by hand).
    static let scene: Scene? = try? Scene.parse(
        source: "input w = 0\ntrain 3 steps, lr 0.1 {\n  loss = (w * 2 - 3)^2\n  minimize loss\n}", fileName: "linear.scene")

    @Test func theSessionStartsOnTheLastStepAndMovesByKeys() throws {
        let scene = try #require(Self.scene)
        var session = try #require(TrainingSession(scene: scene))
        #expect(session.step == 3)
        #expect(session.step(movedBy: -1) == 2)
        #expect(session.step(movedBy: 1) == 3)  // already the last
        #expect(session.step(movedBy: -10) == 1)
        let graph = try session.move(to: 2)
        #expect(session.step == 2)
        #expect(isClose(graph.values[scene.inputs[0].node], 1.2))
        #expect(TrainingSession(scene: try Scene.parse(source: "input x = 1\noutput x", fileName: "plain.scene")) == nil)
    }

    @Test func theStripSaysWhichStepAndDrawsTheCurve() throws {
        let scene = try #require(Self.scene)
        let session = try #require(TrainingSession(scene: scene))
        let strip = TrainingStrip(session: session)
        #expect(strip.paneRows(40) == 40 - TrainingSession.stripRows)
        #expect(strip.paneRows(20) == 20)  // too low a screen: no strip
        // The smallest screen the stepper accepts keeps all its rows for the panes: a strip
        // there left 15 rows and the stepper refused a training scene at 80×24.
        #expect(strip.paneRows(24) == 24)
        #expect(strip.paneRows(32) == 32)
        #expect(strip.paneRows(33) == 24)
        var panes = CellGrid(columns: 80, rows: 31)
        _ = panes.write("top of the panes", column: 0, row: 0, role: .text)
        let screen = strip.composed(panes, screenRows: 40)
        #expect(screen.rows == 40)
        #expect(screen.line(0).hasPrefix("top of the panes"))
        #expect(screen.line(31).contains("training step 3 of 3 · loss 0.0144 · < > step"))
        #expect((32..<40).contains { screen.line($0).unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) } })
        #expect(screen.text.contains("step 3"))
    }
}

/// The same under tmux, through the binary.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable && FileManager.default.isExecutableFile(atPath: gradflowBinary.path)))
struct TrainingStepperEndToEndTests {
    @Test func theKeysMoveBetweenStepsGraphs() throws {
        let session = try TmuxSession(".build/debug/gradflow step Scenes/train-xor.scene", columns: 110, rows: 40)
        var screen = try session.waitFor(text: "training step 300 of 300 · loss 0.0003919")
        #expect(screen.contains("output loss"))
        try session.send("<")
        screen = try session.waitFor(text: "training step 299 of 300")
        try session.send("{", "{")
        screen = try session.waitFor(text: "training step 279 of 300")
        // The walk goes on as for any scene: the end of the backward pass of step 279's graph.
        try session.send("G")
        screen = try session.waitFor(text: "DONE")
        #expect(screen.contains("training step 279 of 300"))
        try session.send("q")
    }

    @Test func aTrainingSceneIsSteppedAt80By24() throws {
        let session = try TmuxSession(".build/debug/gradflow step Scenes/train-xor.scene", columns: 80, rows: 24)
        let screen = try session.waitFor(text: "output loss")
        #expect(!screen.contains("needs a terminal of at least"))
        try session.send("q")
    }
}
