import Foundation
import GradFlow
import Testing
import TestSupport

/// Deep graphs: millions of nodes recorded and swept in both directions by loops, never recursion.
///
/// The chain is benchmark W1: `v = x`, then N times `v = relu(v · w + x) · 0.5`. While the
/// pre-activation stays positive, vₙ₊₁ = a·vₙ + x/2 with a = w/2, so
/// v_N = aᴺ·x + (x/2)(1 − aᴺ)/(1 − a), which gives the closed forms below.
@Suite struct ScaleTests {
    static let x = 0.5, w = 0.9

    /// ∂v_N/∂x and ∂v_N/∂w from the closed form (a = w/2, and ∂/∂w = ½ ∂/∂a).
    static func closedFormGradient(iterations n: Int) -> (dx: Double, dw: Double) {
        let a = w / 2, count = Double(n)
        let aN = Foundation.pow(a, count), aNMinus1 = Foundation.pow(a, count - 1)
        let dx = aN + (1 - aN) / (2 * (1 - a))
        let dvda = count * aNMinus1 * x + (x / 2) * ((1 - aN) - count * aNMinus1 * (1 - a)) / ((1 - a) * (1 - a))
        return (dx, dvda / 2)
    }

    /// The chain in plain doubles, for finite differences.
    static func chain(x: Double, w: Double, iterations: Int) -> Double {
        var v = x
        for _ in 0..<iterations { v = Swift.max(v * w + x, 0) * 0.5 }
        return v
    }

    /// Records the chain through the Graph API; returns the graph and the ids of x, w and v.
    static func record(iterations: Int) -> (graph: Graph, x: NodeID, w: NodeID, v: NodeID) {
        var graph = Graph()
        graph.reserveCapacity(2 + 4 * iterations)
        let x = graph.appendLeaf(.input, value: Self.x, name: "x")
        let w = graph.appendLeaf(.input, value: Self.w, name: "w")
        var v = x
        for _ in 0..<iterations {
            let activation = graph.append(.relu, graph.append(.add, graph.append(.multiply, v, w), x))
            v = graph.append(.multiplyConstant, activation, parameter: 0.5)
        }
        return (graph, x, w, v)
    }

    @Test(arguments: [1, 3, 20])
    func theClosedFormAgreesWithCentralDifferences(iterations: Int) {
        let expected = Self.closedFormGradient(iterations: iterations)
        let dx = centralDifference(at: Self.x) { Self.chain(x: $0, w: Self.w, iterations: iterations) }
        let dw = centralDifference(at: Self.w) { Self.chain(x: Self.x, w: $0, iterations: iterations) }
        #expect(isClose(dx, expected.dx, relative: 1e-8))
        #expect(isClose(dw, expected.dw, relative: 1e-8))
    }

    @Test(arguments: [1, 3, 20])
    func shortChainsMatchTheClosedForm(iterations: Int) {
        let (graph, x, w, v) = Self.record(iterations: iterations)
        let adjoint = graph.adjoints(from: v)
        let expected = Self.closedFormGradient(iterations: iterations)
        #expect(isClose(adjoint[x], expected.dx, relative: 1e-13))
        #expect(isClose(adjoint[w], expected.dw, relative: 1e-13))
    }

    /// Four million nodes deep: a recursive sweep would need millions of stack frames.
    @Test func aFourMillionNodeChainSweepsBackwardsAndForwards() {
        let iterations = 1_000_000
        let (graph, x, w, v) = Self.record(iterations: iterations)
        #expect(graph.count == 4_000_002)
        #expect(graph.checkInvariants())
        #expect(isClose(graph.values[v], Self.x / (2 - Self.w), relative: 1e-13))

        let expected = Self.closedFormGradient(iterations: iterations)
        #expect(isClose(expected.dx, 1 / 1.1, relative: 1e-15))  // 0.9090…, the fixed point's
        let adjoint = graph.adjoints(from: v)
        #expect(isClose(adjoint[x], expected.dx, relative: 1e-12))
        #expect(isClose(adjoint[w], expected.dw, relative: 1e-12))
        #expect(isClose(adjoint[w], 0.5 / (1.1 * 1.1), relative: 1e-12))  // 0.41322…

        let gradient = graph.gradient(of: v)
        #expect(gradient.map(\.input) == [x, w])
        #expect(graph.ancestors(of: v).allSatisfy { $0 })

        // Forward mode walks the same four million nodes the other way.
        let tangent = graph.tangents(withRespectTo: w)
        #expect(isClose(tangent[v], expected.dw, relative: 1e-12))
    }

    /// The Swift API records through a class and variables; it must scale the same way.
    @Test func theSwiftAPIRecordsAMillionNodeChain() {
        let tape = Tape()
        let x = tape.input(Self.x, name: "x"), w = tape.input(Self.w, name: "w")
        var v = x
        for _ in 0..<250_000 { v = relu(v * w + x) * 0.5 }
        #expect(tape.graph.count == 1_000_002)
        let gradient = v.gradient()
        #expect(isClose(gradient[x.id]!, 1 / 1.1, relative: 1e-12))
        #expect(isClose(gradient[w.id]!, 0.5 / 1.21, relative: 1e-12))
    }

    /// The graph grows its own arrays (see Graph+Storage.swift); a copy must still be a value.
    @Test func aCopyTakenWhileGrowingIsUnaffectedByLaterNodes() {
        var graph = Graph()
        let x = graph.appendLeaf(.input, value: 0.5)
        var v = x
        for _ in 0..<100 { v = graph.append(.multiplyConstant, graph.append(.add, v, x), parameter: 0.5) }
        let snapshot = graph
        // Past every capacity the copy shared: the next appends must copy, not write through.
        for _ in 0..<300_000 { v = graph.append(.multiplyConstant, graph.append(.add, v, x), parameter: 0.5) }
        #expect(snapshot.count == 201 && snapshot.checkInvariants())
        #expect(graph.count == 600_201 && graph.checkInvariants())
        // v₀ = x and vₙ₊₁ = (vₙ + x)/2 keep v = x at every step, so ∂v/∂x = 2⁻ⁿ + Σ 2⁻ᵏ = 1.
        #expect(isClose(snapshot.values[200], 0.5, relative: 1e-15))
        #expect(isClose(snapshot.adjoints(from: 200)[x], 1, relative: 1e-15))
        #expect(isClose(graph.adjoints(from: v)[x], 1, relative: 1e-15))
    }

    @Test func reservingLessThanNeededStillRecordsEverything() {
        var graph = Graph()
        graph.reserveCapacity(10, operandsPerNode: 1)
        let inputs = (0..<50).map { graph.appendLeaf(.input, value: Double($0)) }
        let total = graph.appendVariadic(.sum, inputs)
        #expect(graph.checkInvariants())
        #expect(isClose(graph.values[total], 1225))  // 0 + 1 + … + 49
        #expect(graph.adjoints(from: total)[0..<50].allSatisfy { isClose($0, 1) })
    }
}
