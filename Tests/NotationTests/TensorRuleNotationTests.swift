import Foundation
import GradFlow
import Notation
import Testing
import TestSupport

/// The vector–Jacobian rule of every tensor op, in the three styles, each derived by hand; and
/// for each, the numbers the rule describes (computed here from the operands' values as the
/// rule reads) equal the engine's contribution, which central differences confirm.
@Suite struct TensorRuleNotationTests {
    let unicode = Notation()
    let ascii = Notation(.ascii)
    let latex = Notation(.latex)

    typealias Build = (inout Graph, [NodeID]) throws -> NodeID

    /// A recorded case: leaves named as given, the node under test named `result`.
    struct Recorded {
        var graph: Graph
        let leaves: [NodeID]
        let node: NodeID
        let build: Build
        let values: [Tensor]

        init(_ leaves: [(String, Tensor)], result: String, _ build: @escaping Build) throws {
            var graph = Graph()
            let ids = leaves.map { name, value in
                value.rank == 0 ? graph.appendLeaf(value: value.elements[0], name: name) : graph.appendTensorLeaf(.input, value, name: name)
            }
            node = try build(&graph, ids)
            graph.annotations.names[node] = result
            (self.graph, self.leaves, self.build, self.values) = (graph, ids, build, leaves.map(\.1))
        }

        /// A varied upstream adjoint in the node's shape.
        var upstream: [Double] {
            (0..<graph.tensor(of: node).count).map { (i: Int) -> Double in
                let wobble: Double = 0.1 * Double(i * i % 3)
                return 0.7 - 0.45 * Double(i) + wobble
            }
        }

        /// What the engine adds to operand `operand` for ``upstream``.
        func contribution(_ operand: Int) -> [Double] {
            graph.vectorJacobianProducts(of: node, upstream: upstream)[operand]
        }

        /// ∂(Σ upstream ⊙ node)/∂leaf by central differences, element by element.
        func centralDifferences(leaf: Int) throws -> [Double] {
            let weights = upstream
            return try values[leaf].elements.indices.map { element in
                func loss(_ x: Double) throws -> Double {
                    var moved = values
                    moved[leaf].elements[element] = x
                    var graph = Graph()
                    let ids = moved.map { $0.rank == 0 ? graph.appendLeaf(value: $0.elements[0]) : graph.appendTensorLeaf(.input, $0) }
                    let result = try build(&graph, ids)
                    let value = graph.tensor(of: result)
                    return zip(value.elements, weights).reduce(0) { $0 + $1.0 * $1.1 }
                }
                let x = values[leaf].elements[element]
                let h = 1e-5 * Swift.max(1, Swift.abs(x))
                return (try loss(x + h) - loss(x - h)) / (2 * h)
            }
        }
    }

    func rules(_ recorded: Recorded, _ operand: Int) -> [String] {
        [unicode, ascii, latex].map { $0.tensorUpdate(of: recorded.node, operand: operand, in: recorded.graph) }
    }

    /// The engine's contribution equals `byHand` (the rule's reading) and central differences
    /// (of the leaf that is this operand; a leaf used as two operands gets both contributions).
    func expectNumbers(_ recorded: Recorded, operand: Int, sameLeafAs others: [Int] = [], byHand: [Double],
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let engine = recorded.contribution(operand)
        #expect(engine.count == byHand.count, sourceLocation: sourceLocation)
        for (a, b) in zip(engine, byHand) { #expect(isClose(a, b, relative: 1e-12, absolute: 1e-15), "\(engine) vs \(byHand)", sourceLocation: sourceLocation) }
        let leaf = recorded.leaves.firstIndex(of: recorded.graph.operands(of: recorded.node)[operand])!
        let differences = try recorded.centralDifferences(leaf: leaf)
        var total = engine
        for other in others { total = zip(total, recorded.contribution(other)).map { $0 + $1 } }
        for (a, b) in zip(total, differences) { #expect(isClose(a, b, relative: 1e-6, absolute: 1e-8), "\(engine) vs \(differences)", sourceLocation: sourceLocation) }
    }

    static let W = Tensor(shape: [2, 3], elements: [0.1, -0.2, 0.4, 0.3, 0.5, -0.6])
    static let x = Tensor(shape: [3], elements: [1, 2, -0.5])
    static let B = Tensor(shape: [3, 2], elements: [0.2, -0.3, 0.7, 0.1, -0.4, 0.9])

    // MARK: Matrix products

    @Test func matrixTimesVectorIsTheIssuesRule() throws {
        let r = try Recorded([("W", Self.W), ("x", Self.x)], result: "z") { g, l in try g.appendMatrixProduct(l[0], l[1]) }
        #expect(rules(r, 0) == ["W\u{0304} += z\u{0304} · xᵀ", "W_bar += z_bar . x^T", "\\bar{W} \\mathrel{+}= \\bar{z}\\, x^\\top"])
        #expect(rules(r, 1) == ["x\u{0304} += Wᵀ · z\u{0304}", "x_bar += W^T . z_bar", "\\bar{x} \\mathrel{+}= W^\\top\\, \\bar{z}"])
        let z̄ = r.upstream, x = Self.x.elements, W = Self.W.elements
        // z̄ · xᵀ is the outer product: W̄[i, p] = z̄[i] x[p]; Wᵀ · z̄: x̄[p] = Σ_i W[i, p] z̄[i].
        try expectNumbers(r, operand: 0, byHand: (0..<6).map { z̄[$0 / 3] * x[$0 % 3] })
        try expectNumbers(r, operand: 1, byHand: (0..<3).map { p in W[p] * z̄[0] + W[3 + p] * z̄[1] })
    }

    @Test func matrixTimesMatrix() throws {
        let r = try Recorded([("A", Self.W), ("B", Self.B)], result: "Y") { g, l in try g.appendMatrixProduct(l[0], l[1]) }
        #expect(rules(r, 0) == ["A\u{0304} += Y\u{0304} · Bᵀ", "A_bar += Y_bar . B^T", "\\bar{A} \\mathrel{+}= \\bar{Y}\\, B^\\top"])
        #expect(rules(r, 1) == ["B\u{0304} += Aᵀ · Y\u{0304}", "B_bar += A^T . Y_bar", "\\bar{B} \\mathrel{+}= A^\\top\\, \\bar{Y}"])
        let Ȳ = r.upstream, A = Self.W.elements, B = Self.B.elements
        // (Ȳ Bᵀ)[i, p] = Σ_j Ȳ[i, j] B[p, j]; (Aᵀ Ȳ)[p, j] = Σ_i A[i, p] Ȳ[i, j].
        var Ā = [Double](repeating: 0, count: 6), B̄ = [Double](repeating: 0, count: 6)
        for i in 0..<2 {
            for p in 0..<3 {
                for j in 0..<2 {
                    Ā[i * 3 + p] += Ȳ[i * 2 + j] * B[p * 2 + j]
                    B̄[p * 2 + j] += A[i * 3 + p] * Ȳ[i * 2 + j]
                }
            }
        }
        try expectNumbers(r, operand: 0, byHand: Ā)
        try expectNumbers(r, operand: 1, byHand: B̄)
    }

    @Test func vectorTimesMatrixAndVectorTimesVector() throws {
        let r = try Recorded([("a", Self.x), ("B", Self.B)], result: "y") { g, l in try g.appendMatrixProduct(l[0], l[1]) }
        #expect(rules(r, 0) == ["a\u{0304} += B · y\u{0304}", "a_bar += B . y_bar", "\\bar{a} \\mathrel{+}= B\\, \\bar{y}"])
        #expect(rules(r, 1) == ["B\u{0304} += a · y\u{0304}ᵀ", "B_bar += a . y_bar^T", "\\bar{B} \\mathrel{+}= a\\, \\bar{y}^\\top"])
        let ȳ = r.upstream, a = Self.x.elements, B = Self.B.elements
        try expectNumbers(r, operand: 0, byHand: (0..<3).map { p in B[p * 2] * ȳ[0] + B[p * 2 + 1] * ȳ[1] })
        try expectNumbers(r, operand: 1, byHand: (0..<6).map { a[$0 / 2] * ȳ[$0 % 2] })

        let b = Tensor(shape: [3], elements: [0.5, -1, 2])
        let s = try Recorded([("a", Self.x), ("b", b)], result: "s") { g, l in try g.appendMatrixProduct(l[0], l[1]) }
        #expect(rules(s, 0) == ["a\u{0304} += s\u{0304} · b", "a_bar += s_bar . b", "\\bar{a} \\mathrel{+}= \\bar{s}\\, b"])
        #expect(rules(s, 1) == ["b\u{0304} += s\u{0304} · a", "b_bar += s_bar . a", "\\bar{b} \\mathrel{+}= \\bar{s}\\, a"])
        try expectNumbers(s, operand: 0, byHand: b.elements.map { $0 * s.upstream[0] })
    }

    // MARK: Elementwise

    @Test func aBroadcastAddSumsOverTheRepeatedAxis() throws {
        let t = Tensor(shape: [3, 2], elements: [1, 2, 3, 4, 5, 6])
        let rowBias = try Recorded([("t", t), ("b", Tensor(shape: [2], elements: [0.5, -0.5]))], result: "z") { g, l in
            try g.appendElementwise(.add, l[0], l[1])
        }
        #expect(rules(rowBias, 0) == ["t\u{0304} += z\u{0304}", "t_bar += z_bar", "\\bar{t} \\mathrel{+}= \\bar{z}"])
        #expect(rules(rowBias, 1) == ["b\u{0304} += Σ_rows z\u{0304}", "b_bar += sum_rows(z_bar)", "\\bar{b} \\mathrel{+}= \\sum_{\\mathrm{rows}} \\bar{z}"])
        let z̄ = rowBias.upstream
        try expectNumbers(rowBias, operand: 0, byHand: z̄)
        try expectNumbers(rowBias, operand: 1, byHand: [z̄[0] + z̄[2] + z̄[4], z̄[1] + z̄[3] + z̄[5]])

        let columnBias = try Recorded([("t", t), ("c", Tensor(shape: [3, 1], elements: [1, 2, 3]))], result: "z") { g, l in
            try g.appendElementwise(.subtract, l[0], l[1])
        }
        #expect(rules(columnBias, 1) == ["c\u{0304} += Σ_columns (−z\u{0304})", "c_bar += sum_columns(-z_bar)",
                                         "\\bar{c} \\mathrel{+}= \\sum_{\\mathrm{columns}} (-\\bar{z})"])
        let ū = columnBias.upstream
        try expectNumbers(columnBias, operand: 1, byHand: [-(ū[0] + ū[1]), -(ū[2] + ū[3]), -(ū[4] + ū[5])])

        let scaled = try Recorded([("t", t), ("s", Tensor(scalar: 2))], result: "z") { g, l in try g.appendElementwise(.multiply, l[0], l[1]) }
        #expect(rules(scaled, 1) == ["s\u{0304} += Σ (z\u{0304} ⊙ t)", "s_bar += sum(z_bar * t)", "\\bar{s} \\mathrel{+}= \\sum (\\bar{z} \\odot t)"])
        #expect(rules(scaled, 0) == ["t\u{0304} += z\u{0304} ⊙ s", "t_bar += z_bar * s", "\\bar{t} \\mathrel{+}= \\bar{z} \\odot s"])
        try expectNumbers(scaled, operand: 1, byHand: [zip(scaled.upstream, t.elements).reduce(0) { $0 + $1.0 * $1.1 }])
    }

    @Test func unaryOpsMultiplyByTheirDerivative() throws {
        let a = Tensor(shape: [2, 2], elements: [0.5, -1, 0.25, 2])
        let h = try Recorded([("a", a)], result: "h") { g, l in g.appendElementwise(.tanh, l[0]) }
        #expect(rules(h, 0) == ["a\u{0304} += h\u{0304} ⊙ (1 − h^2)", "a_bar += h_bar * (1 - h^2)", "\\bar{a} \\mathrel{+}= \\bar{h} \\odot (1 - h^{2})"])
        try expectNumbers(h, operand: 0, byHand: a.elements.indices.map { h.upstream[$0] * (1 - Foundation.pow(Foundation.tanh(a.elements[$0]), 2)) })

        let e = try Recorded([("a", a)], result: "e") { g, l in g.appendElementwise(.exp, l[0]) }
        #expect(rules(e, 0) == ["a\u{0304} += e\u{0304} ⊙ e", "a_bar += e_bar * e", "\\bar{a} \\mathrel{+}= \\bar{e} \\odot e"])
        try expectNumbers(e, operand: 0, byHand: a.elements.indices.map { e.upstream[$0] * Foundation.exp(a.elements[$0]) })

        // The tutorial's z = y * y * 3: y * y passes t̄ ⊙ y to each operand, 3 · t passes z̄ · 3.
        let y = Tensor(repeating: 3, shape: [2, 2])
        let square = try Recorded([("y", y)], result: "t") { g, l in try g.appendElementwise(.multiply, l[0], l[0]) }
        #expect(rules(square, 0) == ["y\u{0304} += t\u{0304} ⊙ y", "y_bar += t_bar * y", "\\bar{y} \\mathrel{+}= \\bar{t} \\odot y"])
        #expect(rules(square, 1) == rules(square, 0))
        try expectNumbers(square, operand: 0, sameLeafAs: [1], byHand: square.upstream.map { $0 * 3 })
        let tripled = try Recorded([("t", y)], result: "z") { g, l in g.appendElementwise(.multiplyConstant, l[0], parameter: 3) }
        #expect(rules(tripled, 0) == ["t\u{0304} += z\u{0304} · 3", "t_bar += z_bar * 3", "\\bar{t} \\mathrel{+}= \\bar{z} \\cdot 3"])
        try expectNumbers(tripled, operand: 0, byHand: tripled.upstream.map { $0 * 3 })
        let halved = try Recorded([("t", y)], result: "z") { g, l in g.appendElementwise(.divideByConstant, l[0], parameter: 2) }
        #expect(rules(halved, 0) == ["t\u{0304} += z\u{0304} · (1 / 2)", "t_bar += z_bar * (1 / 2)", "\\bar{t} \\mathrel{+}= \\bar{z} \\cdot (1 / 2)"])
        try expectNumbers(halved, operand: 0, byHand: halved.upstream.map { $0 / 2 })
    }

    // MARK: Normalisations

    @Test func softmaxIsTheIssuesRuleRowByRow() throws {
        let x = Tensor(shape: [3], elements: [1, 2, 0.5])
        let r = try Recorded([("x", x)], result: "y") { g, l in try g.appendNormalization(.softmax, l[0]) }
        #expect(rules(r, 0) == ["x\u{0304} += y\u{0304} ⊙ y − y (y\u{0304} · y)", "x_bar += y_bar * y - y (y_bar . y)",
                                "\\bar{x} \\mathrel{+}= \\bar{y} \\odot y - y\\,(\\bar{y} \\cdot y)"])
        let y = softmax(x.elements), ȳ = r.upstream
        let ȳy = zip(ȳ, y).reduce(0) { $0 + $1.0 * $1.1 }
        try expectNumbers(r, operand: 0, byHand: y.indices.map { ȳ[$0] * y[$0] - y[$0] * ȳy })

        let m = try Recorded([("X", Self.W)], result: "P") { g, l in try g.appendNormalization(.softmax, l[0]) }
        #expect(rules(m, 0)[0] == "X\u{0304} += P\u{0304} ⊙ P − P (P\u{0304} · P) (row by row)")
        #expect(rules(m, 0)[2].hasSuffix("\\quad\\mbox{(row by row)}"))
        let columns = try Recorded([("X", Self.W)], result: "P") { g, l in try g.appendNormalization(.softmax, l[0], axis: 0) }
        #expect(rules(columns, 0)[1] == "X_bar += P_bar * P - P (P_bar . P) (column by column)")
        var byHand: [Double] = []
        for row in 0..<2 {
            let p = softmax(Array(Self.W.elements[row * 3..<row * 3 + 3])), u = Array(m.upstream[row * 3..<row * 3 + 3])
            let dot = zip(u, p).reduce(0) { $0 + $1.0 * $1.1 }
            byHand += p.indices.map { u[$0] * p[$0] - p[$0] * dot }
        }
        try expectNumbers(m, operand: 0, byHand: byHand)
    }

    @Test func logSoftmaxAndLogSumExp() throws {
        let x = Tensor(shape: [3], elements: [1, 2, 0.5])
        let s = softmax(x.elements)
        let l = try Recorded([("x", x)], result: "y") { g, l in try g.appendNormalization(.logSoftmax, l[0]) }
        #expect(rules(l, 0) == ["x\u{0304} += y\u{0304} − softmax(x) Σ y\u{0304}", "x_bar += y_bar - softmax(x) sum(y_bar)",
                                "\\bar{x} \\mathrel{+}= \\bar{y} - \\mathrm{softmax}(x) \\sum \\bar{y}"])
        let total = l.upstream.reduce(0, +)
        try expectNumbers(l, operand: 0, byHand: s.indices.map { l.upstream[$0] - s[$0] * total })
        let e = try Recorded([("x", x)], result: "y") { g, l in try g.appendNormalization(.logSumExp, l[0]) }
        #expect(rules(e, 0) == ["x\u{0304} += y\u{0304} · softmax(x)", "x_bar += y_bar * softmax(x)", "\\bar{x} \\mathrel{+}= \\bar{y} \\cdot \\mathrm{softmax}(x)"])
        try expectNumbers(e, operand: 0, byHand: s.map { e.upstream[0] * $0 })
    }

    // MARK: Reductions

    @Test func reductionsOfEveryElement() throws {
        let A = Tensor(shape: [2, 2], elements: [0.5, 3, -1, 2])
        let sum = try Recorded([("A", A)], result: "s") { g, l in try g.appendReduction(.sum, l[0]) }
        #expect(rules(sum, 0) == ["A\u{0304} += s\u{0304}", "A_bar += s_bar", "\\bar{A} \\mathrel{+}= \\bar{s}"])
        try expectNumbers(sum, operand: 0, byHand: [Double](repeating: sum.upstream[0], count: 4))
        let mean = try Recorded([("A", A)], result: "s") { g, l in try g.appendReduction(.mean, l[0]) }
        #expect(rules(mean, 0) == ["A\u{0304} += s\u{0304} / 4", "A_bar += s_bar / 4", "\\bar{A} \\mathrel{+}= \\bar{s} / 4"])
        try expectNumbers(mean, operand: 0, byHand: [Double](repeating: mean.upstream[0] / 4, count: 4))
        let max = try Recorded([("A", A)], result: "m") { g, l in try g.appendReduction(.max, l[0]) }
        #expect(rules(max, 0) == ["A\u{0304}[argmax A] += m\u{0304}", "A_bar[argmax A] += m_bar", "\\bar{A}[\\arg\\max A] \\mathrel{+}= \\bar{m}"])
        try expectNumbers(max, operand: 0, byHand: [0, max.upstream[0], 0, 0])
    }

    @Test func reductionsAlongAnAxisInIndexNotation() throws {
        let A = Self.W
        let rows = try Recorded([("A", A)], result: "s") { g, l in try g.appendReduction(.sum, l[0], axis: 1) }
        #expect(rules(rows, 0) == ["A\u{0304}[i, :] += s\u{0304}[i]", "A_bar[i, :] += s_bar[i]", "\\bar{A}[i, :] \\mathrel{+}= \\bar{s}[i]"])
        try expectNumbers(rows, operand: 0, byHand: (0..<6).map { rows.upstream[$0 / 3] })
        let columns = try Recorded([("A", A)], result: "s") { g, l in try g.appendReduction(.mean, l[0], axis: 0) }
        #expect(rules(columns, 0)[0] == "A\u{0304}[:, j] += s\u{0304}[j] / 2")
        try expectNumbers(columns, operand: 0, byHand: (0..<6).map { columns.upstream[$0 % 3] / 2 })
        let max = try Recorded([("A", A)], result: "m") { g, l in try g.appendReduction(.max, l[0], axis: -1) }
        #expect(rules(max, 0) == ["A\u{0304}[i, argmax A[i, :]] += m\u{0304}[i]", "A_bar[i, argmax A[i, :]] += m_bar[i]",
                                  "\\bar{A}[i, \\arg\\max A[i, :]] \\mathrel{+}= \\bar{m}[i]"])
        // Rows [0.1, -0.2, 0.4] and [0.3, 0.5, -0.6]: the largest are at columns 2 and 1.
        try expectNumbers(max, operand: 0, byHand: [0, 0, max.upstream[0], 0, max.upstream[1], 0])
    }

    // MARK: Moving elements

    @Test func indexingTransposeReshapeAndStacking() throws {
        let row = try Recorded([("A", Self.W)], result: "r") { g, l in try g.appendIndex(l[0], [.at(1), .all]) }
        #expect(rules(row, 0) == ["A\u{0304}[1, :] += r\u{0304}", "A_bar[1, :] += r_bar", "\\bar{A}[1, :] \\mathrel{+}= \\bar{r}"])
        try expectNumbers(row, operand: 0, byHand: [0, 0, 0] + row.upstream)
        let entry = try Recorded([("A", Self.W)], result: "e") { g, l in try g.appendIndex(l[0], [.at(0), .at(-1)]) }
        #expect(rules(entry, 0)[0] == "A\u{0304}[0, 2] += e\u{0304}")
        try expectNumbers(entry, operand: 0, byHand: [0, 0, entry.upstream[0], 0, 0, 0])

        let t = try Recorded([("A", Self.W)], result: "T") { g, l in try g.appendTranspose(l[0]) }
        #expect(rules(t, 0) == ["A\u{0304} += T\u{0304}ᵀ", "A_bar += T_bar^T", "\\bar{A} \\mathrel{+}= \\bar{T}^\\top"])
        let T̄ = t.upstream  // shape [3, 2]
        try expectNumbers(t, operand: 0, byHand: (0..<6).map { T̄[($0 % 3) * 2 + $0 / 3] })

        let reshaped = try Recorded([("A", Self.W)], result: "v") { g, l in try g.appendReshape(l[0], to: [6]) }
        #expect(rules(reshaped, 0) == ["A\u{0304} += reshape(v\u{0304}, 2, 3)", "A_bar += reshape(v_bar, 2, 3)",
                                       "\\bar{A} \\mathrel{+}= \\mathrm{reshape}(\\bar{v}, 2, 3)"])
        try expectNumbers(reshaped, operand: 0, byHand: reshaped.upstream)

        let stacked = try Recorded([("a", Tensor(scalar: 1)), ("b", Tensor(scalar: 2)), ("c", Tensor(scalar: -1))], result: "v") { g, l in
            try g.appendStack(l)
        }
        #expect(rules(stacked, 1) == ["b\u{0304} += v\u{0304}[1]", "b_bar += v_bar[1]", "\\bar{b} \\mathrel{+}= \\bar{v}[1]"])
        try expectNumbers(stacked, operand: 1, byHand: [stacked.upstream[1]])
    }

    @Test func aScalarNodeGetsTheScalarStep() throws {
        var graph = Graph()
        let x1 = graph.appendLeaf(value: 2, name: "x1")
        let v2 = graph.append(.multiply, x1, x1)
        graph.annotations.names[v2] = "v2"
        #expect(unicode.tensorUpdate(of: v2, operand: 0, in: graph) == "x\u{0304}1 += v\u{0304}2 · ∂v2/∂x1")
        #expect(unicode.tensorUpdate(of: v2, operand: 2, in: graph) == "")
    }

    func softmax(_ x: [Double]) -> [Double] {
        let top = x.max()!
        let e = x.map { Foundation.exp($0 - top) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}
