import Testing
import TestSupport

/// One convention for options that take one of a few words: the value is named by what it is
/// (`<format>`, `<theme>`), ArgumentParser lists the words once as `(values: …)`, and the help
/// says what the option does without listing the words again.
struct OptionHelpTests {
    /// Each option of `command --help` with its value name and its description, wrapped lines joined.
    func options(of command: String) throws -> [(option: String, description: String)] {
        let help = try runGradflow([command, "--help"]).stdout
        var entries: [(option: String, description: String)] = []
        for line in help.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  -") {
                let text = line.dropFirst(2)
                let split = text.range(of: "  ")
                entries.append((String(split.map { text[..<$0.lowerBound] } ?? text),
                                split.map { text[$0.upperBound...].drop(while: { $0 == " " }) }.map(String.init) ?? ""))
            } else if line.hasPrefix("          "), !entries.isEmpty {
                entries[entries.count - 1].description += " " + line.drop(while: { $0 == " " })
            }
        }
        return entries
    }

    @Test(arguments: ["trace", "grad", "check", "step", "export", "train", "plot", "eval"])
    func wordValuesAreListedOnceByTheParser(command: String) throws {
        let entries = try options(of: command)
        #expect(!entries.isEmpty)
        for (option, description) in entries {
            #expect(!option.contains("|"), "\(command) \(option): name the value, the parser lists the words")
            guard let listStart = description.range(of: "(values: ") else { continue }
            let list = description[listStart.upperBound...].prefix { $0 != ";" && $0 != ")" }
            let values = list.split(separator: ", ").map(String.init)
            let said = description[..<listStart.lowerBound]
            for first in values {
                for second in values where second != first {
                    #expect(!said.contains("\(first), \(second)") && !said.contains("\(first) or \(second)"),
                            "\(command) \(option) lists its values again: \(said)")
                }
            }
        }
    }

    @Test("every command that shows numbers for people takes the one --precision, with one message")
    func onePrecisionOption() throws {
        for command in ["trace", "grad", "step", "export", "train", "eval"] {
            let entry = try options(of: command).first { $0.option.hasPrefix("--precision") }
            #expect(entry?.description.hasPrefix("Significant digits for the numbers shown (1–17)") == true, "\(command)")
        }
        let export = try runGradflow(["export", "Scenes/survey.scene", "-o", "x.svg", "--precision", "18"])
        let trace = try runGradflow(["trace", "Scenes/survey.scene", "--precision", "18"])
        #expect(export.status == 64 && trace.status == 64)
        #expect(export.stderr.split(separator: "\n").first == trace.stderr.split(separator: "\n").first)
    }
}
