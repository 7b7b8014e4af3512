import GradFlow
import SceneLanguage
import Testing
@testable import Stepper

/// An unnamed tensor literal is labelled by its value (`[1, 1]`); in a one-line box, whose
/// brackets are `[` and `]`, it read `[[1, 1]]`, a 1×2 matrix, not the vector it is.
@Suite struct LiteralBoxTests {
    @Test func aVectorLiteralInAOneLineBoxDoesNotReadAsAMatrix() throws {
        let graph = try Scene.parse(source: """
            fn affine(W, x, b) = W @ x + b
            input M = [[1, 2], [3, -1]]
            L = sum(affine(M, [1, 1], [0.5, -0.5]))
            output L
            """, fileName: "literal.scene").graph
        // Names only (`[ [1, 1] ]`) and with the shape (`[ [1, 1]  [2] … ]`).
        for zoom in [Zoom.name, .compact] {
            let model = update(try StepperModel(graph: graph, fileName: "literal.scene", columns: 80, rows: 24), .setZoom(zoom))
            let text = StepperView().render(model).grid.text
            let pane = text.split(separator: "\n").prefix(12).joined(separator: "\n")
            #expect(pane.contains("[ [1, 1] ") && pane.contains("[ [0.5, -0.5] "), "\(zoom)\n\(pane)")
            #expect(!pane.contains("[[1, 1]"), "\(zoom)\n\(pane)")
        }
    }
}
