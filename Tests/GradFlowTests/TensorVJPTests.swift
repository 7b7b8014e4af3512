import Foundation
import GradFlow
import Testing
import TestSupport

/// Every tensor op's backward rule (its vector–Jacobian product) against central differences of
/// the recorded forward values, element by element.
///
/// A tensor result is turned into a scalar by `sum(result * C)` with a constant `C` of varied
/// entries, so the rule is checked with an upstream adjoint that is not all ones.
@Suite struct TensorVJPTests {
    typealias Build = @Sendable (inout Graph, [NodeID]) throws -> NodeID

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let leaves: [Tensor]
        let build: Build
        var testDescription: String { name }
    }

    /// A tensor of `shape` with distinct, non-zero entries from `start` in steps of `step`
    /// (signs alternate unless `positive`).
    static func sample(_ shape: [Int], start: Double = 0.3, step: Double = 0.37, positive: Bool = false) -> Tensor {
        let count = Tensor.count(of: shape)
        let elements = (0..<count).map { i -> Double in
            let magnitude = start + step * Double(i)
            return positive || i % 2 == 0 ? magnitude : -magnitude
        }
        return Tensor(shape: shape, elements: elements)
    }

    /// Records the case on leaves holding `leaves` (rank 0 as scalar leaves); returns the graph,
    /// the leaves and the scalar loss.
    static func record(_ testCase: Case, _ leaves: [Tensor]) throws -> (Graph, [NodeID], NodeID) {
        var graph = Graph()
        let ids = leaves.map { leaf in
            leaf.rank == 0 ? graph.appendLeaf(value: leaf.elements[0]) : graph.appendTensorLeaf(.input, leaf)
        }
        let result = try testCase.build(&graph, ids)
        guard graph.isTensor(result) else { return (graph, ids, result) }
        let weights = graph.appendTensorLeaf(.constant, sample(graph.shape(of: result), start: 0.5, step: 0.23))
        let weighted = try graph.appendElementwise(.multiply, result, weights)
        let loss = try graph.appendReduction(.sum, weighted)
        return (graph, ids, loss)
    }

    static let cases: [Case] = {
        var cases: [Case] = []
        // Unary ops of the op table, element by element (positive entries where the domain asks).
        for op in Op.allCases where op.arity == 1 && op != .detach {
            let positive = [.ln, .sqrt, .log2, .log10].contains(op) || op == .powerConstant
            let parameter = op.hasParameter ? 1.5 : 0
            cases.append(Case(name: "\(op) of [2, 3]", leaves: [sample([2, 3], positive: positive)]) { g, x in
                g.appendElementwise(op, x[0], parameter: parameter)
            })
        }
        // Binary ops with broadcasting, including a scalar node against a tensor.
        let shapes: [([Int], [Int])] = [([2, 3], [2, 3]), ([2, 3], [3]), ([2, 1], [1, 3]), ([3], []), ([], [2, 2]), ([2, 1, 2], [3, 1])]
        for op in Op.allCases where op.arity == 2 {
            for (left, right) in shapes {
                let positive = op == .power
                let a = sample(left, positive: positive)
                let b = sample(right, start: 0.45, step: 0.29, positive: positive)
                cases.append(Case(name: "\(op) \(left) \(right)", leaves: [a, b]) { g, x in
                    try g.appendElementwise(op, x[0], x[1])
                })
            }
        }
        // Matrix products: vector·vector, matrix·vector, vector·matrix, matrix·matrix.
        for (left, right) in [([3], [3]), ([2, 3], [3]), ([3], [3, 2]), ([2, 3], [3, 4])] {
            cases.append(Case(name: "\(left) @ \(right)", leaves: [sample(left), sample(right, start: 0.2, step: 0.11)]) { g, x in
                try g.appendMatrixProduct(x[0], x[1])
            })
        }
        cases.append(Case(name: "A @ A", leaves: [sample([3, 3])]) { g, x in try g.appendMatrixProduct(x[0], x[0]) })
        cases.append(Case(name: "transpose [2, 3]", leaves: [sample([2, 3])]) { g, x in try g.appendTranspose(x[0]) })
        for reduction in [TensorOp.Reduction.sum, .mean, .max] {
            for axis in [nil, 0, 1, -1] as [Int?] {
                cases.append(Case(name: "\(reduction) axis \(String(describing: axis)) of [2, 3]", leaves: [sample([2, 3])]) { g, x in
                    try g.appendReduction(reduction, x[0], axis: axis)
                })
            }
            cases.append(Case(name: "\(reduction) axis 1 of [2, 3, 2]", leaves: [sample([2, 3, 2])]) { g, x in
                try g.appendReduction(reduction, x[0], axis: 1)
            })
        }
        for normalization in [TensorOp.Normalization.softmax, .logSoftmax, .logSumExp] {
            for axis in [-1, 0] {
                cases.append(Case(name: "\(normalization) axis \(axis) of [2, 3]", leaves: [sample([2, 3])]) { g, x in
                    try g.appendNormalization(normalization, x[0], axis: axis)
                })
            }
            cases.append(Case(name: "\(normalization) of [4]", leaves: [sample([4])]) { g, x in
                try g.appendNormalization(normalization, x[0])
            })
        }
        let indices: [[TensorIndex]] = [[.at(1)], [.at(-1)], [.at(1), .at(2)], [.all, .at(1)], [.at(-2), .all], [.all, .at(-1)]]
        for entries in indices {
            cases.append(Case(name: "index \(entries) of [2, 3]", leaves: [sample([2, 3])]) { g, x in
                try g.appendIndex(x[0], entries)
            })
        }
        cases.append(Case(name: "reshape [2, 3] to [3, 2]", leaves: [sample([2, 3])]) { g, x in try g.appendReshape(x[0], to: [3, 2]) })
        cases.append(Case(name: "stack of scalars", leaves: [Tensor(scalar: 0.7), Tensor(scalar: -1.2)]) { g, x in
            let doubled = g.append(.multiplyConstant, x[1], parameter: 2)
            return try g.appendStack([x[0], doubled, x[0]])
        })
        cases.append(Case(name: "stack of vectors", leaves: [sample([2]), sample([2], start: 1.1)]) { g, x in
            try g.appendStack([x[0], x[1]])
        })
        // A two-layer network on a batch with softmax cross-entropy, scalar ops on the loss.
        cases.append(Case(name: "batch MLP with softmax cross-entropy",
                          leaves: [sample([4, 3]), sample([3, 5], start: 0.1, step: 0.05), sample([5]), sample([5, 2], start: 0.2, step: 0.07)]) { g, x in
            let hidden = g.appendElementwise(.tanh, try g.appendElementwise(.add, try g.appendMatrixProduct(x[0], x[1]), x[2]))
            let logits = try g.appendMatrixProduct(hidden, x[3])
            let logProbabilities = try g.appendNormalization(.logSoftmax, logits)
            let picked = try [0, 1, 1, 0].enumerated().map { row, label in try g.appendIndex(logProbabilities, [.at(row), .at(label)]) }
            let total = g.appendVariadic(.mean, picked)
            return g.append(.negate, total)
        })
        return cases
    }()

    @Test(arguments: cases)
    func backwardRuleMatchesCentralDifferences(_ testCase: Case) throws {
        let (graph, leaves, loss) = try Self.record(testCase, testCase.leaves)
        #expect(graph.checkInvariants())
        let adjoints = graph.tensorAdjoints(from: loss)
        for (index, leaf) in leaves.enumerated() {
            let gradient = adjoints.adjoint(of: leaf, in: graph)
            #expect(gradient.shape == testCase.leaves[index].shape)
            for element in testCase.leaves[index].elements.indices {
                let numeric = try centralDifferenceOfLoss(testCase, leaf: index, element: element)
                #expect(isClose(gradient.elements[element], numeric, relative: 1e-6, absolute: 1e-8),
                        "∂loss/∂leaf\(index)[\(element)]: backward \(gradient.elements[element]), central difference \(numeric)")
            }
        }
    }

    @Test(arguments: cases)
    func elementContributionsAddUpToTheTensorStep(_ testCase: Case) throws {
        let (graph, _, _) = try Self.record(testCase, testCase.leaves)
        for node in graph.nodes where graph.ops[node] == .tensor {
            let upstream = Self.sample(graph.shape(of: node), start: 0.7, step: 0.31).elements
            let products = graph.vectorJacobianProducts(of: node, upstream: upstream)
            for (operand, product) in products.enumerated() {
                var total = [Double](repeating: 0, count: product.count)
                for contribution in graph.elementContributions(of: node, operand: operand) {
                    total[contribution.to] += upstream[contribution.from] * contribution.localDerivative
                }
                for (got, want) in zip(total, product) {
                    #expect(isClose(got, want, relative: 1e-12, absolute: 1e-15), "node \(node) operand \(operand): \(got) vs \(want)")
                }
            }
        }
    }

    @Test(arguments: cases)
    func forwardModeGivesTheSameGradient(_ testCase: Case) throws {
        let (graph, leaves, loss) = try Self.record(testCase, testCase.leaves)
        let adjoints = graph.tensorAdjoints(from: loss)
        for leaf in leaves {
            let gradient = adjoints.adjoint(of: leaf, in: graph)
            for element in gradient.elements.indices {
                let tangent = graph.tensorTangents(withRespectTo: leaf, element: element).scalars[loss]
                #expect(isClose(tangent, gradient.elements[element], relative: 1e-12, absolute: 1e-14),
                        "leaf \(leaf)[\(element)]: forward \(tangent), reverse \(gradient.elements[element])")
            }
        }
    }

    func centralDifferenceOfLoss(_ testCase: Case, leaf: Int, element: Int) throws -> Double {
        var thrown: Error?
        let numeric = centralDifference(at: testCase.leaves[leaf].elements[element]) { moved in
            var leaves = testCase.leaves
            leaves[leaf].elements[element] = moved
            do {
                let (graph, _, loss) = try Self.record(testCase, leaves)
                return graph.values[loss]
            } catch {
                thrown = error
                return .nan
            }
        }
        if let thrown { throw thrown }
        return numeric
    }
}
