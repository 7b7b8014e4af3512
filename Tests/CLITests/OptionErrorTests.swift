import Foundation
import Testing
import TestSupport

/// A wrong command line gets gradflow's one error form, `gradflow: error: …` and the usage, and
/// status 64 (the README's exit statuses), whether an option is unknown or its value is bad.
@Suite struct OptionErrorTests {
    private func expectCommandLineError(_ arguments: [String], _ message: String) throws {
        let run = try runGradflow(arguments)
        #expect(run.status == 64, "\(arguments): \(run.status) \(run.stderr)")
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("gradflow: error: " + message), "\(arguments): \(run.stderr)")
        #expect(!run.stderr.contains("Error:"), "\(run.stderr)")
        #expect(run.stderr.contains("Usage: gradflow \(arguments[0])"), "\(run.stderr)")
    }

    @Test("--precision -1 is a value out of range, not a missing value")
    func negativePrecision() throws {
        for command in ["trace", "grad", "export"] {
            var arguments = [command, "Scenes/survey.scene", "--precision", "-1"]
            if command == "export" { arguments += ["-o", "/tmp/never-written.svg"] }
            try expectCommandLineError(arguments, "--precision must be between 1 and 17")
        }
    }

    @Test("a bad option value and an unknown option: the same form")
    func badValuesAndUnknownOptions() throws {
        try expectCommandLineError(["export", "Scenes/survey.scene", "-o", "/tmp/never-written.svg", "--theme", "neon"],
                                   "The value 'neon' is invalid for '--theme <theme>'")
        try expectCommandLineError(["check", "Scenes/survey.scene", "--tolerance", "0"], "--tolerance must be a positive number")
        try expectCommandLineError(["grad", "Scenes/survey.scene", "--colour"], "Unknown option '--colour'")
        try expectCommandLineError(["trace"], "Missing expected argument '<file>'")
    }

    @Test("help is still help, on stdout with status 0")
    func helpIsUntouched() throws {
        let run = try runGradflow(["grad", "--help"])
        #expect(run.status == 0 && run.stdout.contains("USAGE: gradflow grad") && run.stderr.isEmpty)
    }
}
