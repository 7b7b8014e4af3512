// The libFuzzer entry point over the scene language: bytes → UTF-8 check → lexer, parser,
// checker, tracer → diagnostics rendered, or the recorded graph swept both ways. An input that
// starts with `=` is an expression for `gradflow eval` (inputs x and w) instead of a scene; one
// that starts with `{` is a graph file (the reader of GraphFile, as every command sniffs it).
//
// Built only by Fuzz/build.sh (libFuzzer supplies `main`), never by `swift build`.

import GradFlow
import GraphFile
@testable import SceneLanguage

/// Limits small enough that the fuzzer spends its time on the grammar rather than on
/// million-node loops, yet large enough that every limit can be reached from a short input.
let fuzzLimits = SceneLimits(maxNodes: 20_000, maxNestingDepth: 200, maxSourceBytes: 1 << 20, maxCallDepth: 200)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    if GraphFile.looksLikeGraphFile(bytes) { return fuzzGraphFile(bytes) }
    // The same path as `Scene.load`: reject bad UTF-8 with a positioned diagnostic first.
    if let bad = SourceFile.firstInvalidUTF8(bytes) {
        let diagnostic = SourceFile.invalidUTF8(bytes, at: bad, fileName: "fuzz.scene")
        precondition(diagnostic.line >= 1 && diagnostic.column >= 1, "invalid UTF-8 diagnostic without a position")
        _ = diagnostic.rendered
        return 0
    }
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        // A leading `=` (never valid in a scene) selects `gradflow eval`'s path instead.
        let scene = text.hasPrefix("=")
            ? try Scene.expression(String(text.dropFirst()), values: [("x", 2), ("w", -1.5)], limits: fuzzLimits)
            : try Scene.parse(source: text, fileName: "fuzz.scene", limits: fuzzLimits)
        exercise(scene)
    } catch {
        precondition(!error.diagnostics.isEmpty, "a SceneError without a diagnostic")
        for diagnostic in error.diagnostics {
            precondition(diagnostic.message.isEmpty == false, "an empty diagnostic message")
            precondition(diagnostic.line == 0 || diagnostic.column >= 1, "a diagnostic at column \(diagnostic.column)")
        }
        _ = error.description
    }
    return 0
}

/// Everything the tools do with a traced scene that could trip over a strange graph.
func exercise(_ scene: Scene) {
    let graph = scene.graph
    precondition(!scene.outputs.isEmpty, "a scene traced without an output")
    for output in scene.outputs {
        _ = graph.adjoints(from: output.node)
        _ = graph.gradient(of: output.node)
    }
    for input in scene.inputs.prefix(4) {
        _ = graph.tangents(withRespectTo: input.node)
    }
    let timeline = Timeline(graph: graph, mode: .reverse(output: scene.outputs[0].node))
    for k in stride(from: 0, through: timeline.count, by: Swift.max(1, timeline.count / 16)) {
        _ = timeline.step(Swift.max(1, k))
    }
    for node in graph.nodes.prefix(64) {
        _ = graph.label(of: node)
        _ = graph.expression(of: node)
    }
}

/// The graph-file mode: a clean positioned error, or a graph that keeps the engine's invariants
/// and survives everything the tools do with it (and the rule check).
func fuzzGraphFile(_ bytes: [UInt8]) -> Int32 {
    do {
        let scene = try GraphFile.read(bytes: bytes, fileName: "fuzz.json", limits: fuzzLimits)
        precondition(scene.graph.checkInvariants(), "a graph file read into a graph that breaks the invariants")
        exercise(scene)
        _ = RuleCheck.warnings(in: scene.graph, fileName: "fuzz.json")
        _ = GraphFile.text(of: scene)
    } catch {
        precondition(error.diagnostics.count == 1, "a graph file error without exactly one diagnostic")
        let diagnostic = error.diagnostics[0]
        precondition(!diagnostic.message.isEmpty, "an empty diagnostic message")
        precondition(diagnostic.line == 0 || diagnostic.column >= 1, "a diagnostic at column \(diagnostic.column)")
        _ = error.description
    }
    return 0
}
