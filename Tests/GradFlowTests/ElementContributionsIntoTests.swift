import GradFlow
import Testing
import TestSupport

/// One element's terms of a tensor step, as the stepper asks for them when a step is opened:
/// the same terms, in the same order, as the full list of the step's contributions filtered to
/// that element, and the receiving elements those the full list reaches.
@Suite struct ElementContributionsIntoTests {
    @Test func oneElementsTermsAreThoseOfTheFullList() throws {
        var generator = SeededGenerator(seed: 5)
        func random(_ shape: [Int]) -> Tensor {
            Tensor(shape: shape, elements: (0..<Tensor.count(of: shape)).map { _ in generator.uniform(-1, 1) })
        }
        var graph = Graph()
        let a = graph.appendTensorLeaf(.input, random([3, 4]))
        let b = graph.appendTensorLeaf(.input, random([4, 2]))
        let v = graph.appendTensorLeaf(.input, random([4]))
        let matrices = try graph.appendMatrixProduct(a, b)
        let matrixVector = try graph.appendMatrixProduct(a, v)
        let vectorMatrix = try graph.appendMatrixProduct(v, b)
        let row = try graph.appendIndex(a, [.at(1), .all])
        let softmax = try graph.appendNormalization(.softmax, a)
        for node in [matrices, matrixVector, vectorMatrix, row, softmax] {
            for operand in graph.operands(of: node).indices {
                let all = graph.elementContributions(of: node, operand: operand)
                let reached = graph.receivingElements(of: node, operand: operand)
                if node == row {
                    #expect(reached == [4, 5, 6, 7], "A[1, :] reaches row 1 of A only")
                } else {
                    #expect(reached == Array(0..<graph.tensor(of: graph.operands(of: node)[operand]).count))
                }
                for element in reached {
                    #expect(graph.elementContributions(of: node, operand: operand, into: element) == all.filter { $0.to == element },
                            "node \(node) operand \(operand) element \(element)")
                }
            }
        }
    }
}
