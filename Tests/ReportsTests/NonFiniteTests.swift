import Foundation
import GradFlow
import Reports
import Testing
import TestSupport

/// Naming where a computation stopped being finite: the node, or the backward step.
@Suite struct NonFiniteTests {
    @Test func theFirstNonFiniteNodeIsNamedWithItsOperands() throws {
        var graph = Graph()
        let x = graph.appendLeaf(value: -1, name: "x")
        let v = graph.append(.ln, x)
        graph.annotations.names[v] = "v"
        graph.annotations.names[graph.append(.multiplyConstant, v, parameter: 2)] = "f"
        let node = try #require(NonFiniteNode(in: graph))
        #expect(node.name == "v")  // f is NaN too, but v came first
        #expect(node.message == "v = ln(x) is NaN where x = -1; it is the first node that is not finite")
    }

    /// `big = exp(1000)` and `eval "1/0"` are folded into one number as they are read; eval
    /// said `Infinity is Infinity`, which names neither the cause nor the place.
    @Test func aConstantOfNumbersAloneSaysWhereItCameFrom() throws {
        var graph = Graph()
        let big = graph.appendLeaf(.constant, value: .infinity, name: "big")
        let y = graph.appendLeaf(value: 2, name: "y")
        graph.annotations.names[graph.append(.multiply, big, y)] = "f"
        let node = try #require(NonFiniteNode(in: graph))
        #expect(node.message == "big, a constant computed from numbers alone, is Infinity; it is the first node that is not finite")
        var expression = Graph()
        _ = expression.appendLeaf(.constant, value: .infinity)
        let alone = try #require(NonFiniteNode(in: expression))
        let text = alone.messageForExpression(in: expression)
        #expect(!text.hasPrefix("Infinity is Infinity"), "\(text)")
        #expect(text.hasPrefix("the numbers alone give Infinity (a division by zero"), "\(text)")
    }

    @Test func anInfiniteLocalDerivativeIsNamedWhenValuesAreFinite() throws {
        // f = sqrt(x) + x at x = 0: f = 0, but ∂sqrt(x)/∂x = 1/(2·0) = +∞.
        var graph = Graph()
        let x = graph.appendLeaf(value: 0, name: "x")
        let root = graph.append(.sqrt, x)
        let f = graph.append(.add, root, x)
        graph.annotations.names[root] = "r"
        graph.annotations.names[f] = "f"
        let computation = Computation(graph: graph)
        let found = NonFiniteContribution.all(in: computation)
        #expect(found.count == 1)
        let first = try #require(found.first)
        #expect(first.update == "x̄ += r̄ · ∂r/∂x")
        #expect(first.arithmetic == "1 · Infinity = Infinity")
        #expect(first.cause == "r = sqrt(x) where x = 0")
        let json = GradientReport(computation).json.serialized()
        #expect(json.hasSuffix(#","nonFiniteGradients":[{"output":"f","from":"r","to":"x","localDerivative":"Infinity","incomingAdjoint":1}]}"#))
    }

    @Test func finiteGradientsNameNothing() {
        #expect(NonFiniteContribution.all(in: Fixtures.survey()).isEmpty)
        #expect(NonFiniteNode(in: Fixtures.survey().graph) == nil)
        #expect(!GradientReport(Fixtures.survey()).json.serialized().contains("NonFinite"))
    }
}
