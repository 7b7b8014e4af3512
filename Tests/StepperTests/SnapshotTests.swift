import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// Whole screens of the Scenes at 80×24 and 120×40, in several states, laid out by Graphviz.
@Suite struct SnapshotTests {
    let view = StepperView()

    func scene(_ name: String) throws -> Graph {
        try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(name).scene").path).graph
    }

    func frame(_ name: String, columns: Int = 80, rows: Int = 24, options: StepperOptions = StepperOptions(),
               charset: Charset = .unicode, _ messages: Message...) throws -> CellGrid {
        var model = try StepperModel(graph: try scene(name), fileName: "\(name).scene", options: options,
                                     columns: columns, rows: rows, charset: charset)
        model = messages.reduce(model, update)
        return view.render(model).grid
    }

    @Test(arguments: [0, 4, 8, 14, 16])
    func survey80x24(step: Int) throws {
        try Snapshot.check(try frame("survey", options: StepperOptions(step: step)), "survey-80x24-step\(step)")
    }

    @Test(arguments: [4, 14])
    func survey120x40(step: Int) throws {
        try Snapshot.check(try frame("survey", columns: 120, rows: 40, options: StepperOptions(step: step)),
                           "survey-120x40-step\(step)")
    }

    @Test func surveyForwardModeAtTheEnd() throws {
        try Snapshot.check(try frame("survey", columns: 120, rows: 40, options: StepperOptions(phase: .end, mode: .forward)),
                           "survey-120x40-forward-end")
    }

    @Test func neuronMidBackward() throws {
        try Snapshot.check(try frame("neuron", options: StepperOptions(step: 5, phase: .backward)), "neuron-80x24-backward5")
        try Snapshot.check(try frame("neuron", columns: 120, rows: 40, options: StepperOptions(phase: .end)),
                           "neuron-120x40-end")
    }

    @Test func xySinAtTheEnd() throws {
        try Snapshot.check(try frame("xy-sin", options: StepperOptions(phase: .end)), "xy-sin-80x24-end")
    }

    @Test func surveyInASCII() throws {
        try Snapshot.check(try frame("survey", options: StepperOptions(step: 14), charset: .ascii), "survey-80x24-ascii-step14")
    }

    @Test func helpAndChooserOverlays() throws {
        try Snapshot.check(try frame("survey", .showHelp), "survey-80x24-help")
        try Snapshot.check(try frame("two-outputs", .chooseOutput), "two-outputs-80x24-chooser")
    }

    @Test func tooSmall() throws {
        try Snapshot.check(try frame("survey", columns: 60, rows: 20), "survey-60x20-too-small")
    }
}
