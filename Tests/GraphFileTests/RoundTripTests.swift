import Foundation
import GradFlow
import GraphFile
import SceneLanguage
import Testing
import TestSupport

/// Writing a traced scene as a graph file and reading it back gives the same graph, bit for bit.
@Suite struct RoundTripTests {
    static let sceneFiles: [String] = {
        let directory = repositoryRoot.appendingPathComponent("Scenes")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".scene") }.sorted().map { directory.appendingPathComponent($0).path }
    }()

    @Test(arguments: sceneFiles)
    func everySceneReadsBackIdentically(path: String) throws {
        let scene = try Scene.load(path: path)
        let text = GraphFile.text(of: scene)
        let read = try GraphFile.read(bytes: Array(text.utf8), fileName: "x.json")
        let (a, b) = (scene.graph, read.graph)
        #expect(a.ops == b.ops)
        #expect(a.operandStart == b.operandStart && a.operandStorage == b.operandStorage)
        // Bit for bit: the shortest round-tripping decimal reads back to the same Double.
        #expect(a.values.map(\.bitPattern) == b.values.map(\.bitPattern))
        #expect(a.partialStorage.map(\.bitPattern) == b.partialStorage.map(\.bitPattern))
        #expect(a.parameters.map(\.bitPattern) == b.parameters.map(\.bitPattern))
        #expect(a.annotations == b.annotations)
        #expect(scene.inputs == read.inputs)
        #expect(scene.outputs == read.outputs)
        #expect(RuleCheck.disagreements(in: b).isEmpty)
        // Written again, the same text: nothing is lost or added on the way.
        #expect(GraphFile.text(of: read) == text)
    }

    @Test func surveyGradientFromTheFileIsThePublishedOne() throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/survey.scene").path)
        let read = try GraphFile.read(bytes: Array(GraphFile.text(of: scene).utf8), fileName: "survey.json")
        let gradient = read.graph.gradient(of: read.outputs[0].node)
        // Baydin et al. (2018), Table 3: ∂f/∂x1 = 5.5, ∂f/∂x2 = x1 − cos(x2).
        #expect(isClose(gradient[0].derivative, 5.5))
        #expect(isClose(gradient[1].derivative, 2 - Foundation.cos(5.0)))
    }

    @Test func nonFiniteNumbersTravelAsStrings() throws {
        let scene = try Scene.parse(source: "input x = 1\ny = ln(x - 2)\nz = sqrt(x - 5)\nf = y + z\noutput f", fileName: "nan.scene")
        let text = GraphFile.text(of: scene)
        #expect(text.contains("\"NaN\""))
        let read = try GraphFile.read(bytes: Array(text.utf8), fileName: "nan.json")
        #expect(read.graph.values.last!.isNaN)
        #expect(RuleCheck.disagreements(in: read.graph).isEmpty)
    }

    @Test func stringsAreEscaped() throws {
        var scene = try Scene.parse(source: "input x = 1\nf = x * 2\noutput f", fileName: "s.scene")
        scene.graph.annotations.notes[1] = "line one\nsaid \"two\" \\ three"
        let read = try GraphFile.read(bytes: Array(GraphFile.text(of: scene).utf8), fileName: "s.json")
        #expect(read.graph.annotations.notes[1] == "line one\nsaid \"two\" \\ three")
    }

    @Test func opNamesAreTheOpTablesAndStable() {
        // The format's names: a rename in the engine must not silently change what files mean.
        #expect(GraphFile.name(of: .multiply) == "multiply")
        #expect(GraphFile.name(of: .powerConstant) == "powerConstant")
        #expect(GraphFile.name(of: .tanh) == "tanh")
        for op in GraphFile.carriedOps { #expect(GraphFile.op(named: GraphFile.name(of: op)) == op) }
        // Tensor nodes carry their shapes and values in the "tensors" extension (TensorGraphFileTests).
        #expect(GraphFile.op(named: "tensor") == .tensor)
    }

    @Test func everyOpOfTheTableIsCarriedBitForBit() throws {
        var graph = Graph()
        let a = graph.appendLeaf(.input, value: 0.7, name: "a")
        let b = graph.appendLeaf(.input, value: 1.3, name: "b")
        for op in Op.allCases where !op.isLeaf && op != .tensor {
            switch op.arity {
            case 1?: graph.append(op, a, parameter: op.hasParameter ? 2.5 : 0)
            case 2?: graph.append(op, a, b)
            default: graph.appendVariadic(op, [a, b, a])
            }
        }
        let last = graph.count - 1
        graph.annotations.outputs = [.init(name: "y", node: last)]
        let scene = Scene(fileName: "ops", source: "", graph: graph)
        let read = try GraphFile.read(bytes: Array(GraphFile.text(of: scene).utf8), fileName: "ops.json")
        #expect(read.graph.ops == graph.ops)
        #expect(read.graph.values.map(\.bitPattern) == graph.values.map(\.bitPattern))
        #expect(read.graph.partialStorage.map(\.bitPattern) == graph.partialStorage.map(\.bitPattern))
        #expect(read.graph.parameters.map(\.bitPattern) == graph.parameters.map(\.bitPattern))
        #expect(RuleCheck.disagreements(in: read.graph).isEmpty)
    }

    @Test func repeatedNamesGetVersionsThatCollideWithNothing() throws {
        // A file may itself use a versioned name (`w₂`); the repeats of `w` skip it.
        let nodes = ["w", "w", "w₂", "w", "0.5", "0.5"].map { #"{"op": "input", "name": "\#($0)", "value": 1}"# }
        let text = #"{"format": "gradflow-graph", "version": 1, "nodes": ["# + nodes.joined(separator: ", ")
            + #", {"op": "sum", "operands": [0, 1, 2, 3, 4, 5], "partials": [1, 1, 1, 1, 1, 1], "value": 6}], "outputs": [{"node": 6}]}"#
        let read = try GraphFile.read(bytes: Array(text.utf8), fileName: "versions.json")
        #expect(read.inputs.map(\.name) == ["w", "w₃", "w₂", "w₄", "0.5", "0.5₂"])
    }

    @Test func duplicateAndMissingNamesAreMadeUnique() throws {
        let text = """
            {"format": "gradflow-graph", "version": 1, "nodes": [
              {"op": "input", "name": "w", "value": 2},
              {"op": "input", "name": "w", "value": 3},
              {"op": "multiply", "operands": [0, 1], "partials": [3, 2], "value": 6}
            ], "outputs": [{"node": 2}]}
            """
        let read = try GraphFile.read(bytes: Array(text.utf8), fileName: "dup.json")
        #expect(read.inputs.map(\.name) == ["w", "w₂"])
        #expect(read.outputs.map(\.name) == ["n2"])
        #expect(read.graph.gradient(of: 2).map(\.derivative) == [3, 2])
    }
}
