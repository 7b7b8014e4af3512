import ArgumentParser
import Reports

/// The precision option shared by the commands that print numbers for people.
struct PrecisionOption: ParsableArguments {
    // Unconditional, so that `--precision -1` is a value (out of range), not a missing one.
    @Option(parsing: .unconditional, help: ArgumentHelp(
        "Significant digits for the numbers shown (1–17); the default depends on the command and format.",
        valueName: "N"))
    var precision: Int?

    func validate() throws {
        if let precision, !(1...17).contains(precision) {
            throw ValidationError("--precision must be between 1 and 17 (a double has 17 significant digits at most)")
        }
    }
}

/// `--format text|json`, for the commands whose output is a list rather than tables.
enum TextOrJSON: String, CaseIterable, ExpressibleByArgument {
    case text, json

    var reportFormat: ReportFormat { self == .json ? .json : .text }
}
