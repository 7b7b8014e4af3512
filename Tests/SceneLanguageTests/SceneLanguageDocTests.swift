import Foundation
import SceneLanguage
import Testing
import TestSupport

/// The examples of the language reference (docs/scene-language.md) say what gradflow does.
@Suite struct SceneLanguageDocTests {
    /// The code blocks of docs/scene-language.md, in order.
    static func languageCodeBlocks() throws -> [String] {
        let page = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/scene-language.md"), encoding: .utf8)
        let parts = page.components(separatedBy: "```")
        // Odd parts are inside fences; drop each fence's language tag line.
        return stride(from: 1, to: parts.count, by: 2).map { index in
            let block = parts[index]
            return block.hasPrefix("\n") ? String(block.dropFirst()) : block.split(separator: "\n", maxSplits: 1).last.map(String.init) ?? ""
        }
    }

    @Test func theOpeningExampleTracesToTheSurveyNumbers() throws {
        let blocks = try Self.languageCodeBlocks()
        let scene = try trace(try #require(blocks.first))
        #expect(isClose(scene.value("f"), 11.652071455223084))
        #expect(isClose(scene.derivative(of: "f", by: "x1"), 5.5))
    }

    @Test func theErrorExampleIsWhatGradflowPrints() throws {
        let blocks = try Self.languageCodeBlocks()
        let shown = try #require(blocks.first { $0.contains("error:") })
        let text = "title \"survey\"\ninput x1 = 2, x2 = 5\nv1 = ln(x3)\noutput v1\n"
        var found = ""
        do {
            _ = try Scene.parse(source: text, fileName: "survey.scene")
        } catch {
            found = error.description
        }
        #expect(shown.trimmingCharacters(in: .newlines) == found)
    }
}
