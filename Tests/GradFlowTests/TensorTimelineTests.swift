import GradFlow
import Testing
import TestSupport

/// The backward pass of a graph with tensors as a timeline: one step per tensor contribution,
/// every step's adjoints reachable directly, and the end equal to the engine's reverse sweep.
@Suite struct TensorTimelineTests {
    /// PyTorch's autograd tutorial: x = ones(2, 2); y = x + 2; z = y * y * 3; out = mean(z).
    /// By hand: z̄ = 1/4, w̄ = 3/4 for w = y ⊙ y, each of w's two slots passes w̄ ⊙ y = 9/4,
    /// so ȳ goes 2.25 → 4.5, and x̄ = ȳ = 4.5 everywhere. Every number is a dyadic fraction,
    /// exact in binary, so exactness is the point and `==` is the comparison.
    @Test func pytorchTutorialAdjointsFillInStepByStep() throws {
        var graph = Graph()
        let x = graph.appendTensorLeaf(.input, Tensor(repeating: 1, shape: [2, 2]), name: "x")
        let two = graph.appendLeaf(.constant, value: 2)
        let y = try graph.appendElementwise(.add, x, two)
        let w = try graph.appendElementwise(.multiply, y, y)
        let z = graph.appendElementwise(.multiplyConstant, w, parameter: 3)
        let out = try graph.appendReduction(.mean, z)
        let timeline = Timeline(graph: graph, mode: .reverse(output: out))
        // out's slot, z's slot, w's two slots, y's two slots (x and the constant 2).
        #expect(timeline.contributionCount == 6)
        #expect(timeline.count == graph.count + 1 + 6)
        let seed = try #require(timeline.seedStep)
        #expect(timeline.tensorDerivative(of: y, at: seed) == nil)
        let steps = (0..<6).map { timeline.tensorContribution($0) }
        #expect(steps.map(\.from) == [out, z, w, w, y, y])
        #expect(steps.map(\.to) == [z, w, y, y, x, two])
        #expect(steps[0].passed == Tensor(repeating: 0.25, shape: [2, 2]))
        #expect(steps[2].adjointBefore == nil)
        #expect(steps[2].adjointAfter == Tensor(repeating: 2.25, shape: [2, 2]))
        #expect(steps[3].adjointBefore == Tensor(repeating: 2.25, shape: [2, 2]))
        #expect(steps[3].adjointAfter == Tensor(repeating: 4.5, shape: [2, 2]))
        #expect(steps[3].incomingAdjoint == Tensor(repeating: 0.75, shape: [2, 2]))
        // The step after the first contribution into y (seed + 3 contributions) shows 2.25.
        #expect(timeline.tensorDerivative(of: y, at: seed + 3) == Tensor(repeating: 2.25, shape: [2, 2]))
        #expect(timeline.tensorDerivative(of: y, at: seed + 4) == Tensor(repeating: 4.5, shape: [2, 2]))
        #expect(timeline.tensorDerivative(of: x, at: timeline.count) == Tensor(repeating: 4.5, shape: [2, 2]))
        #expect(timeline.finalTensorDerivative(of: x) == Tensor(repeating: 4.5, shape: [2, 2]))
        // The broadcast scalar 2 receives the sum over all four elements: 4 · 4.5.
        #expect(steps[5].passed == Tensor(scalar: 18))
        #expect(timeline.derivative(of: two, at: timeline.count) == 18)
        #expect(timeline.derivatives[out] == 1)
    }

    /// Scalars stacked into a vector get their own adjoints (the scalar sweep's partials of a
    /// tensor node are 0, so this fails if the timeline sweeps a tensor graph as scalars).
    /// loss = sum([a, 2b] ⊙ [3, 5]): ∂/∂a = 3, ∂/∂b = 10.
    @Test func scalarsReadByTensorNodesReceiveTheirShare() throws {
        var graph = Graph()
        let a = graph.appendLeaf(value: 1.5)
        let b = graph.appendLeaf(value: -0.5)
        let twiceB = graph.append(.multiplyConstant, b, parameter: 2)
        let v = try graph.appendStack([a, twiceB])
        let weights = graph.appendTensorLeaf(.constant, Tensor(shape: [2], elements: [3, 5]))
        let loss = try graph.appendReduction(.sum, try graph.appendElementwise(.multiply, v, weights))
        let timeline = Timeline(graph: graph, mode: .reverse(output: loss))
        #expect(timeline.derivatives[a] == 3)
        #expect(timeline.derivatives[b] == 10)
        #expect(timeline.tensorDerivative(of: a, at: timeline.count) == Tensor(scalar: 3))
    }

    /// For every op of the VJP suite: the timeline ends where ``Graph/tensorAdjoints(from:seed:)``
    /// does, bit for bit; each step's after is its before plus what it passes; and what a node
    /// receives over all its steps adds up to its final adjoint.
    @Test(arguments: TensorVJPTests.cases)
    func stepsAddUpToTheEnginesAdjoints(_ testCase: TensorVJPTests.Case) throws {
        let (graph, leaves, loss) = try TensorVJPTests.record(testCase, testCase.leaves)
        let timeline = Timeline(graph: graph, mode: .reverse(output: loss))
        let engine = graph.tensorAdjoints(from: loss)
        for node in graph.nodes where timeline.isAncestorOfOutput(node) {
            let expected = engine.adjoint(of: node, in: graph)
            #expect(timeline.finalTensorDerivative(of: node).elements.map(\.bitPattern) == expected.elements.map(\.bitPattern),
                    "node \(node)")
            #expect(timeline.tensorDerivative(of: node, at: timeline.count)?.shape ?? expected.shape == expected.shape)
        }
        var received: [NodeID: [Double]] = [:]
        for index in 0..<timeline.contributionCount {
            let step = timeline.tensorContribution(index)
            #expect(step.passed.shape == graph.shape(of: step.to))
            let before = step.adjointBefore?.elements ?? [Double](repeating: 0, count: step.passed.count)
            for i in before.indices {
                #expect(isClose(step.adjointAfter.elements[i], before[i] + step.passed.elements[i], absolute: 1e-12))
            }
            received[step.to, default: [Double](repeating: 0, count: step.passed.count)] = zip(
                received[step.to] ?? [Double](repeating: 0, count: step.passed.count), step.passed.elements).map(+)
        }
        for leaf in leaves {
            let total = received[leaf] ?? []
            let final = timeline.finalTensorDerivative(of: leaf).elements
            #expect(total.count == final.count)
            for (sum, value) in zip(total, final) { #expect(isClose(sum, value, absolute: 1e-12)) }
        }
    }
}
