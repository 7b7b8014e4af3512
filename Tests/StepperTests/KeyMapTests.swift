import GradFlow
import Testing
@testable import Stepper

/// Keys mean what the help says, and what they mean depends on what is open and focused.
@Suite struct KeyMapTests {
    func message(_ key: Key, _ model: StepperModel) -> Message? { KeyMap.message(for: key, model: model, frame: nil) }

    @Test func theListedKeysStepPlayAndQuit() throws {
        let model = try Fixtures.model(Fixtures.survey)
        let expected: [(Key, Message)] = [
            (.right, .pan(.right)), (.character("l"), .pan(.right)), (.character(" "), .next),
            (.left, .pan(.left)), (.character("h"), .pan(.left)), (.backspace, .back),
            (.home, .first), (.character("g"), .first), (.end, .last), (.character("G"), .last),
            (.character("["), .previousPhase), (.character("]"), .nextPhase), (.character("p"), .togglePlay),
            (.character("+"), .faster), (.character("-"), .slower), (.tab, .focusNext), (.backTab, .focusPrevious),
            (.character("z"), .fit), (.character("/"), .find), (.character("o"), .chooseOutput),
            (.character("m"), .toggleMode), (.character("i"), .chooseInput), (.character("f"), .toggleFold),
            (.character("d"), .moreDigits), (.character("?"), .showHelp), (.character("q"), .quit),
            (.escape, .quit), (.interrupt, .quit),
        ]
        for (key, meaning) in expected { #expect(message(key, model) == meaning, "\(key)") }
        // With no pane focused, → and ← step.
        #expect(update(model, message(.right, model)!).step == 1)
    }

    @Test func theFindPromptTakesTyping() throws {
        let model = update(try Fixtures.model(Fixtures.survey), .find)
        #expect(message(.character("q"), model) == .type("q"))
        #expect(message(.character(" "), model) == .type(" "))
        #expect(message(.backspace, model) == .deleteBackward)
        #expect(message(.enter, model) == .confirm)
        #expect(message(.escape, model) == .cancel)
        #expect(message(.interrupt, model) == .quit)
    }

    @Test func escapeLeavesAnInspectionBeforeItQuits() throws {
        let inspecting = update(try Fixtures.model(Fixtures.survey), .inspect(3))
        #expect(message(.escape, inspecting) == .cancel)
        #expect(update(inspecting, .cancel).inspected == nil)
    }

    @Test func choosersAndHelpTakeTheKeysFirst() throws {
        let chooser = update(try Fixtures.model(Fixtures.twoOutputs), .chooseOutput)
        #expect(message(.down, chooser) == .pan(.down))
        #expect(message(.character("k"), chooser) == .pan(.up))
        #expect(message(.enter, chooser) == .confirm)
        #expect(message(.character("q"), chooser) == .cancel)
        let help = update(try Fixtures.model(Fixtures.survey), .showHelp)
        #expect(message(.character("q"), help) == .cancel)
    }

    @Test func capitalZTogglesTheZoomTheGraphPaneChose() throws {
        let model = try Fixtures.model(Fixtures.survey)
        let detail = Frame(grid: CellGrid(columns: 1, rows: 1), hits: [], zoom: .detail)
        let compact = Frame(grid: CellGrid(columns: 1, rows: 1), hits: [], zoom: .compact)
        #expect(KeyMap.message(for: .character("Z"), model: model, frame: detail) == .setZoom(.compact))
        #expect(KeyMap.message(for: .character("Z"), model: model, frame: compact) == .setZoom(.detail))
    }

    @Test func theHelpTheStatusLineAndStepHelpReadOneTable() throws {
        // Every key of the table sends what its row says, and the three descriptions agree.
        let model = try Fixtures.model(Fixtures.survey)
        for row in KeyTable.rows {
            for (key, _) in row.keys { #expect(message(key, model) != nil, "\(key) of \(row.action)") }
        }
        let listed = KeyTable.listing.map(\.keys)
        #expect(listed.first == "→ l space" && listed.last == "q Esc" && listed.count == 18)
        // `s` pages the step pane; its hint shows only while the pane has more lines than rows.
        #expect(listed.contains("s") && message(.character("s"), model) == .moreInspector)
        // `e` opens a tensor step; its hint shows only where there are tensors (not in the survey).
        #expect(listed.contains("e") && message(.character("e"), model) == .toggleElements)
        // The training keys are in the `?` overlay too (they were handled apart and missing).
        #expect(listed.contains("< > { }"))
        #expect(message(.character("}"), model) == .trainingStep(10) && message(.character("<"), model) == .trainingStep(-1))
        #expect(KeyTable.summary.hasPrefix("Keys: → l space next, ← h back,") && KeyTable.summary.hasSuffix("? all keys, q quit."))
        #expect(KeyTable.hints(model).map(\.keys) == ["→", "←", "[ ]", "p", "m", "Tab", "/", "?", "q"])
        var graphFocus = model
        graphFocus = update(graphFocus, .focusNext)
        #expect(KeyTable.hints(graphFocus).map(\.word).prefix(5) == ["pan", "fit", "zoom", "fold", "next"])
    }
}
