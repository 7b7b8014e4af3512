import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// Nothing the stepper can be shown, nor any key, makes it crash or draw outside its grid.
@Suite struct RobustnessTests {
    static let scenes: [String] = ((try? FileManager.default.contentsOfDirectory(
        atPath: repositoryRoot.appendingPathComponent("Scenes").path)) ?? [])
        .filter { $0.hasSuffix(".scene") }.sorted()

    @Test(arguments: scenes)
    func everyStepOfEverySceneDrawsInBothModesAndEverySize(_ file: String) throws {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
        let view = StepperView()
        for mode in Differentiation.allCases where mode == .reverse || !graph.inputs.isEmpty {
            for (columns, rows) in [(80, 24), (120, 40)] {
                var model = try StepperModel(graph: graph, fileName: file, options: StepperOptions(mode: mode),
                                             columns: columns, rows: rows)
                while true {
                    let grid = view.render(model).grid
                    #expect(grid.cells.count == columns * rows)
                    if model.isAtEnd { break }
                    model = update(model, .next)
                }
            }
        }
    }

    @Test(arguments: scenes)
    func keysInAnyOrderNeverBreakIt(_ file: String) throws {
        let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(file)").path).graph
        let view = StepperView.withLayeredLayout()
        var model = try StepperModel(graph: graph, fileName: file, columns: 100, rows: 30)
        // A fixed pseudo-random walk over every key, so a failure can be replayed.
        let keys: [Key] = [.right, .left, .up, .down, .home, .end, .pageUp, .pageDown, .tab, .backTab, .enter,
                           .backspace, .escape, .click(column: 20, row: 5), .click(column: 3, row: 15)]
            + "lhjkgG[]p+-zZ/omifd? nqx1".map { Key.character($0) }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var frame = view.render(model)
        for _ in 0..<600 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let key = keys[Int((state >> 33) % UInt64(keys.count))]
            if let message = KeyMap.message(for: key, model: model, frame: frame), message != .quit {
                model = update(model, message)
            }
            if state % 97 == 0 { model = update(model, .resize(columns: 60 + Int(state % 100), rows: 20 + Int(state % 30))) }
            model = update(model, .tick)
            frame = view.render(model)
            #expect(model.step >= 0 && model.step <= model.timeline.count)
        }
    }

    @Test func oneNodeNoInputsAndEveryGroupFolded() throws {
        var single = Graph()
        single.appendLeaf(.constant, value: 3, name: "c")
        var model = try Fixtures.model(single)
        #expect(model.timeline.count == 2)  // evaluate c, seed c; no contributions
        model = update(update(model, .last), .toggleMode)
        #expect(model.message == "forward mode needs an input; this graph has none")
        #expect(StepperView.withLayeredLayout().render(model).grid.text.contains("step 2 of 2"))
        #expect(throws: WalkError.self) { _ = try Fixtures.model(Graph()) }

        let chain = Fixtures.chain(iterations: 200)
        var folded = try Fixtures.model(chain, columns: 120, rows: 40)
        for group in chain.annotations.groups.indices { folded.folded.insert(group) }
        folded = update(folded, .goTo(step: 500))
        let text = StepperView().render(folded).grid.text
        #expect(text.contains("▸ repeat"))
    }

    @Test func noColorAndColourlessTerminalsGetMonochrome() {
        #expect(Theme.resolve(.automatic, environment: [:], terminalHasColors: true) == .dark)
        #expect(Theme.resolve(.automatic, environment: ["NO_COLOR": "1"], terminalHasColors: true) == .mono)
        #expect(Theme.resolve(.light, environment: ["NO_COLOR": "yes"], terminalHasColors: true) == .mono)
        // An empty NO_COLOR does not count, as no-color.org says.
        #expect(Theme.resolve(.automatic, environment: ["NO_COLOR": ""], terminalHasColors: true) == .dark)
        #expect(Theme.resolve(.dark, environment: [:], terminalHasColors: false) == .mono)
        // Without colour, what matters still stands out by attributes alone.
        #expect(Theme.monochrome(.currentNode) != Theme.monochrome(.text))
        #expect(Theme.monochrome(.currentRow) != Theme.monochrome(.text))
        #expect(Theme.monochrome(.pending) != Theme.monochrome(.text))
        #expect(Theme.monochrome(.activeEdge) != Theme.monochrome(.edge))
    }
}
