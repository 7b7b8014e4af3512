import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import GraphExport

/// The DOT of each scene in `Scenes/`, compared with a golden file that was read by eye once.
///
/// To re-record after a deliberate change: `GRADFLOW_RECORD=1 swift test --filter
/// GoldenDOTTests`, then read every changed golden before committing it (see ``Golden``).
@Suite("Golden DOT files")
struct GoldenDOTTests {
    static let goldens = repositoryRoot.appendingPathComponent("Tests/GraphExportTests/Goldens")

    /// Scene file, state, golden file.
    static let cases: [(scene: String, step: Int?, golden: String)] = [
        ("survey", nil, "survey-final.dot"),
        ("survey", 14, "survey-step14.dot"),
        ("neuron", nil, "neuron-final.dot"),
        ("xy-sin", nil, "xy-sin-final.dot"),
    ]

    @Test("each scene's DOT matches its golden", arguments: cases.indices)
    func matchesGolden(index: Int) throws {
        let (name, step, golden) = Self.cases[index]
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/\(name).scene").path)
        let timeline = Timeline(graph: scene.graph, mode: .reverse(output: scene.outputs[0].node))
        let writer = DiagramWriter(timeline: timeline)
        let state = step.map { DiagramState(timeline: timeline, step: $0) } ?? DiagramState(final: timeline)
        let dot = writer.dot(for: state)
        try Golden.check(dot, Self.goldens.appendingPathComponent(golden))
        // Graphviz accepts it.
        _ = try Exporter.render(dot: dot, format: .svg)
    }
}
