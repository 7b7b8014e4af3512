import Foundation
import SceneLanguage
import Testing
import TestSupport

/// The examples of the README's language reference say what gradflow does.
@Suite struct ReadmeTests {
    /// The code blocks of the README's `## The scene language` section, in order.
    static func languageCodeBlocks() throws -> [String] {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "## The scene language") else { return [] }
        let section = readme[start.upperBound...].components(separatedBy: "\n## ").first ?? ""
        let parts = section.components(separatedBy: "```")
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
        let text = "title \"survey\"\ninput x1 = 2, x2 = 5\nv1 = lm(x1)\noutput v1\n"
        var found = ""
        do {
            _ = try Scene.parse(source: text, fileName: "survey.scene")
        } catch {
            found = error.description
        }
        #expect(shown.trimmingCharacters(in: .newlines) == found)
    }
}
