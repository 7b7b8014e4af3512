import ArgumentParser
import Foundation
import GradFlow
import Reports
import SceneLanguage

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

/// Ends the process for an error that reached `main`. A command-line error (an unknown option,
/// a missing argument, a bad option value) is written as every gradflow error is,
/// `gradflow: error: …` and then the usage, with status 64; help, and the exits the commands
/// chose themselves, are ArgumentParser's as before.
func exitReporting(_ error: Error) -> Never {
    let code = Gradflow.exitCode(for: error)
    guard code == .validationFailure, !(error is ExitCode) else { Gradflow.exit(withError: error) }
    var text = Gradflow.fullMessage(for: error)
    if text.hasPrefix("Error: ") { text = "gradflow: error: " + text.dropFirst("Error: ".count) }
    printToStandardError(text)
    Foundation.exit(code.rawValue)
}

/// Prints `gradflow: error: MESSAGE` to stderr and returns the exit to throw, for problems
/// that have no position in a file.
func invalidInput(_ message: String) -> ExitCode {
    printToStandardError("gradflow: error: \(message)")
    return CommandExit.invalidInput
}

/// Refuses an output that is the scene file being read (`export s.scene -o s.scene`, or a chart
/// picture `train t.svg -o t.svg`), under any name: through `./`, a symbolic link or a hard link.
func refuseToOverwrite(scene sceneFile: String?, with output: String) throws {
    var sceneStatus = stat(), outputStatus = stat()
    guard let sceneFile, stat(sceneFile, &sceneStatus) == 0, stat(output, &outputStatus) == 0,
          sceneStatus.st_dev == outputStatus.st_dev, sceneStatus.st_ino == outputStatus.st_ino,
          outputStatus.st_mode & S_IFMT == S_IFREG else { return }
    throw invalidInput("-o \(output) is the scene file itself; write the picture to another file")
}

/// Writes one line (or several) to stderr.
func printToStandardError(_ text: String) {
    var line = text
    if !line.hasSuffix("\n") { line += "\n" }
    line.withUTF8 { StandardStreams.writeError(UnsafeRawBufferPointer($0)) }
}

/// Writes a report to stdout exactly as given (a failed write ends the process: see
/// ``StandardStreams``).
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
        buffer.withUnsafeBytes { StandardStreams.writeOutput($0) }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Warns on stderr when a node's value is NaN or infinite, naming the first such node:
/// `survey.scene: warning: v1 = ln(x1) is NaN where x1 = -1; it is the first node that is not finite`;
/// or, when every value is finite but a gradient is not, naming the contribution where the
/// backward pass first went non-finite. `eval` (`spelledOut`) names parts of its expression
/// rather than the temporaries (`t1`) its user never sees.
func warnIfNotFinite(_ computation: Computation, source: String, spelledOut: Bool = false) {
    warnIfNotFinite(computation.graph, NonFiniteNode(in: computation.graph), NonFiniteContribution.all(in: computation),
                    source: source, spelledOut: spelledOut)
}

/// The same warnings from a gradient report, which has found the non-finite node and
/// contributions already (without sweeping the graph again).
func warnIfNotFinite(_ report: GradientReport, in graph: Graph, source: String, spelledOut: Bool = false) {
    warnIfNotFinite(graph, report.nonFinite, report.nonFiniteContributions, source: source, spelledOut: spelledOut)
}

private func warnIfNotFinite(_ graph: Graph, _ node: NonFiniteNode?, _ contributions: [NonFiniteContribution],
                             source: String, spelledOut: Bool) {
    if let node {
        printToStandardError("\(source): warning: \(spelledOut ? node.messageForExpression(in: graph) : node.message)")
    }
    for contribution in contributions {
        printToStandardError("\(source): warning: \(spelledOut ? contribution.messageForExpression(in: graph) : contribution.message)")
    }
}
