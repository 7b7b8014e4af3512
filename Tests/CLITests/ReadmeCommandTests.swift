import Foundation
import Testing
import TestSupport

/// The README's `trace` and `commands` sections show real output: every `$ gradflow …` line in
/// their text blocks is run, and its output must be the lines that follow it.
@Suite struct ReadmeCommandTests {
    struct Example: CustomStringConvertible {
        let arguments: [String]
        let output: String
        var description: String { arguments.joined(separator: " ") }
    }

    /// The examples of the README sections `trace` and `commands`.
    static func examples() throws -> [Example] {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        var examples: [Example] = []
        for name in ["trace", "commands"] {
            guard let start = readme.range(of: "<!-- section: \(name) -->") else { continue }
            let rest = readme[start.upperBound...]
            let section = rest[..<(rest.range(of: "<!-- section: ")?.lowerBound ?? rest.endIndex)]
            for block in section.components(separatedBy: "```text\n").dropFirst() {
                let body = block.components(separatedBy: "\n```")[0]
                var current: (arguments: [String], lines: [String])?
                func finish() {
                    guard var example = current else { return }
                    while example.lines.last?.isEmpty == true { example.lines.removeLast() }
                    examples.append(Example(arguments: example.arguments, output: example.lines.joined(separator: "\n")))
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

    /// Splits a command line into words, honouring single quotes (all the README uses).
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

    @Test func theSectionsHaveExamples() throws {
        let examples = try Self.examples()
        #expect(examples.count >= 4)
        #expect(examples.contains { $0.arguments == ["trace", "Scenes/survey.scene", "--wrt", "x1"] })
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
