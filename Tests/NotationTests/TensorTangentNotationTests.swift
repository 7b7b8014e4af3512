import Foundation
import GradFlow
import Notation
import Testing
import TestSupport

/// The forward-mode rule of every tensor op, derived by hand, in the three styles; and the
/// numbers it describes, computed here from the operands' values and tangents, equal the
/// engine's tangent, which central differences confirm.
@Suite struct TensorTangentNotationTests {
    let unicode = Notation()
    let ascii = Notation(.ascii)
    let latex = Notation(.latex)

    typealias Build = (inout Graph, [NodeID]) throws -> NodeID

    /// The node `result` built on leaves `a` (seeded at `element`) and `b`; the rule's reading
    /// `byHand(values, tangents)` against the engine and against central differences.
    func check(_ leaves: [(String, Tensor)], result: String, element: Int = 1, _ build: Build,
               byHand: ([Tensor], [Tensor]) -> [Double], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        func record(_ values: [Tensor]) throws -> (Graph, NodeID) {
            var graph = Graph()
            let ids = zip(leaves, values).map { leaf, value in graph.appendTensorLeaf(.input, value, name: leaf.0) }
            let node = try build(&graph, ids)
            graph.annotations.names[node] = result
            return (graph, node)
        }
        let values = leaves.map(\.1)
        let (graph, node) = try record(values)
        let tangents = graph.tensorTangents(withRespectTo: 0, element: element)
        let engine = tangents.tangent(of: node, in: graph).elements
        let operandTangents = values.indices.map { tangents.tangent(of: $0, in: graph) }
        for (a, b) in zip(engine, byHand(values, operandTangents)) {
            #expect(isClose(a, b, relative: 1e-12, absolute: 1e-15), "\(engine)", sourceLocation: sourceLocation)
        }
        let h = 1e-6
        var up = values, down = values
        up[0].elements[element] += h
        down[0].elements[element] -= h
        let (above, aboveNode) = try record(up), (below, belowNode) = try record(down)
        let central = zip(above.tensor(of: aboveNode).elements, below.tensor(of: belowNode).elements).map { ($0 - $1) / (2 * h) }
        for (a, b) in zip(engine, central) {
            #expect(isClose(a, b, relative: 1e-6, absolute: 1e-9), "\(engine) vs \(central)", sourceLocation: sourceLocation)
        }
        return [unicode, ascii, latex].map { $0.tensorTangentRule(of: node, in: graph) }
    }

    static let W = Tensor(shape: [2, 3], elements: [0.1, -0.2, 0.4, 0.3, 0.5, -0.6])
    static let x = Tensor(shape: [3], elements: [1, 2, -0.5])

    @Test func matrixProductIsTheProductRule() throws {
        let rules = try check([("W", Self.W), ("x", Self.x)], result: "z", { g, l in try g.appendMatrixProduct(l[0], l[1]) }) { v, t in
            // ż = Ẇ · x + W · ẋ, row by row.
            var z = [0.0, 0.0]
            for i in 0..<2 {
                for p in 0..<3 {
                    let fromW: Double = t[0].elements[i * 3 + p] * v[1].elements[p]
                    let fromX: Double = v[0].elements[i * 3 + p] * t[1].elements[p]
                    z[i] += fromW + fromX
                }
            }
            return z
        }
        #expect(rules == ["W\u{0307} · x + W · x\u{0307}", "W_dot . x + W . x_dot", "\\dot{W}\\, x + W\\, \\dot{x}"])
    }

    @Test func elementwiseOpsMultiplyTangentsByTheirDerivatives() throws {
        let a = Tensor(shape: [2, 3], elements: [0.5, -1, 0.25, 2, -0.3, 0.8])
        let h = try check([("a", a)], result: "h", { g, l in g.appendElementwise(.tanh, l[0]) }) { v, t in
            v[0].elements.indices.map { t[0].elements[$0] * (1 - Foundation.pow(Foundation.tanh(v[0].elements[$0]), 2)) }
        }
        #expect(h == ["a\u{0307} ⊙ (1 − h^2)", "a_dot * (1 - h^2)", "\\dot{a} \\odot (1 - h^{2})"])
        let b = Tensor(shape: [3], elements: [0.5, -0.5, 1])
        let sum = try check([("t", a), ("b", b)], result: "z", { g, l in try g.appendElementwise(.subtract, l[0], l[1]) }) { _, t in
            (0..<6).map { (i: Int) -> Double in t[0].elements[i] - t[1].elements[i % 3] }
        }
        #expect(sum == ["t\u{0307} − b\u{0307}", "t_dot - b_dot", "\\dot{t} - \\dot{b}"])
        let product = try check([("t", a), ("b", b)], result: "z", element: 4, { g, l in try g.appendElementwise(.multiply, l[0], l[1]) }) { v, t in
            (0..<6).map { (i: Int) -> Double in
                let first: Double = t[0].elements[i] * v[1].elements[i % 3]
                return first + t[1].elements[i % 3] * v[0].elements[i]
            }
        }
        #expect(product[0] == "t\u{0307} ⊙ b + b\u{0307} ⊙ t")
    }

    @Test func normalisationsAlongTheLastAxis() throws {
        let x = Tensor(shape: [3], elements: [1, 2, 0.5])
        let s = softmax(x.elements)
        let y = try check([("x", x)], result: "y", { g, l in try g.appendNormalization(.softmax, l[0]) }) { _, t in
            let dot = zip(s, t[0].elements).reduce(0) { $0 + $1.0 * $1.1 }
            return s.indices.map { s[$0] * (t[0].elements[$0] - dot) }
        }
        #expect(y == ["y ⊙ (x\u{0307} − y · x\u{0307})", "y * (x_dot - y . x_dot)", "y \\odot (\\dot{x} - y \\cdot \\dot{x})"])
        let l = try check([("x", x)], result: "y", { g, l in try g.appendNormalization(.logSoftmax, l[0]) }) { _, t in
            let dot = zip(s, t[0].elements).reduce(0) { $0 + $1.0 * $1.1 }
            return t[0].elements.map { $0 - dot }
        }
        #expect(l[0] == "x\u{0307} − softmax(x) · x\u{0307}")
        let e = try check([("x", x)], result: "y", { g, l in try g.appendNormalization(.logSumExp, l[0]) }) { _, t in
            [zip(s, t[0].elements).reduce(0) { $0 + $1.0 * $1.1 }]
        }
        #expect(e[2] == "\\mathrm{softmax}(x) \\cdot \\dot{x}")
        let m = try check([("X", Self.W)], result: "P", element: 4, { g, l in try g.appendNormalization(.softmax, l[0]) }) { _, t in
            var result: [Double] = []
            for row in 0..<2 {
                let p = softmax(Array(Self.W.elements[row * 3..<row * 3 + 3])), d = Array(t[0].elements[row * 3..<row * 3 + 3])
                let dot = zip(p, d).reduce(0) { $0 + $1.0 * $1.1 }
                result += p.indices.map { p[$0] * (d[$0] - dot) }
            }
            return result
        }
        #expect(m[0] == "P ⊙ (X\u{0307} − P · X\u{0307}) (row by row)")
    }

    @Test func reductionsAndMovingElements() throws {
        let rows = try check([("A", Self.W)], result: "s", element: 5, { g, l in try g.appendReduction(.sum, l[0], axis: 1) }) { _, t in
            [t[0].elements[0..<3].reduce(0, +), t[0].elements[3..<6].reduce(0, +)]
        }
        #expect(rows == ["sum(A\u{0307}, axis: 1)", "sum(A_dot, axis: 1)", "\\mathrm{sum}(\\dot{A}, axis: 1)"])
        let mean = try check([("A", Self.W)], result: "m", { g, l in try g.appendReduction(.mean, l[0]) }) { _, t in [t[0].elements.reduce(0, +) / 6] }
        #expect(mean[0] == "mean(A\u{0307})")
        // The largest entry of W is 0.5, at offset 4: max passes on its tangent alone.
        let max = try check([("A", Self.W)], result: "m", element: 4, { g, l in try g.appendReduction(.max, l[0]) }) { _, t in [t[0].elements[4]] }
        #expect(max == ["A\u{0307}[argmax A]", "A_dot[argmax A]", "\\dot{A}[\\arg\\max A]"])
        let rowMax = try check([("A", Self.W)], result: "m", element: 2, { g, l in try g.appendReduction(.max, l[0], axis: 1) }) { _, t in
            [t[0].elements[2], t[0].elements[4]]
        }
        #expect(rowMax[0] == "A\u{0307}[i, argmax A[i, :]]")
        let row = try check([("A", Self.W)], result: "r", element: 4, { g, l in try g.appendIndex(l[0], [.at(1), .all]) }) { _, t in
            Array(t[0].elements[3..<6])
        }
        #expect(row[0] == "A\u{0307}[1, :]")
        let transposed = try check([("A", Self.W)], result: "T", { g, l in try g.appendTranspose(l[0]) }) { _, t in
            (0..<6).map { t[0].elements[($0 % 2) * 3 + $0 / 2] }
        }
        #expect(transposed == ["A\u{0307}ᵀ", "A_dot^T", "\\dot{A}^\\top"])
        let reshaped = try check([("A", Self.W)], result: "v", { g, l in try g.appendReshape(l[0], to: [3, 2]) }) { _, t in t[0].elements }
        #expect(reshaped[0] == "reshape(A\u{0307}, 3, 2)")
        let stacked = try check([("a", Self.x), ("b", Self.x)], result: "v", { g, l in try g.appendStack(l) }) { _, t in
            t[0].elements + t[1].elements
        }
        #expect(stacked == ["[a\u{0307}, b\u{0307}]", "[a_dot, b_dot]", "[\\dot{a}, \\dot{b}]"])
    }

    func softmax(_ x: [Double]) -> [Double] {
        let top = x.max()!
        let e = x.map { Foundation.exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}
