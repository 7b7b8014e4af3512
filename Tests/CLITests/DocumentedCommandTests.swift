import Foundation
import Testing
import TestSupport

/// The README and the pages of docs/ show real output: every `$ gradflow …` line in their `text`
/// blocks is run, and its output must be the lines that follow it.
@Suite struct DocumentedCommandTests {
    struct Example: CustomStringConvertible {
        let page: String
        let arguments: [String]
        let output: String
        var description: String { page + ": " + arguments.joined(separator: " ") }
    }

    /// README.md and every page in docs/.
    static func pages() throws -> [String] {
        let docs = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot.appendingPathComponent("docs").path)
        return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
    }

    /// The examples of every page.
    static func examples() throws -> [Example] {
        var examples: [Example] = []
        for page in try pages() {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(page), encoding: .utf8)
            for block in text.components(separatedBy: "```text\n").dropFirst() {
                let body = block.components(separatedBy: "\n```")[0]
                var current: (arguments: [String], lines: [String])?
                func finish() {
                    guard var example = current else { return }
                    while example.lines.last?.isEmpty == true { example.lines.removeLast() }
                    examples.append(Example(page: page, arguments: example.arguments, output: example.lines.joined(separator: "\n")))
                }
                for line in body.components(separatedBy: "\n") {
                    if line.hasPrefix("$ gradflow ") {
                        finish()
                        current = (shellWords(String(line.dropFirst("$ gradflow ".count))), [])
                    } else {
                        current?.lines.append(line)
                    }
                }
                finish()
            }
        }
        return examples
    }

    /// Splits a command line into words, honouring single quotes (all the pages use).
    static func shellWords(_ line: String) -> [String] {
        var words: [String] = [], word = "", quoted = false, inWord = false
        for character in line {
            if character == "'" { quoted.toggle(); inWord = true }
            else if character == " " && !quoted { if inWord { words.append(word) }; word = ""; inWord = false }
            else { word.append(character); inWord = true }
        }
        if inWord { words.append(word) }
        return words
    }

    @Test func theReadmeAndTheCommandsPageHaveExamples() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 4)
        #expect(examples.contains { $0.page == "README.md" && $0.arguments == ["trace", "Scenes/survey.scene", "--wrt", "x1"] })
        #expect(examples.contains { $0.page == "docs/commands.md" && $0.arguments.first == "check" })
    }

    @Test(arguments: try examples())
    func exampleOutputIsWhatGradflowPrints(example: Example) throws {
        let run = try runGradflow(example.arguments)
        #expect(run.status == 0)
        var output = run.stdout
        while output.hasSuffix("\n") { output.removeLast() }
        #expect(output == example.output)
    }
}
