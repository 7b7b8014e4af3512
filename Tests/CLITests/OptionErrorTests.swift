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

    /// Every numeric option takes a negative number as its value and says what range it wants;
    /// all but --precision and --step used to answer "Missing value for '--max-nodes <N>'".
    @Test(arguments: [
        (["grad", "Scenes/survey.scene", "--max-nodes", "-1"], "--max-nodes must be at least 1"),
        (["grad", "Scenes/survey.scene", "--max-call-depth", "-1"], "--max-call-depth must be at least 1"),
        (["grad", "Scenes/survey.scene", "--max-elements", "-1"], "--max-elements must be at least 1"),
        (["check", "Scenes/survey.scene", "--tolerance", "-1"], "--tolerance must be a positive number"),
        (["check", "Scenes/survey.scene", "--seed", "-1"], "The value '-1' is invalid for '--seed <n>'"),
        (["export", "Scenes/survey.scene", "-o", "/tmp/never-written.svg", "--fold-above", "-1"], "--fold-above must be 0 or more"),
        (["export", "Scenes/survey.scene", "-o", "/tmp/never-written.svg", "--time-limit", "-1"], "--time-limit must be between 0 and"),
        (["export", "Scenes/train-line-fit.scene", "-o", "/tmp/never-written.svg", "--train-step", "-1"], "--train-step must be 1 or more"),
        (["train", "Scenes/train-line-fit.scene", "--every", "-1"], "--every must be at least 1"),
        (["plot", "sin(x)", "--derivatives", "-1"], "--derivatives must be between 0 and 8"),
        (["plot", "sin(x)", "--samples", "-1"], "--samples must be between 2 and 100000"),
        (["plot", "sin(x)", "--size", "-10x5"], "The value '-10x5' is invalid for '--size <COLSxROWS>'"),
    ])
    func aNegativeNumberIsAValueOutOfRange(arguments: [String], message: String) throws {
        try expectCommandLineError(arguments, message)
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
