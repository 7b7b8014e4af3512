import Foundation
import GradFlow
import SceneLanguage
import Testing
import TestSupport
@testable import Stepper

/// docs/tensors.md shows stepper screens; each block marked `<!-- screen: SCENE COLSxROWS step K
/// [keys] -->` or `<!-- inspector: … -->` must be what the renderer draws there: every line of a
/// screen block on some row of the screen, and an inspector block the inspector's rows in order.
@Suite struct TensorDocScreenTests {
    struct Block {
        let kind: String, scene: String, columns: Int, rows: Int, step: Int, keys: [String], lines: [String]
    }

    static func blocks() throws -> [Block] {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/tensors.md"), encoding: .utf8)
        var blocks: [Block] = []
        for piece in text.components(separatedBy: "<!-- ").dropFirst() {
            let header = piece.components(separatedBy: " -->")[0].split(separator: " ").map(String.init)
            guard header.count >= 4, header[0] == "screen:" || header[0] == "inspector:" else { continue }
            let size = header[2].split(separator: "x").compactMap { Int($0) }
            let body = piece.components(separatedBy: "```\n")[1].components(separatedBy: "\n```")[0]
            blocks.append(Block(kind: header[0], scene: header[1], columns: size[0], rows: size[1], step: Int(header[4])!,
                                keys: Array(header.dropFirst(5)),
                                lines: body.trimmingCharacters(in: .newlines).components(separatedBy: "\n")))
        }
        return blocks
    }

    @Test func theScreensOfTheTensorPageAreWhatTheStepperDraws() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count == 3)
        for block in blocks {
            let graph = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/\(block.scene)").path).graph
            var options = StepperOptions()
            options.walk.step = block.step
            var model = try StepperModel(graph: graph, fileName: block.scene, options: options,
                                         columns: block.columns, rows: block.rows)
            for key in block.keys { model = update(model, key == "e" ? .toggleElements : .next) }
            let frame = StepperView().render(model)
            let grid = frame.grid
            let rows = (0..<grid.rows).map { grid.line($0) }
            if block.kind == "screen:" {
                for line in block.lines where !rows.contains(where: { $0.contains(line) }) {
                    Issue.record("not on the screen: \(line)\n\(grid.text)")
                }
            } else {
                let layout = try #require(frame.layout)
                let inspector = (layout.inspector.row..<layout.inspector.bottom).map { row in
                    String(rows[row].dropFirst(layout.inspector.column)).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
                }
                #expect(Array(inspector.prefix(block.lines.count)) == block.lines, "\(grid.text)")
            }
        }
    }
}
