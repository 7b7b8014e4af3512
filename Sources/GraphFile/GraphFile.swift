import Foundation
import GradFlow
import SceneLanguage

/// gradflow's graph file: a recorded graph as versioned JSON (see docs/capture.md for the
/// format's reference).
///
/// `gradflow export SCENE -o lesson.json` writes one; the Python package `gradflow_capture`
/// writes the same from micrograd, PyTorch or JAX; every command that takes a scene takes one.
public enum GraphFile {
    /// The value of the file's `"format"` key.
    public static let formatName = "gradflow-graph"
    /// The format version this gradflow writes and reads. A reader refuses a larger version: a
    /// version changes only when an existing key changes meaning.
    public static let version = 1
    /// The extensions (the file's `"requires"` list) this reader understands. Additions that a
    /// version 1 reader would misread (tensor data) are named in `"requires"`, so that such a
    /// reader refuses the file with a clear message instead of reading it wrong.
    public static let understoodExtensions: Set<String> = [tensorsExtension]
    /// The largest graph file read, in bytes: about two million scalar nodes.
    public static let maxBytes = 256 << 20

    /// The serialised name of each op: its case name in the engine's op table (`multiply`,
    /// `powerConstant`, `tanh`), so that every op the table has is carried by name.
    public static func name(of op: Op) -> String { "\(op)" }

    /// The op a serialised name stands for, if the op table has it.
    public static func op(named name: String) -> Op? { opsByName[name] }

    /// The ops a file may name (``Op/tensor`` with the `"tensors"` extension: GraphFile+Tensors.swift).
    public static let carriedOps = Op.allCases

    private static let opsByName: [String: Op] = Dictionary(uniqueKeysWithValues: carriedOps.map { (name(of: $0), $0) })

    /// Whether `bytes` (the start of a file is enough) look like a graph file rather than a scene:
    /// the first character that is not white space is `{`, which can never start a scene.
    public static func looksLikeGraphFile<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bool {
        var rest = bytes[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }  // a UTF-8 byte order mark
        return rest.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D } == UInt8(ascii: "{")
    }

    /// Whether the file at `path` is a graph file (reads at most its first 4 KiB).
    public static func isGraphFile(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let start = try? handle.read(upToCount: 4096) else { return false }
        return looksLikeGraphFile(start)
    }

    /// Loads `path` as a graph file when it is one, and as a scene otherwise: the one place every
    /// command reads its input. Local derivatives that disagree with gradflow's rules are passed
    /// to `warn`, one line each (at most ``RuleCheck/reportedLimit`` and a count of the rest).
    public static func loadSceneOrGraph(
        path: String, limits: SceneLimits, warn: (String) -> Void
    ) throws(SceneError) -> Scene {
        guard isGraphFile(path: path) else { return try Scene.load(path: path, limits: limits) }
        let scene = try load(path: path, limits: limits)
        for line in RuleCheck.warnings(in: scene.graph, fileName: path) { warn(line) }
        // Names come from another program (a Python `ν` beside a `v`): warned about, not refused.
        let named = scene.graph.annotations.names.sorted { $0.key < $1.key }
        for problem in NameSafety.problems(among: named.map(\.value)).prefix(RuleCheck.reportedLimit) {
            warn("\(path): warning: node \(named[problem.index].key): \(problem.message)")
        }
        return scene
    }

    /// Reads and checks the graph file at `path`.
    ///
    /// - Throws: ``SceneError`` with one positioned diagnostic for a file that cannot be read, is
    ///   larger than ``maxBytes``, is not JSON, or is JSON that is not a consistent graph.
    public static func load(path: String, limits: SceneLimits = .standard) throws(SceneError) -> Scene {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw failure(path, "no such file") }
        guard !isDirectory.boolValue else { throw failure(path, "is a directory, not a graph file") }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw failure(path, "cannot be read (permission denied?)") }
        defer { try? handle.close() }
        let data: Data
        do {
            // At most one byte past the limit, so that a 2 GB file or /dev/zero stops early.
            data = try handle.read(upToCount: maxBytes + 1) ?? Data()
        } catch {
            throw failure(path, "cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= maxBytes else {
            throw failure(path, "the graph file is larger than \(maxBytes >> 20) MiB, the limit for a graph file")
        }
        return try read(bytes: [UInt8](data), fileName: path, limits: limits)
    }

    /// Reads a graph file's bytes; `fileName` is only used in diagnostics.
    public static func read(bytes: [UInt8], fileName: String, limits: SceneLimits = .standard) throws(SceneError) -> Scene {
        let root: JSONNode
        do throws(JSONSyntaxError) {
            root = try JSONParser.parse(bytes)
        } catch {
            throw SceneError(diagnostics: [FilePosition.diagnostic(in: bytes, at: error.offset, fileName: fileName, message: error.message)])
        }
        var reader = GraphFileReader(bytes: bytes, fileName: fileName, limits: limits)
        do throws(Diagnostic) {
            return try reader.scene(from: root)
        } catch {
            throw SceneError(diagnostics: [error])
        }
    }

    static func failure(_ path: String, _ message: String) -> SceneError {
        SceneError(diagnostics: [Diagnostic(fileName: path, line: 0, column: 0, message: message, sourceLine: "")])
    }
}

/// Turning a byte offset into a line, a column and the line's text for a diagnostic.
enum FilePosition {
    /// Lines longer than this are not quoted (a minified file is one line of megabytes): the
    /// diagnostic then names the line and column in its message.
    static let longestQuotedLine = 4096

    static func diagnostic(in bytes: [UInt8], at offset: Int, fileName: String, message: String) -> Diagnostic {
        let offset = Swift.min(Swift.max(0, offset), bytes.count)
        let lineStart = bytes[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        var line = 1
        for byte in bytes[..<lineStart] where byte == 0x0A { line += 1 }
        var lineEnd = bytes[offset...].firstIndex(of: 0x0A) ?? bytes.count
        if lineEnd > lineStart, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        let column = String(decoding: bytes[lineStart..<offset], as: UTF8.self).count + 1
        if lineEnd - lineStart > longestQuotedLine {
            return Diagnostic(fileName: fileName, line: 0, column: 0,
                              message: "line \(line), column \(column): \(message)", sourceLine: "")
        }
        return Diagnostic(fileName: fileName, line: line, column: column, message: message,
                          sourceLine: String(decoding: bytes[lineStart..<Swift.max(lineStart, lineEnd)], as: UTF8.self))
    }
}
