import GradFlow
import SceneLanguage
import Testing
@testable import Stepper

/// The trace pane of a tensor scene on a wide screen: the tensors' value and adjoint columns take
/// the width the names and expressions leave. At 200×50 the vectors of four of
/// Scenes/tensors/kl-categorical.scene were cut to `[0.4014, 0.1804…` beside fifty empty columns.
@Suite struct TraceTensorColumnTests {
    static let scene = """
        input z = [1.0, 0.2, -0.5, 0.8]
        input w = [0.3, 0.3, 0.1, -0.4]
        p = softmax(z)
        KL = sum(p * (log_softmax(z) - log_softmax(w)))
        output KL
        """

    /// The trace rows of the frame (below the `── trace` rule).
    func traceRows(_ text: String) -> [Substring] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.contains("── trace") }) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.contains("── step") && !$0.hasPrefix(" FORWARD") && !$0.hasPrefix(" BACKWARD") })
    }

    @Test func aWideTraceWritesVectorsWhole() throws {
        let graph = try Scene.parse(source: Self.scene, fileName: "kl.scene").graph
        let view = StepperView()
        var model = try StepperModel(graph: graph, fileName: "kl.scene", columns: 200, rows: 50)
        while !model.isAtEnd { model = update(model, .next) }
        let rows = traceRows(view.render(model).grid.text)
        // p's value and its adjoint (4 digits), each whole on p's row.
        // p's row of the trace pane (the step pane is to the right of `│`).
        let p = try #require(rows.first { $0.hasPrefix("  p ") }?.split(separator: "│").first, "\(rows)")
        #expect(p.contains("[0.4014, 0.1804, 0.08957, 0.3287]"), "\(p)")
        #expect(!p.contains("…"), "\(p)")
    }

    /// On a narrow screen nothing moves: the columns keep their widths and a long value is cut
    /// with `…` as before, so the names and expressions keep their room.
    @Test func aNarrowTraceStillCutsThem() throws {
        let graph = try Scene.parse(source: Self.scene, fileName: "kl.scene").graph
        var model = try StepperModel(graph: graph, fileName: "kl.scene", columns: 80, rows: 24)
        while !model.isAtEnd { model = update(model, .next) }
        let text = StepperView().render(model).grid.text
        #expect(text.contains("softmax(z"), "\(text)")
    }
}
