import Foundation

/// What one run of the `gradflow` binary produced.
public struct GradflowRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
}

/// The debug build of the `gradflow` executable that end-to-end tests run, or the one that
/// `GRADFLOW_BINARY` names (`make sanitize` points it at the sanitized build's binary).
public let gradflowBinary: URL = ProcessInfo.processInfo.environment["GRADFLOW_BINARY"].map { URL(fileURLWithPath: $0) }
    ?? repositoryRoot.appendingPathComponent(".build/debug/gradflow")

/// Runs the built `gradflow` with `arguments` (from the repository root, so that paths such as
/// `Scenes/survey.scene` work) and captures its exit status, stdout and stderr.
///
/// - Throws: when the binary is missing (build it first: `swift build`) or cannot be started.
public func runGradflow(_ arguments: [String]) throws -> GradflowRun {
    guard FileManager.default.isExecutableFile(atPath: gradflowBinary.path) else {
        throw GradflowProcessError.notBuilt(gradflowBinary.path)
    }
    return try runProgram(gradflowBinary.path, arguments)
}

/// Why ``runGradflow(_:)`` could not run the binary.
public enum GradflowProcessError: Error, CustomStringConvertible {
    case notBuilt(String)

    public var description: String {
        switch self {
        case .notBuilt(let path): "\(path) does not exist; run `swift build` before the CLI tests"
        }
    }
}

/// Writes `text` to a fresh temporary file named `name` and returns its path, for tests that
/// need a scene of their own.
public func temporaryScene(_ text: String, name: String = "test.scene") throws -> String {
    let directory = Scratch.root
        .appendingPathComponent("gradflow-scene-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let url = directory.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    return url.path
}

/// Runs `script` with bash from the repository root, with `$GRADFLOW` naming the binary under
/// test: for runs whose descriptors a test arranges with the shell's redirections
/// (`"$GRADFLOW" grad S > /dev/full`, `>&-`, a pipe into `head` with SIGPIPE ignored).
public func runGradflowInShell(_ script: String) throws -> GradflowRun {
    guard FileManager.default.isExecutableFile(atPath: gradflowBinary.path) else {
        throw GradflowProcessError.notBuilt(gradflowBinary.path)
    }
    var environment = ProcessInfo.processInfo.environment
    environment["GRADFLOW"] = gradflowBinary.path
    return try runProgram("/bin/bash", ["-c", script], environment: environment)
}

/// Runs a program from the repository root and captures its exit status and output: the one
/// way the tests run a process (gradflow itself, and the tools that check it from outside:
/// strace, Graphviz's `dot`, tmux, pdflatex).
///
/// Output goes through temporary files rather than pipes, so a program that writes a lot to
/// both streams cannot block on a full pipe.
public func runProgram(_ path: String, _ arguments: [String], environment: [String: String]? = nil) throws -> GradflowRun {
    let directory = Scratch.root.appendingPathComponent("gradflow-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out"), err = directory.appendingPathComponent("err")
    _ = FileManager.default.createFile(atPath: out.path, contents: nil)
    _ = FileManager.default.createFile(atPath: err.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    if let environment { process.environment = environment }
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return GradflowRun(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
}
