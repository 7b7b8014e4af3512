import Foundation
import GradFlow
import Testing
import TestSupport

/// `Graph.differentiateTensors`: every tensor op's backward pass built as nodes. The gradient it
/// builds must have the value of the numeric reverse sweep, and differentiating it again must
/// give the central differences of that numeric gradient (a Hessian–vector product), for every
/// case of ``TensorVJPTests``.
@Suite struct TensorDifferentiateTests {
    /// The case's result through `tanh`, weighted and summed, so that the adjoint reaching every
    /// op depends on the inputs and the backward nodes of each op are differentiated again.
    static func record(_ testCase: TensorVJPTests.Case, _ leaves: [Tensor]) throws -> (Graph, [NodeID], NodeID) {
        var graph = Graph()
        let ids = leaves.map { leaf in
            leaf.rank == 0 ? graph.appendLeaf(value: leaf.elements[0]) : graph.appendTensorLeaf(.input, leaf)
        }
        let result = try testCase.build(&graph, ids)
        guard graph.isTensor(result) else {
            let squashed = graph.append(.tanh, result)
            return (graph, ids, squashed)
        }
        let squashed = graph.appendElementwise(.tanh, result)
        let weights = graph.appendTensorLeaf(.constant, TensorVJPTests.sample(graph.shape(of: result), start: 0.5, step: 0.23))
        let loss = try graph.appendReduction(.sum, try graph.appendElementwise(.multiply, squashed, weights))
        return (graph, ids, loss)
    }

    static func value(of term: Term, in graph: Graph, shape: [Int]) -> Tensor {
        switch term {
        case .number(let c): Tensor(repeating: c, shape: shape)
        case .node(let node): graph.tensor(of: node)
        }
    }

    @Test(arguments: TensorVJPTests.cases)
    func theGradientAsNodesCanBeDifferentiatedAgain(_ testCase: TensorVJPTests.Case) throws {
        for leafIndex in testCase.leaves.indices {
            var (graph, leaves, loss) = try Self.record(testCase, testCase.leaves)
            let leaf = leaves[leafIndex], shape = testCase.leaves[leafIndex].shape
            let numeric = graph.tensorAdjoints(from: loss).adjoint(of: leaf, in: graph)
            let gradient = try graph.differentiateTensors(loss, withRespectTo: leaf)
            let built = Self.value(of: gradient, in: graph, shape: shape)
            #expect(built.shape == shape)
            for (got, want) in zip(built.elements, numeric.elements) {
                #expect(isClose(got, want, relative: 1e-12, absolute: 1e-14), "leaf \(leafIndex): built \(got), swept \(want)")
            }
            // h = Σ ∇loss ⊙ V: ∂h/∂leaf is the Hessian times V.
            let direction = TensorVJPTests.sample(shape, start: 0.4, step: 0.17)
            guard case .node(let gradientNode) = gradient else {
                // A gradient that is a plain number does not depend on the leaf: no second derivative to check.
                continue
            }
            let h: NodeID
            if shape.isEmpty {
                h = graph.append(.multiplyConstant, gradientNode, parameter: direction.elements[0])
            } else {
                let v = graph.appendTensorLeaf(.constant, direction)
                h = try graph.appendReduction(.sum, try graph.appendElementwise(.multiply, gradientNode, v))
            }
            let second = Self.value(of: try graph.differentiateTensors(h, withRespectTo: leaf), in: graph, shape: shape)
            #expect(graph.checkInvariants())
            for element in direction.elements.indices {
                var thrown: Error?
                let expected = centralDifference(at: testCase.leaves[leafIndex].elements[element]) { moved in
                    var values = testCase.leaves
                    values[leafIndex].elements[element] = moved
                    do {
                        let (movedGraph, movedLeaves, movedLoss) = try Self.record(testCase, values)
                        let g = movedGraph.tensorAdjoints(from: movedLoss).adjoint(of: movedLeaves[leafIndex], in: movedGraph)
                        return zip(g.elements, direction.elements).reduce(0) { $0 + $1.0 * $1.1 }
                    } catch {
                        thrown = error
                        return .nan
                    }
                }
                if let thrown { throw thrown }
                #expect(isClose(second.elements[element], expected, relative: 1e-6, absolute: 1e-7),
                        "leaf \(leafIndex)[\(element)]: second derivative \(second.elements[element]), central difference \(expected)")
            }
        }
    }

    @Test func aLeafTheOutputDoesNotReachHasAGradientOfZerosInItsShape() throws {
        var graph = Graph()
        let w = graph.appendTensorLeaf(.input, Tensor(shape: [2, 2], elements: [1, 2, 3, 4]))
        let x = graph.appendTensorLeaf(.input, Tensor(shape: [3], elements: [1, 2, 3]))
        let y = try graph.appendReduction(.sum, x)
        let gradient = try graph.differentiateTensors(y, withRespectTo: w)
        guard case .node(let node) = gradient else { Issue.record("expected a node"); return }
        #expect(graph.tensor(of: node) == Tensor(repeating: 0, shape: [2, 2]))
    }
}
