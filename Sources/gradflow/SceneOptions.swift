import ArgumentParser
import Foundation
import GradFlow
import Reports
import SceneLanguage

/// The limits that keep a runaway scene from exhausting the machine, as options.
///
/// Every command that traces scene text takes them; the defaults are ``SceneLimits/standard``.
struct SceneLimitOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "The most nodes a scene may record; loop iterations and function calls count too.",
        valueName: "N"))
    var maxNodes: Int = SceneLimits.standard.maxNodes

    @Option(help: ArgumentHelp("The deepest chain of nested function calls.", valueName: "N"))
    var maxCallDepth: Int = SceneLimits.standard.maxCallDepth

    /// The limits with these options applied.
    var limits: SceneLimits {
        var limits = SceneLimits.standard
        limits.maxNodes = maxNodes
        limits.maxCallDepth = maxCallDepth
        return limits
    }

    func validate() throws {
        guard maxNodes >= 1 else { throw ValidationError("--max-nodes must be at least 1") }
        guard maxCallDepth >= 1 else { throw ValidationError("--max-call-depth must be at least 1") }
    }
}

/// The scene file every scene command reads, with the limits it is traced under.
///
/// Used as `@OptionGroup var scene: SceneOptions` by `trace`, `grad`, `check`, `step` and
/// `export`.
struct SceneOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The scene file, e.g. Scenes/survey.scene.", valueName: "file"))
    var file: String

    @OptionGroup var limitOptions: SceneLimitOptions

    /// Reads and traces the file. On a bad scene or an unreadable file, prints the diagnostics
    /// to stderr and exits with ``CommandExit/invalidInput``.
    func load() throws -> Scene {
        let limits = limitOptions.limits
        return try reportingSceneErrors { () throws(SceneError) in try Scene.load(path: file, limits: limits) }
    }
}

/// The exit statuses of gradflow's commands (ArgumentParser uses 64 for usage errors).
enum CommandExit {
    /// `gradflow check` found a derivative that disagrees.
    static let disagreement = ExitCode(1)
    /// The input is wrong: an invalid scene, a file that cannot be read, a bad option value.
    static let invalidInput = ExitCode(2)
}

/// Runs `body`; on a ``SceneError``, prints every diagnostic (`FILE:LINE:COLUMN: error: …`, the
/// line and a caret) to stderr and exits with ``CommandExit/invalidInput``.
func reportingSceneErrors<T>(_ body: () throws(SceneError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printToStandardError(error.description)
        throw CommandExit.invalidInput
    }
}

/// Prints `gradflow: error: MESSAGE` to stderr and returns the exit to throw, for problems
/// that have no position in a file.
func invalidInput(_ message: String) -> ExitCode {
    printToStandardError("gradflow: error: \(message)")
    return CommandExit.invalidInput
}

/// Writes one line (or several) to stderr.
func printToStandardError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    FileHandle.standardError.write(Data(line.utf8))
}

/// Writes a report to stdout exactly as given.
func writeToStandardOutput(_ text: String) {
    var output = StandardOutput()
    output.write(text)
    output.flush()
}

/// stdout as a `TextOutputStream`, for reports written piece by piece (a trace of a million
/// nodes is never held whole). Pieces are collected into 64 KiB chunks; call ``flush()`` at
/// the end.
struct StandardOutput: TextOutputStream {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes out what is collected.
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Warns on stderr when a node's value is NaN or infinite, naming the first such node:
/// `survey.scene: warning: v1 = ln(x1) is NaN where x1 = -1; it is the first node that is not finite`;
/// or, when every value is finite but a gradient is not, naming the contribution where the
/// backward pass first went non-finite.
func warnIfNotFinite(_ computation: Computation, source: String) {
    if let node = NonFiniteNode(in: computation.graph) {
        printToStandardError("\(source): warning: \(node.message)")
    }
    for contribution in NonFiniteContribution.all(in: computation) {
        printToStandardError("\(source): warning: \(contribution.message)")
    }
}

extension Computation {
    /// The computation a traced scene describes.
    init(_ scene: Scene) {
        self.init(
            graph: scene.graph,
            inputs: scene.inputs.map { Named(name: $0.name, node: $0.node) },
            outputs: scene.outputs.map { Named(name: $0.name, node: $0.node) },
            title: scene.title)
    }
}

/// The precision option shared by the commands that print numbers for people.
struct PrecisionOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Significant digits for numbers (1–17). Default: 4 in text, Markdown and LaTeX tables; every digit (the shortest decimal that reads back exactly) in CSV, JSON and gradients.",
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
