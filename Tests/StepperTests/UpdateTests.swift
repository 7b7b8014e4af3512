import Foundation
import GradFlow
import Testing
import TestSupport
@testable import Stepper

/// `update` is pure: each test sends messages and checks what a user would see change.
@Suite struct UpdateTests {
    /// Sends messages in order.
    func send(_ model: StepperModel, _ messages: Message...) -> StepperModel {
        messages.reduce(model, update)
    }

    /// x1's adjoint as the stepper shows it at the model's step.
    func adjointOfX1(_ model: StepperModel) -> Double? {
        model.timeline.derivative(of: 0, at: model.step)
    }

    @Test func stepsRunFromNothingToTheEndAndStopThere() throws {
        let model = try Fixtures.model(Fixtures.survey)
        #expect(model.step == 0)
        #expect(model.timeline.count == 16)  // 7 nodes, the seed, 8 contributions
        #expect(send(model, .back).step == 0)
        #expect(send(model, .next, .next).step == 2)
        #expect(send(model, .last).step == 16)
        #expect(send(model, .last, .next).step == 16)
        #expect(send(model, .last, .first).step == 0)
    }

    @Test func x1ReceivesFiveThenFiveAndAHalf() throws {
        // Baydin et al. (2018), table 3: x̄1 = x̄1 + v̄2 · x2 = 5, then x̄1 + v̄1 / x1 = 5.5.
        var model = try Fixtures.model(Fixtures.survey)
        var seen: [Double] = []
        while !model.isAtEnd {
            model = update(model, .next)
            if let adjoint = adjointOfX1(model), adjoint != seen.last { seen.append(adjoint) }
        }
        #expect(seen.count == 2)
        #expect(isClose(seen[0], 5))
        #expect(isClose(seen[1], 5.5))
    }

    @Test func steppingBackRestoresExactlyWhatWasShown() throws {
        let view = StepperView.withLayeredLayout()
        var model = try Fixtures.model(Fixtures.survey)
        for _ in 0..<model.timeline.count {
            let before = view.render(model).grid
            let there = update(model, .next)
            let back = update(there, .back)
            #expect(view.render(back).grid == before, "step \(model.step)")
            model = there
        }
    }

    @Test func phaseKeysJumpBetweenTheStartsOfPhases() throws {
        let model = try Fixtures.model(Fixtures.survey)
        // start, forward (1), seed (8), backward (9), end (16).
        #expect(send(model, .nextPhase).step == 1)
        #expect(send(model, .nextPhase, .nextPhase).step == 8)
        #expect(send(model, .nextPhase, .nextPhase, .nextPhase).step == 9)
        #expect(send(model, .nextPhase, .nextPhase, .nextPhase, .nextPhase).step == 16)
        #expect(send(model, .last, .previousPhase).step == 9)
        #expect(send(model, .goTo(step: 5), .previousPhase).step == 1)
        #expect(send(model, .goTo(step: 5), .previousPhase, .previousPhase).step == 0)
    }

    @Test func playingTicksForwardAndStopsAtTheEnd() throws {
        var model = send(try Fixtures.model(Fixtures.survey), .togglePlay)
        #expect(model.isPlaying)
        model = send(model, .tick, .tick)
        #expect(model.step == 2)
        for _ in 0..<40 { model = update(model, .tick) }
        #expect(model.step == 16)
        #expect(!model.isPlaying)
        // Play at the end starts again from the beginning.
        model = send(model, .togglePlay)
        #expect(model.step == 0 && model.isPlaying)
        // A step by hand pauses.
        #expect(!send(model, .next).isPlaying)
        // Ticks do nothing when paused.
        #expect(send(model, .togglePlay, .tick).step == 0)
    }

    @Test func speedStaysWithinItsList() throws {
        var model = try Fixtures.model(Fixtures.survey)
        let start = model.speed
        model = send(model, .faster)
        #expect(model.speed > start)
        for _ in 0..<20 { model = update(model, .faster) }
        #expect(model.speed == StepperModel.speeds.last)
        for _ in 0..<20 { model = update(model, .slower) }
        #expect(model.speed == StepperModel.speeds.first)
    }

    @Test func forwardModeFollowsTangentsOfTheChosenInput() throws {
        // Baydin et al. (2018), table 2: with ẋ1 = 1, ẋ2 = 0, ḟ = 5.5; with ẋ2 = 1, ḟ = x1 − cos(x2).
        var model = send(try Fixtures.model(Fixtures.survey), .goTo(step: 12), .toggleMode)
        #expect(model.differentiation == .forward)
        #expect(model.step == 7)  // clamped to the forward pass, all the timeline has now
        #expect(isClose(model.timeline.derivative(of: 6, at: model.step)!, 5.5))
        model = send(model, .chooseInput, .pan(.down), .confirm)
        #expect(model.seededInput == 1)
        #expect(isClose(model.timeline.derivatives[6], 2 - cos(5.0)))
        #expect(send(model, .toggleMode).differentiation == .reverse)
    }

    @Test func choosingAnotherOutputDifferentiatesIt() throws {
        var model = try Fixtures.model(Fixtures.twoOutputs)
        #expect(model.output.name == "z")
        #expect(isClose(model.timeline.derivatives[0], 2 + cos(1.0)))
        model = send(model, .chooseOutput)
        #expect(model.overlay == .chooser(Chooser(purpose: .output, entries: ["z", "v"], selected: 0)))
        model = send(model, .pan(.down), .confirm)
        #expect(model.overlay == nil)
        #expect(model.output.name == "v")
        #expect(isClose(model.timeline.derivatives[0], 4 - sin(1.0)))
        // Esc closes the chooser without changing anything.
        #expect(send(model, .chooseOutput, .pan(.up), .cancel).output.name == "v")
    }

    @Test func findInspectsTheNodeNamedOrSaysThereIsNone() throws {
        let model = try Fixtures.model(Fixtures.survey)
        let found = send(model, .find, .type("v"), .type("2"), .confirm)
        #expect(found.inspected == 3)
        #expect(found.overlay == nil)
        #expect(send(found, .next).inspected == nil)  // a step returns to the current step
        let typo = send(model, .find, .type("q"), .type("x"), .deleteBackward, .confirm)
        #expect(typo.inspected == nil)
        #expect(typo.message == "no node is named like 'q'")
        #expect(send(typo, .next).message == nil)
        #expect(send(model, .find, .type("x"), .cancel).inspected == nil)
    }

    @Test func foldingFoldsTheGroupOfTheCurrentNodeAndUnfoldsIt() throws {
        let model = try Fixtures.model(Fixtures.chain(iterations: 3))
        #expect(send(model, .toggleFold).message != nil)  // nothing current at step 0
        let inside = send(model, .goTo(step: 4))  // node 3, in the first loop body
        let folded = send(inside, .toggleFold)
        #expect(folded.folded == [0])
        #expect(send(folded, .toggleFold).folded.isEmpty)
        let onInput = send(model, .goTo(step: 1), .toggleFold)
        #expect(onInput.folded.isEmpty)
        #expect(onInput.message?.contains("in no group") == true)
    }

    @Test func panningMovesTheFocusedPaneOnly() throws {
        let model = try Fixtures.model(Fixtures.survey)
        // With no pane focused, ← and → step.
        #expect(send(model, .pan(.right), .pan(.right), .pan(.left)).step == 1)
        let graph = send(model, .focusNext)
        #expect(graph.focus == .graph)
        let panned = send(graph, .pan(.right), .pan(.down))
        #expect(panned.camera.columnOffset == StepperModel.panColumns)
        #expect(panned.camera.rowOffset == StepperModel.panRows)
        #expect(panned.step == 0)
        #expect(send(panned, .fit).camera == Camera())
        let trace = send(graph, .focusNext, .pan(.down))
        #expect(trace.focus == .trace)
        #expect(trace.traceTop != nil)
        #expect(send(trace, .next).traceTop == nil)  // the current row comes back into view
        #expect(send(model, .focusPrevious).focus == .trace)
    }

    @Test func digitsCycleThroughMorePrecision() throws {
        var model = try Fixtures.model(Fixtures.survey)
        var seen: [NumberFormat] = [model.precision]
        for _ in 0..<4 {
            model = update(model, .moreDigits)
            seen.append(model.precision)
        }
        #expect(seen == [.significant(4), .significant(6), .significant(10), .shortest, .significant(4)])
    }

    @Test func helpClosesOnAnyKeyAndQuitQuits() throws {
        let model = try Fixtures.model(Fixtures.survey)
        let help = send(model, .showHelp)
        #expect(help.overlay == .help)
        let closed = send(help, .next)
        #expect(closed.overlay == nil)
        #expect(closed.step == 0)  // the key only closed the help
        #expect(send(help, .quit).shouldQuit)
        #expect(send(model, .resize(columns: 120, rows: 40)).columns == 120)
    }

    @Test func startOptionsChooseTheStep() throws {
        let graph = Fixtures.survey
        func start(_ options: StepperOptions) throws -> Int { try Fixtures.model(graph, options: options).step }
        #expect(try start(StepperOptions(step: 14)) == 14)
        #expect(try start(StepperOptions(phase: .forward)) == 1)
        #expect(try start(StepperOptions(step: 3, phase: .forward)) == 3)
        #expect(try start(StepperOptions(phase: .seed)) == 8)
        // As the exporter counts: the backward phase's first step is the seed.
        #expect(try start(StepperOptions(phase: .backward)) == 8)
        #expect(try start(StepperOptions(step: 7, phase: .backward)) == 14)
        #expect(try start(StepperOptions(phase: .end)) == 16)
        #expect(throws: WalkError.self) { try start(StepperOptions(step: 17)) }
        #expect(throws: WalkError.self) { try start(StepperOptions(step: 8, phase: .forward)) }
        #expect(throws: WalkError.self) { try start(StepperOptions(phase: .backward, mode: .forward)) }
    }

    @Test func startOptionsNameOutputsAndInputsThatExist() throws {
        #expect(try Fixtures.model(Fixtures.twoOutputs, options: StepperOptions(output: "v")).output.name == "v")
        #expect(try Fixtures.model(Fixtures.survey, options: StepperOptions(mode: .forward, wrt: "x2")).seededInput == 1)
        let error = #expect(throws: WalkError.self) {
            try Fixtures.model(Fixtures.survey, options: StepperOptions(output: "g"))
        }
        #expect(error?.message == "--output: `g` is not an output of the graph; its outputs are f")
        #expect(throws: WalkError.self) {
            try Fixtures.model(Fixtures.survey, options: StepperOptions(wrt: "v1"))
        }
    }
}
