import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport

/// `train N steps, lr R { …; minimize loss }`: every step's numbers against updates worked out
/// by hand and against an independent implementation, the step graphs, and the diagnostics.
@Suite struct TrainingTests {
    @Test func plainGradientDescentByHand() throws {
        // loss = (2w − 3)², gradient 4(2w − 3); lr 0.1 gives w ← 0.2·w + 1.2: 0 → 1.2 → 1.44 → 1.488.
        let scene = try trace("input w = 0\ntrain 3 steps, lr 0.1 {\n  loss = (w * 2 - 3)^2\n  minimize loss\n}")
        let run = try #require(scene.training)
        #expect(run.steps == 3 && run.inputNames == ["w"] && run.lossName == "loss")
        for (actual, expected) in zip(run.inputValues.map { $0[0] }, [0, 1.2, 1.44, 1.488]) {
            #expect(isClose(actual, expected))
        }
        for (actual, expected) in zip(run.losses, [9, 0.36, 0.0144]) { #expect(isClose(actual, expected)) }
        for (actual, expected) in zip(run.gradients.map { $0[0] }, [-12, -2.4, -0.48]) { #expect(isClose(actual, expected)) }
        // The graph shown is the last step's, with w as it was before that step's update.
        #expect(scene.trainingStep == 3)
        #expect(isClose(scene.value("w"), 1.44))
        #expect(isClose(scene.value("loss"), 0.0144))
        #expect(scene.outputs.map(\.name) == ["loss"])
        #expect(scene.graph.annotations.groups.map(\.label) == ["train step 3/3"])
    }

    @Test func momentumAsPyTorchDefinesIt() throws {
        // loss = w²/2, gradient w; lr 0.1, momentum 0.9 from w = 1:
        // v1 = 1, w = 0.9; v2 = 0.9 + 0.9 = 1.8, w = 0.72; v3 = 1.62 + 0.72 = 2.34, w = 0.486.
        let scene = try trace("input w = 1\ntrain 3 steps, lr 0.1, momentum 0.9 {\n  loss = w^2 / 2\n  minimize loss\n}\noutput w")
        let run = try #require(scene.training)
        #expect(isClose(run.momentum, 0.9))
        for (actual, expected) in zip(run.inputValues.map { $0[0] }, [1, 0.9, 0.72, 0.486]) {
            #expect(isClose(actual, expected))
        }
        #expect(isClose(run.finalInputs[0], 0.486))
        #expect(scene.outputs.map(\.name) == ["loss", "w"])
    }

    @Test func anyStepsGraphCanBeRecordedAgain() throws {
        let scene = try trace("input w = 0\ntrain 3 steps, lr 0.1 {\n  loss = (w * 2 - 3)^2\n  minimize loss\n}")
        let second = try scene.atTrainingStep(2)
        #expect(second.trainingStep == 2)
        #expect(isClose(second.value("w"), 1.2))
        #expect(isClose(second.value("loss"), 0.36))
        #expect(second.graph.annotations.groups.map(\.label) == ["train step 2/3"])
        #expect(second.training == scene.training)
        #expect(isClose(second.graph.adjoints(from: second.outputs[0].node)[second.inputs[0].node], -2.4))
    }

    /// The numbers of an independent Python implementation (the documented randn generator,
    /// backpropagation written by hand, the same 300 steps); the script is quoted in the scene.
    @Test func theXORNetworkLearns() throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/train-xor.scene").path)
        let run = try #require(scene.training)
        #expect(run.steps == 300)
        #expect(isClose(run.losses[0], 0.2669143786498203, relative: 1e-12))
        #expect(isClose(run.losses[9], 0.2446139513504434, relative: 1e-12))
        let w11 = try #require(run.inputNames.firstIndex(of: "w11"))
        let c = try #require(run.inputNames.firstIndex(of: "c"))
        #expect(isClose(run.finalInputs[w11], -1.7535828074814075, relative: 1e-9))
        #expect(isClose(run.finalInputs[c], 1.2416667474079648, relative: 1e-9))
        // The loss visibly falls: by more than a factor of 500.
        #expect(run.losses[299] < run.losses[0] / 500)
    }

    @Test func aCheckThatMovesTheInputsRecordsOneStepWithoutTraining() throws {
        let text = "input w = 0\ntrain 3 steps, lr 0.1 {\n  loss = (w * 2 - 3)^2\n  minimize loss\n}"
        let moved = try Scene.parse(source: text, fileName: "test.scene", inputValues: ["w": 1])
        #expect(moved.training == nil)
        #expect(isClose(moved.value("loss"), 1))
    }

    @Test func trainMinimizeAndLrStayOrdinaryNamesElsewhere() throws {
        let scene = try trace("input x = 2\nlr = x * 3\ntrain = lr + 1\nminimize = train * 2\noutput minimize")
        #expect(isClose(scene.value("minimize"), 14))
        #expect(scene.training == nil)
    }

    @Test(arguments: [
        ("input w = 1\ntrain 2 steps, lr 0.1 {\n  loss = w^2\n}", "test.scene:2:1: error: the `train` block never reaches `minimize`; end its body with the loss, e.g. `minimize loss`"),
        ("input w = 1\nloss = w^2\nminimize loss\noutput loss", "test.scene:3:1: error: `minimize` is only allowed inside a `train` block"),
        ("input w = 1\ntrain 0 steps, lr 0.1 {\n  loss = w^2\n  minimize loss\n}", "test.scene:2:7: error: a training run needs at least one step (it has 0)"),
        ("input w = 1\ntrain 2 steps, lr -1 {\n  loss = w^2\n  minimize loss\n}", "test.scene:2:19: error: the learning rate must be a positive number, but it is -1"),
        ("input w = 1\ntrain 2 steps, lr 0.1, momentum 1 {\n  loss = w^2\n  minimize loss\n}", "test.scene:2:33: error: the momentum must be at least 0 and below 1, but it is 1"),
        ("input w = 1\ntrain 2 steps lr 0.1 {\n  loss = w^2\n  minimize loss\n}", "test.scene:2:15: error: expected `,` after `steps`, then the learning rate, e.g. `, lr 0.1`, found `lr`"),
        ("input w = 1\nrepeat 2 {\n  train 2 steps, lr 0.1 {\n    minimize w\n  }\n}\noutput w", "test.scene:3:3: error: `train` is only allowed at the top level of a scene, not inside a block or function"),
        ("input w = 1\ntrain 1 step, lr 0.1 {\n  minimize w\n}\ntrain 1 step, lr 0.1 {\n  minimize w\n}", "test.scene:5:1: error: the scene already has a `train` block (line 2); a scene trains once"),
        ("input w = 1\ntrain 1 step, lr 0.1 {\n  minimize w\n  minimize w\n}", "test.scene:4:12: error: `minimize` runs twice in one training step; a step has one loss"),
    ])
    func diagnostics(_ text: String, _ expected: String) {
        #expect(rendered(text).split(separator: "\n").first.map(String.init) == expected)
    }

    @Test func initialWeightsMayBeDrawnWithRandn() throws {
        let scene = try trace("input w = 0.5 * randn(7)\ny = w * 2\noutput y")
        #expect(isClose(scene.value("w"), 0.5 * 1.3649922974572282, relative: 1e-15))
        #expect(scene.graph.ops == [.input, .multiplyConstant])
    }
}

extension TrainingTests {
    @Test func theLossIsTheFirstOutputOnceEvenWhenAlsoWrittenAsAnOutput() throws {
        let scene = try trace("input w = 1\ntrain 1 step, lr 0.1 {\n  loss = w^2\n  minimize loss\n}\noutput w, loss, loss")
        #expect(scene.outputs.map(\.name) == ["loss", "w", "loss"])
    }

    @Test func aRunTooLargeInAllIsADiagnosticBeforeItStarts() {
        // 1,000 nodes a step (w and 999 products) for 1,000,000 steps: 10⁹ nodes, far beyond 20 × 1,000,000.
        let text = "input w = 1\ntrain 1000000 steps, lr 0.1 {\n  s = w\n  repeat 999 {\n    s = s * 1\n  }\n  minimize s\n}"
        #expect(rendered(text).hasPrefix("test.scene:2:1: error: this training run would record 1000 nodes on each of 1000000 steps, beyond 20000000 in all"))
    }
}
