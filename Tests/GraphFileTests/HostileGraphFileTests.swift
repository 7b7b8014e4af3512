import Foundation
import GradFlow
import GraphFile
import SceneLanguage
import Testing
import TestSupport

/// Malformed and inconsistent graph files: one positioned diagnostic each, never a crash.
@Suite struct HostileGraphFileTests {
    /// A valid two-input file with `node` spliced in as its third node.
    static func file(third node: String, outputs: String = "[{\"node\": 2}]", extra: String = "") -> String {
        """
        {"format": "gradflow-graph", "version": 1,\(extra)
         "nodes": [
          {"op": "input", "name": "a", "value": 2},
          {"op": "input", "name": "b", "value": 3},
          \(node)
         ],
         "outputs": \(outputs)}
        """
    }

    static func diagnostic(_ text: String, limits: SceneLimits = .standard) -> Diagnostic? {
        do {
            _ = try GraphFile.read(bytes: Array(text.utf8), fileName: "bad.json", limits: limits)
            return nil
        } catch {
            return error.diagnostics.first
        }
    }

    struct Case: Sendable, CustomStringConvertible {
        let text: String
        let message: String
        let line: Int
        let column: Int
        var description: String { message }
    }

    static let cases: [Case] = [
        Case(text: file(third: #"{"op": "multiply", "operands": [0, 3], "partials": [3, 2], "value": 6}"#),
             message: "nodes[2].operands[1]: operand 3 is not an earlier node", line: 5, column: 38),
        Case(text: file(third: #"{"op": "multiply", "operands": [0, 2], "partials": [3, 2], "value": 6}"#),
             message: "nodes[2].operands[1]: operand 2 is not an earlier node", line: 5, column: 38),
        Case(text: file(third: #"{"op": "multiply", "operands": [0, 1], "partials": [3], "value": 6}"#),
             message: "nodes[2].partials: 1 local derivative for 2 operands", line: 5, column: 54),
        Case(text: file(third: #"{"op": "multiply", "operands": [0], "partials": [3], "value": 6}"#),
             message: "nodes[2].operands: `multiply` takes 2 operands, not 1", line: 5, column: 34),
        Case(text: file(third: #"{"op": "erf", "operands": [0], "partials": [3], "value": 6}"#),
             message: "nodes[2].op: `erf` is not an op gradflow knows", line: 5, column: 10),
        Case(text: file(third: #"{"op": "tanh", "operands": [0], "partials": [NaN], "value": 6}"#),
             message: "NaN and Infinity are not JSON numbers", line: 5, column: 48),
        Case(text: file(third: #"{"op": "tanh", "operands": [0], "partials": ["nan"], "value": 1}"#),
             message: "nodes[2].partials[0]: expected a number (or \"NaN\"", line: 5, column: 48),
        Case(text: file(third: #"{"op": "input", "value": "NaN"}"#),
             message: "nodes[2].value: a leaf's value must be a finite number, not NaN", line: 5, column: 28),
        Case(text: file(third: #"{"op": "tanh", "operands": [0], "partials": [1], "value": 1e999}"#),
             message: "the number 1e999 is too large for a Double", line: 5, column: 61),
        Case(text: file(third: #"{"op": "tanh", "operands": [0], "partials": [1]}"#),
             message: "nodes[2]: the key \"value\" is missing", line: 5, column: 3),
        Case(text: file(third: #"{"op": "powerConstant", "operands": [0], "partials": [4], "value": 4}"#),
             message: "nodes[2]: `powerConstant` needs a \"parameter\"", line: 5, column: 3),
        Case(text: file(third: #"{"op": "add", "operands": [0, 1], "partials": [1, 1], "value": 5, "name": "\u001b[2J"}"#),
             message: "nodes[2].name: the string holds the control character U+001B", line: 5, column: 77),
        Case(text: file(third: #"{"op": "add", "operands": [0, 1], "partials": [1, 1], "value": 5, "id": 7}"#),
             message: "nodes[2].id: the id is 7 but the node is number 2", line: 5, column: 75),
        Case(text: file(third: #"{"op": "add", "operands": [0, 1], "partials": [1, 1], "value": 5}"#, outputs: "[]"),
             message: "outputs: the graph has no output", line: 7, column: 13),
        Case(text: file(third: #"{"op": "add", "operands": [0, 1], "partials": [1, 1], "value": 5}"#, outputs: #"[{"node": 9}]"#),
             message: "outputs[0].node: 9 is not a node number", line: 7, column: 23),
        Case(text: file(third: #"{"op": "add", "operands": [0, 1], "partials": [1, 1], "value": 5}"#, extra: #" "requires": ["sparse"],"#),
             message: "requires[0]: the graph needs `sparse`, which this gradflow does not read", line: 1, column: 57),
        Case(text: #"{"format": "gradflow-graph", "version": 2, "nodes": [], "outputs": []}"#,
             message: "version: the file is version 2 of the graph format; this gradflow reads version 1", line: 1, column: 41),
        Case(text: #"{"format": "netron", "version": 1}"#,
             message: "this JSON is not a gradflow graph file", line: 1, column: 12),
        Case(text: "{\"format\": \"gradflow-graph\",\n \"version\": 1,\n \"nodes\": [\n  {\"op\": \"input\" \"value\": 1}]}",
             message: "expected `,` or `}` in an object, found `\"`", line: 4, column: 18),
        Case(text: #"{"format": "gradflow-graph", "format": "gradflow-graph"}"#,
             message: "the key \"format\" appears twice", line: 1, column: 30),
        Case(text: "{\"format\": \"gradflow-graph\", \"version\": 1, \"nodes\": [", message: "the file ends where a value should be", line: 1, column: 54),
    ]

    @Test(arguments: cases)
    func eachBadFileGetsOnePositionedError(_ bad: Case) throws {
        let diagnostic = try #require(Self.diagnostic(bad.text), "accepted: \(bad.text)")
        #expect(diagnostic.message.contains(bad.message), "\(diagnostic.message)")
        #expect(diagnostic.line == bad.line && diagnostic.column == bad.column, "\(diagnostic.rendered)")
        #expect(diagnostic.fileName == "bad.json")
    }

    @Test func groupsMustNest() throws {
        let node = #"{"op": "add", "operands": [0, 1], "partials": [1, 1], "value": 5}"#
        let overlapping = Self.file(third: node, extra: #" "groups": [{"label": "f", "first": 0, "count": 2}, {"label": "g", "first": 1, "count": 2}],"#)
        #expect(Self.diagnostic(overlapping)?.message.contains("groups[1]: it overlaps group 0 without being nested in it") == true)
        let outside = Self.file(third: node, extra: #" "groups": [{"label": "f", "first": 0, "count": 2}, {"label": "g", "first": 1, "count": 2, "parent": 0}],"#)
        #expect(Self.diagnostic(outside)?.message.contains("not all inside its parent group 0") == true)
        let pastTheEnd = Self.file(third: node, extra: #" "groups": [{"label": "f", "first": 2, "count": 5}],"#)
        #expect(Self.diagnostic(pastTheEnd)?.message.contains("groups[0].count: 5 nodes from node 2 run past the last node, 2") == true)
        let nested = Self.file(third: node, extra: #" "groups": [{"label": "f", "first": 0, "count": 3}, {"label": "g", "first": 1, "count": 2, "parent": 0}],"#)
        let scene = try GraphFile.read(bytes: Array(nested.utf8), fileName: "ok.json")
        #expect(scene.graph.annotations.groupOfNode == [0: 0, 1: 1, 2: 1])
    }

    @Test func deepNestingStopsAtTheLimitWithoutRecursingFurther() throws {
        let text = #"{"format": "gradflow-graph", "version": 1, "nodes": "# + String(repeating: "[", count: 1_000_000)
        let diagnostic = try #require(Self.diagnostic(text))
        #expect(diagnostic.message.contains("nested deeper than 64 levels"))
    }

    @Test func theNodeLimitNamesItsFlag() throws {
        let text = Self.file(third: #"{"op": "add", "operands": [0, 1], "partials": [1, 1], "value": 5}"#)
        var limits = SceneLimits.standard
        limits.maxNodes = 2
        #expect(Self.diagnostic(text, limits: limits)?.message.contains("more than 2 nodes, the limit (raise it with --max-nodes)") == true)
    }

    @Test func aMinifiedFileNamesTheLineAndColumnInTheMessage() throws {
        let padding = String(repeating: " ", count: 5000)
        let text = #"{"format": "gradflow-graph","# + padding + #""version": "one"}"#
        let diagnostic = try #require(Self.diagnostic(text))
        #expect(diagnostic.line == 0)
        #expect(diagnostic.message == "line 1, column 5040: version: expected a whole number from 0, found a string")
    }

    @Test func badUTF8InAStringIsAnErrorNotAReplacement() throws {
        var bytes = Array(#"{"format": "gradflow-graph", "version": 1, "title": "ab"#.utf8)
        bytes += [0xC3, 0x28]
        bytes += Array(#"", "nodes": []}"#.utf8)
        #expect(throws: SceneError.self) { try GraphFile.read(bytes: bytes, fileName: "utf8.json") }
        do { _ = try GraphFile.read(bytes: bytes, fileName: "utf8.json") } catch {
            #expect(error.diagnostics[0].message == "the string is not valid UTF-8")
        }
    }

    @Test func randomBytesAndTruncationsNeverCrash() throws {
        let scene = try Scene.load(path: repositoryRoot.appendingPathComponent("Scenes/neuron-exp.scene").path)
        Self.expectCutsAndMutationsNeverCrash(Array(GraphFile.text(of: scene).utf8), seed: 1_337, cuts: 200) { read in
            _ = read.graph.gradient(of: read.outputs[0].node)
        }
    }

    /// Cuts a good graph file at about `cuts` lengths (each must be a clean error) and changes
    /// three random bytes of it 300 times (each a clean error, or a graph that satisfies the
    /// engine's invariants, which `sweep` then differentiates).
    static func expectCutsAndMutationsNeverCrash(_ good: [UInt8], seed: UInt64, cuts: Int, sweep: (Scene) -> Void) {
        var generator = SeededGenerator(seed: seed)
        for length in stride(from: 0, to: good.count - 2, by: Swift.max(1, good.count / cuts)) {  // the last 2 bytes are "}\n"
            #expect(throws: SceneError.self) { try GraphFile.read(bytes: Array(good[..<length]), fileName: "cut.json") }
        }
        for _ in 0..<300 {
            var mutated = good
            for _ in 0..<3 { mutated[Int.random(in: 0..<mutated.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator) }
            if let read = try? GraphFile.read(bytes: mutated, fileName: "mutated.json") {
                #expect(read.graph.checkInvariants())
                sweep(read)
            }
        }
    }
}

/// The fuzzer's graph-file inputs (those starting with `{` in Fuzz/seeds and Fuzz/corpus),
/// replayed as `Fuzz/FuzzScene.swift`'s graph mode does: a clean error or a consistent graph.
@Suite struct GraphFileFuzzCorpusTests {
    static let limits = SceneLimits(maxNodes: 20_000, maxNestingDepth: 200, maxSourceBytes: 1 << 20, maxCallDepth: 200)

    @Test func everyGraphInputReadsOrGetsOnePositionedDiagnostic() throws {
        var read = 0
        for folder in ["Fuzz/seeds", "Fuzz/corpus"] {
            let directory = repositoryRoot.appendingPathComponent(folder)
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
                let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
                guard GraphFile.looksLikeGraphFile(bytes) else { continue }
                do {
                    let scene = try GraphFile.read(bytes: bytes, fileName: name, limits: Self.limits)
                    #expect(scene.graph.checkInvariants(), "\(name)")
                    _ = scene.graph.adjoints(from: scene.outputs[0].node)
                    read += 1
                } catch {
                    #expect(error.diagnostics.count == 1, "\(name)")
                    #expect(error.diagnostics.allSatisfy { !$0.message.isEmpty && ($0.line == 0 || $0.column >= 1) }, "\(name)")
                }
            }
        }
        #expect(read >= 4)
    }
}
