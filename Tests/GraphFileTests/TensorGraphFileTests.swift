import Foundation
import GradFlow
import GraphFile
import SceneLanguage
import Testing
import TestSupport

/// Tensor nodes in graph files: every tensor scene reads back to the same graph bit for bit,
/// and malformed tensor nodes get one positioned diagnostic each, never a crash.
@Suite struct TensorGraphFileTests {
    static let sceneFiles: [String] = {
        let directory = repositoryRoot.appendingPathComponent("Scenes/tensors")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".scene") }.sorted().map { directory.appendingPathComponent($0).path }
    }()

    @Test func everyTensorSceneIsListed() {
        #expect(Self.sceneFiles.count >= 8)
    }

    @Test(arguments: sceneFiles)
    func everyTensorSceneReadsBackIdentically(path: String) throws {
        let scene = try Scene.load(path: path)
        let text = GraphFile.text(of: scene)
        #expect(text.contains("\"requires\": [\"tensors\"]"))
        let read = try GraphFile.read(bytes: Array(text.utf8), fileName: "x.json")
        let (a, b) = (scene.graph, read.graph)
        #expect(a.ops == b.ops)
        #expect(a.operandStart == b.operandStart && a.operandStorage == b.operandStorage)
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        #expect(a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern))
        for node in a.nodes {
            #expect(a.shape(of: node) == b.shape(of: node), "node \(node)")
            #expect(a.tensor(of: node).elements.map(\.bitPattern) == b.tensor(of: node).elements.map(\.bitPattern), "node \(node)")
            #expect(a.tensorStorage.nodes[node]?.op == b.tensorStorage.nodes[node]?.op, "node \(node)")
        }
        #expect(a.annotations == b.annotations)
        #expect(scene.inputs == read.inputs && scene.outputs == read.outputs)
        #expect(b.checkInvariants())
        // The gradients from the file are the scene's, to the last bit.
        for output in scene.outputs {
            let fromScene = a.tensorGradient(of: output.node), fromFile = b.tensorGradient(of: output.node)
            #expect(fromScene.map(\.input) == fromFile.map(\.input))
            for (x, y) in zip(fromScene, fromFile) { #expect(x.derivative.elements.map(\.bitPattern) == y.derivative.elements.map(\.bitPattern)) }
        }
        #expect(GraphFile.text(of: read) == text)
    }

    /// A file with a 2 × 2 input `W`, a vector constant `x`, `node` as its third node and the sum
    /// of node 2 as its output.
    static func file(third node: String, requires: String = "\"requires\": [\"tensors\"],") -> String {
        """
        {"format": "gradflow-graph", "version": 1, \(requires)
         "nodes": [
          {"op": "input", "name": "W", "tensor": {"shape": [2, 2], "values": [1, 2, 3, 4]}},
          {"op": "constant", "name": "x", "tensor": {"shape": [2], "values": [0.5, -1]}},
          \(node),
          {"op": "tensor", "operands": [2], "tensor": {"kind": "reduce", "reduction": "sum", "shape": [], "values": [0]}}
         ],
         "outputs": [{"node": 3}]}
        """
    }

    static func diagnostic(_ text: String) -> Diagnostic? {
        do {
            _ = try GraphFile.read(bytes: Array(text.utf8), fileName: "bad.json", limits: SceneLimits(maxTensorElements: 100))
            return nil
        } catch {
            return error.diagnostics.count == 1 ? error.diagnostics[0] : nil
        }
    }

    @Test func aWellFormedFileIsRecordedAgainWithTheEnginesRules() throws {
        // W @ x = [1·0.5 − 2, 3·0.5 − 4] = [−1.5, −2.5], summed −4; the file's "values" of the
        // product are wrong on purpose: a computed node's values are gradflow's, not the file's.
        let text = Self.file(third: #"{"op": "tensor", "operands": [0, 1], "tensor": {"kind": "matrixProduct", "shape": [2], "values": [7, 7]}}"#)
        let scene = try GraphFile.read(bytes: Array(text.utf8), fileName: "ok.json")
        #expect(scene.graph.tensor(of: 2).elements == [-1.5, -2.5])
        #expect(isClose(scene.graph.values[3], -4))
        // ∂Σ(W x)/∂W = [x; x] row by row.
        #expect(scene.graph.tensorGradient(of: 3)[0].derivative.elements == [0.5, -1, 0.5, -1])
    }

    static let cases: [(String, String)] = [
        (#"{"op": "tensor", "operands": [0, 1], "tensor": {"kind": "stack", "shape": [2, 2], "values": []}}"#,
         "nodes[2].tensor: cannot stack [2, 2] and [2]"),
        (#"{"op": "tensor", "operands": [0, 0], "tensor": {"kind": "matrixProduct", "shape": [2], "values": []}}"#,
         "nodes[2].tensor.shape: the node computes shape [2, 2] from its operands, not [2]"),
        (#"{"op": "tensor", "operands": [0, 1], "tensor": {"kind": "matrixProduct", "shape": [3], "values": []}}"#,
         "nodes[2].tensor.shape: the node computes shape [2] from its operands, not [3]"),
        (#"{"op": "tensor", "operands": [0], "tensor": {"kind": "spin", "shape": [2], "values": []}}"#,
         "nodes[2].tensor.kind: `spin` is not a kind of tensor node gradflow knows"),
        (#"{"op": "tensor", "operands": [0], "tensor": {"kind": "elementwise", "function": "multiply", "shape": [2, 2], "values": []}}"#,
         "nodes[2].tensor.function: `multiply` is not an op of gradflow taking 1 operand element by element"),
        (#"{"op": "tensor", "operands": [0], "tensor": {"kind": "elementwise", "function": "powerConstant", "shape": [2, 2], "values": []}}"#,
         "nodes[2].tensor: the key \"parameter\" is missing"),
        (#"{"op": "tensor", "operands": [0], "tensor": {"kind": "index", "index": [5, ":"], "shape": [2], "values": []}}"#,
         "nodes[2].tensor: index 5 is out of range for axis 0 of [2, 2]"),
        (#"{"op": "tensor", "operands": [0], "tensor": {"kind": "reduce", "reduction": "median", "shape": [2], "values": []}}"#,
         "nodes[2].tensor.reduction: expected \"sum\", \"mean\" or \"max\""),
        (#"{"op": "tensor", "operands": [0], "tensor": {"kind": "normalize", "normalization": "softmax", "axis": 7, "shape": [2, 2], "values": []}}"#, ""),
        (#"{"op": "tensor", "operands": [0], "tensor": {"kind": "reshape", "shape": [3], "values": []}}"#, "cannot reshape [2, 2]"),
        (#"{"op": "tensor", "operands": [0]}"#, "nodes[2]: a `tensor` node needs a \"tensor\" object"),
        (#"{"op": "multiply", "operands": [0, 1], "tensor": {"kind": "matrixProduct", "shape": [2], "values": []}}"#,
         "nodes[2].tensor: only `tensor` nodes and leaves carry a \"tensor\" object"),
        (#"{"op": "constant", "tensor": {"shape": [2, 2], "values": [1, 2, 3]}}"#, "nodes[2].tensor.values: 3 values for shape [2, 2], which holds 4"),
        (#"{"op": "constant", "tensor": {"shape": [2, 0], "values": []}}"#, "nodes[2].tensor.shape[1]: a dimension is at least 1"),
        (#"{"op": "constant", "tensor": {"shape": [1, 1, 1, 1, 1], "values": [1]}}"#, "nodes[2].tensor.shape: a tensor has at most 4 axes, not 5"),
        (#"{"op": "constant", "tensor": {"shape": [2], "values": [1, "NaN"]}}"#, "nodes[2].tensor.values[1]: a leaf's value must be a finite number"),
        (#"{"op": "constant", "tensor": {"shape": [200], "values": []}}"#, ""),
        (#"{"op": "constant", "tensor": {"shape": [99999, 99999, 99999], "values": []}}"#, "the shape holds more than"),
    ]

    @Test func eachMalformedTensorNodeGetsOnePositionedError() {
        for (node, message) in Self.cases {
            let found = Self.diagnostic(Self.file(third: node))
            #expect(found != nil, "\(node) was read")
            #expect(found.map { $0.line >= 1 && $0.column >= 1 } ?? false, "\(node)")
            if !message.isEmpty { #expect(found?.message.contains(message) ?? false, "\(node): \(found?.message ?? "nil")") }
        }
        let tooLarge = "{\"op\": \"constant\", \"tensor\": {\"shape\": [101], \"values\": [" + Array(repeating: "0", count: 101).joined(separator: ", ") + "]}}"
        #expect(Self.diagnostic(Self.file(third: tooLarge))?.message.contains("the graph's tensors hold more than 100 elements in all") == true)
        // Without the extension a reader that knows it still reads the file (it is named for older readers).
        let unnamed = Self.file(third: #"{"op": "tensor", "operands": [0, 1], "tensor": {"kind": "matrixProduct", "shape": [2], "values": [0, 0]}}"#, requires: "")
        #expect(Self.diagnostic(unnamed) == nil)
    }

    @Test func randomBytesAndTruncationsOfATensorFileNeverCrash() throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/tensors/batch-softmax.scene").path)
        HostileGraphFileTests.expectCutsAndMutationsNeverCrash(Array(GraphFile.text(of: scene).utf8), seed: 2_024, cuts: 150) { read in
            _ = read.graph.tensorAdjoints(from: read.outputs[0].node)
        }
    }

    @Test func movingAnInputElementRecordsTheGraphAgain() throws {
        // check of a tensor graph file moves one element and evaluates the recorded ops again:
        // Σ W x with W[1, 0] = 3 + 0.25 gives −4 + 0.25 · 0.5.
        let text = Self.file(third: #"{"op": "tensor", "operands": [0, 1], "tensor": {"kind": "matrixProduct", "shape": [2], "values": [0, 0]}}"#)
        let scene = try GraphFile.read(bytes: Array(text.utf8), fileName: "ok.json")
        let moved = try #require(GraphFile.outputValues(of: scene, moving: ["W[2]": 3.25]))
        #expect(moved.count == 1 && isClose(moved[0], -4 + 0.125))
    }
}
