import Foundation
import GradFlow
import Testing
import TestSupport

/// `--wrt W[0, 1]`: one element of a tensor input, read and resolved the same way for every
/// command (through ``WalkChoice``), its tangents checked against central differences.
@Suite struct ElementWrtTests {
    @Test func anElementIsReadAsTheSceneLanguageIndexes() throws {
        let reference = try ElementReference("W[0, 1]")
        #expect(reference.name == "W" && reference.indices == [0, 1])
        #expect(try reference.offset(in: [2, 3]) == 1)
        #expect(try ElementReference("W[1,-1]").offset(in: [2, 3]) == 5)
        #expect(try ElementReference("b[-1]").offset(in: [4]) == 3)
        #expect(try ElementReference("x").offset(in: []) == 0)
        #expect(ElementReference.label("W", offset: 5, in: [2, 3]) == "W[1, 2]")
        #expect(ElementReference.label("x", offset: 0, in: []) == "x")
    }

    @Test(arguments: [
        ("W[5, 0]", [2, 2], "--wrt W[5, 0]: index 5 is out of range for axis 0 of W (size 2: from -2 to 1)"),
        ("W[0, -3]", [2, 2], "--wrt W[0, -3]: index -3 is out of range for axis 1 of W (size 2: from -2 to 1)"),
        ("W[0]", [2, 2], "--wrt W[0]: W is a [2, 2] tensor; name one element with 2 indices, e.g. W[0, 0]"),
        ("b[0, 0]", [3], "--wrt b[0, 0]: b is a [3] tensor; name one element with 1 index, e.g. b[0]"),
        ("x[0]", [], "--wrt x[0]: x is a scalar input and has no elements to index; write --wrt x"),
        ("W", [2, 2], "--wrt W: W is a [2, 2] tensor; name one element, e.g. --wrt 'W[0, 0]'"),
    ])
    func aMistakeIsOneLineNamingTheIndex(text: String, shape: [Int], message: String) throws {
        #expect(throws: WalkError(message)) { try ElementReference(text).offset(in: shape) }
    }

    @Test(arguments: ["W[", "W[0,", "W[a]", "W[0]]", "[0]", "W[]"])
    func bracketsMustHoldIntegers(text: String) {
        #expect(throws: WalkError("--wrt \(text): name one element as NAME[i, j] with integer indices, e.g. W[0, 1]")) {
            try ElementReference(text)
        }
    }

    /// `l = sum(tanh(W @ x))` with W 2×3: the walk seeds W[1, 2] alone, and every node's tangent
    /// is the central difference of its value in W[1, 2].
    @Test func theWalkCarriesTangentsFromTheElement() throws {
        let x = Tensor(shape: [3], elements: [0.5, -1, 2])
        func record(_ w: Tensor) throws -> Graph {
            var graph = Graph()
            let W = graph.appendTensorLeaf(.input, w, name: "W")
            let xs = graph.appendTensorLeaf(.constant, x, name: "x")
            let z = try graph.appendMatrixProduct(W, xs)
            let h = graph.appendElementwise(.tanh, z)
            let l = try graph.appendReduction(.sum, h)
            graph.annotations.names[l] = "l"
            graph.annotations.outputs = [NamedNode(name: "l", node: l)]
            return graph
        }
        let start = Tensor(shape: [2, 3], elements: [0.1, -0.2, 0.3, 0.4, 0.5, -0.6])
        let graph = try record(start)
        let walk = try WalkChoice(wrt: "W[1, 2]").resolve(in: graph)
        #expect(walk.timeline.tangentElement == 5)
        #expect(walk.seededLabel == "W[1, 2]")
        let tangents = try #require(walk.timeline.tensorTangents)
        let h = 1e-6
        var up = start, down = start
        up.elements[5] += h
        down.elements[5] -= h
        let (above, below) = (try record(up), try record(down))
        for node in graph.nodes {
            let central = zip(above.tensor(of: node).elements, below.tensor(of: node).elements).map { ($0 - $1) / (2 * h) }
            for (tangent, difference) in zip(tangents.tangent(of: node, in: graph).elements, central) {
                #expect(isClose(tangent, difference, relative: 1e-6, absolute: 1e-9), "node \(node)")
            }
        }
        // The timeline hands the same tangents to the views, once each node is evaluated.
        let last = graph.count - 1
        #expect(walk.timeline.tensorDerivative(of: 3, at: graph.count) == tangents.tangent(of: 3, in: graph))
        #expect(walk.timeline.tensorDerivative(of: 3, at: 3) == nil)
        #expect(walk.timeline.finalTensorDerivative(of: 0).elements == [0, 0, 0, 0, 0, 1])
        #expect(walk.timeline.finalTensorDerivative(of: last) == tangents.tangent(of: last, in: graph))
        // The output's tangent is the scalar derivative too: (1 − tanh²(z[1])) · x[2].
        let z1 = 0.4 * 0.5 + 0.5 * -1 + -0.6 * 2
        #expect(isClose(walk.timeline.derivatives[graph.count - 1], (1 - Foundation.pow(Foundation.tanh(z1), 2)) * 2))
        #expect(throws: WalkError("--wrt W[2, 0]: index 2 is out of range for axis 0 of W (size 2: from -2 to 1)")) {
            try WalkChoice(wrt: "W[2, 0]").resolve(in: graph)
        }
    }
}
