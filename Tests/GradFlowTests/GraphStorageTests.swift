import GradFlow
import Testing
import TestSupport

/// The graph's columns are its own buffers, shared between copies until one of them records
/// (copy on write): a copy, or a column read earlier, never sees nodes recorded later.
@Suite struct GraphStorageTests {
    /// x, then `v = v * 1.5 + x` n times: each value is known in closed form.
    static func chain(_ n: Int, reserve: Bool = false) -> (graph: Graph, x: NodeID, v: NodeID) {
        var graph = Graph()
        if reserve { graph.reserveCapacity(1 + 2 * n) }
        let x = graph.appendLeaf(.input, value: 0.25, name: "x")
        var v = x
        for _ in 0..<n { v = graph.append(.add, graph.append(.multiplyConstant, v, parameter: 1.5), x) }
        return (graph, x, v)
    }

    @Test func aCopyKeepsItsNodesWhenTheOriginalRecordsMore() {
        var (graph, x, _) = Self.chain(3)
        let copy = graph
        let before = Array(copy.values)
        for _ in 0..<100 { graph.append(.exp, x) }
        #expect(copy.count == 7)
        #expect(copy.values == before)
        #expect(graph.count == 107)
        #expect(Array(graph.values.prefix(7)) == before)
        #expect(copy.checkInvariants() && graph.checkInvariants())
    }

    @Test func aColumnReadEarlierStillShowsWhatItShowed() {
        var (graph, x, _) = Self.chain(2)
        let ops = graph.ops, values = graph.values, operands = graph.operandStorage
        let (opsBefore, valuesBefore, operandsBefore) = (Array(ops), Array(values), Array(operands))
        // Enough nodes to regrow every buffer several times.
        for _ in 0..<5_000 { graph.append(.negate, x) }
        #expect(ops == opsBefore && values == valuesBefore && operands == operandsBefore)
        #expect(graph.count == 5 + 5_000)
        #expect(graph.ops.last == .negate && graph.values.last == -0.25)
    }

    @Test func recordingCopiesTheSharedBuffersOnlyForTheOneThatRecords() {
        let (original, x, v) = Self.chain(1)
        var first = original, second = original
        first.append(.sin, v)
        second.append(.cos, x)
        #expect(original.count == 3 && first.count == 4 && second.count == 4)
        #expect(first.ops.last == .sin && second.ops.last == .cos)
        #expect(first.operands(of: 3) == [v] && second.operands(of: 3) == [x])
    }

    /// Grown from the smallest buffers (no reserve) and reserved up front, the same graph; and
    /// the closed form: v_n = 2x (1.5^(n+1) − 1) at x = 0.25, so ∂v_n/∂x = 2 (1.5^(n+1) − 1).
    @Test(arguments: [false, true])
    func aLongChainGrowsWithEveryNodeAndRowIntact(reserve: Bool) {
        let n = 40_000
        let (graph, x, _) = Self.chain(n, reserve: reserve)
        #expect(graph.count == 1 + 2 * n)
        #expect(graph.operandStorage.count == 3 * n && graph.partialStorage.count == 3 * n)
        #expect(graph.checkInvariants())
        #expect(graph.operands(of: 2 * n) == [2 * n - 1, x] && graph.partials(of: 2 * n) == [1, 1])
        #expect(graph.operands(of: 1) == [x] && graph.partials(of: 1) == [1.5])
        // The closed form on a short chain, grown the same way (1.5^40001 overflows a double).
        let short = Self.chain(20, reserve: reserve)
        let expected = 2 * (power(1.5, 21) - 1)
        #expect(isClose(short.graph.adjoints(from: short.v)[short.x], expected, relative: 1e-12))
        #expect(isClose(short.graph.values[short.v], 0.25 * expected, relative: 1e-12))
    }

    /// A tape that reserved its size records what a growing one records; a variable given to an
    /// operator (which takes its left operand `consuming`) still names its node afterwards; and a
    /// graph copied out of the tape before it reserved keeps its nodes.
    @Test(arguments: [false, true])
    func aTapeThatReservedRecordsTheSameAndVariablesStayUsable(reserve: Bool) {
        let tape = reserve ? Tape(reservingCapacity: 50_000) : Tape()
        let x = tape.input(0.25, name: "x")
        var v = x
        for _ in 0..<20 { v = v * 1.5 + x }
        let snapshot = tape.graph
        tape.reserveCapacity(100_000)
        let twice = x * 2
        let y = v + twice + x * x    // x again on the left, after `x * 2` took it
        // v₂₀ = 2x (1.5²¹ − 1), so ∂y/∂x = 2 (1.5²¹ − 1) + 2 + 2x.
        let closed = 2 * (power(1.5, 21) - 1)
        #expect(x.id == 0 && twice.id == 41 && tape.graph.operands(of: twice.id) == [x.id])
        #expect(isClose(y.value, 0.25 * closed + 0.5 + 0.0625, relative: 1e-12))
        #expect(isClose(y.gradient()[x.id]!, closed + 2 + 0.5, relative: 1e-12))
        #expect(snapshot.count == 41 && tape.graph.count == 45)
        #expect(snapshot.checkInvariants() && tape.graph.checkInvariants())
    }

    @Test func columnsCompareWithArraysAndPrintAsArrays() {
        var graph = Graph()
        let a = graph.appendLeaf(.input, value: 2)
        graph.append(.multiplyConstant, a, parameter: 3)
        #expect(graph.ops == [.input, .multiplyConstant])
        #expect(graph.parameters == [0, 3])
        #expect(graph.operandStart == [0, 0, 1])
        #expect(graph.values.description == "[2.0, 6.0]")
        #expect(graph.values.withUnsafeBufferPointer { Array($0) } == [2, 6])
    }
}

/// `base` to a whole power, by repeated multiplication.
private func power(_ base: Double, _ exponent: Int) -> Double {
    (0..<exponent).reduce(1) { product, _ in product * base }
}
