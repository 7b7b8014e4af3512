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
let fuzzLimits = SceneLimits(maxNodes: 20_000, maxNestingDepth: 200, maxSourceBytes: 1 << 20, maxCallDepth: 200, maxTensorElements: 1 << 20)

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    installCPUBudget()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    withinCPUBudget { fuzzScene(data, size) }
}

func fuzzScene(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
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
    if graph.hasTensors { exerciseTensors(scene) }
}

/// What `grad` and `check` do with a tensor scene: the tensor reverse sweep, forward mode seeded
/// at the first and last element of an input, and the scalar view of each tensor backward step.
func exerciseTensors(_ scene: Scene) {
    let graph = scene.graph
    let adjoints = graph.tensorAdjoints(from: scene.outputs[0].node)
    _ = graph.tensorGradient(of: scene.outputs[0].node)
    for input in scene.inputs.prefix(4) {
        let count = graph.tensor(of: input.node).count
        precondition(adjoints.adjoint(of: input.node, in: graph).count == count, "an input's gradient without its shape")
        for element in Set([0, count - 1]) {
            _ = graph.tensorTangents(withRespectTo: input.node, element: element).tangent(of: scene.outputs[0].node, in: graph)
        }
    }
    // A matrix product opens into m·n·k contributions: only small steps, as the stepper opens them.
    for node in graph.nodes.prefix(64) where graph.isTensor(node) {
        for (index, operand) in graph.operands(of: node).enumerated()
        where graph.tensor(of: node).count * graph.tensor(of: operand).count <= 1 << 16 {
            _ = graph.elementContributions(of: node, operand: index)
        }
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
