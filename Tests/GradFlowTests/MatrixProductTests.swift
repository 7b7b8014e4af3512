import GradFlow
import Testing
import TestSupport

@Suite struct MatrixProductTests {
    // A = [[1, 2, 3], [4, 5, 6]], B = [[7, 8], [9, 10], [11, 12]]; A·B by hand:
    // [[1·7 + 2·9 + 3·11, 1·8 + 2·10 + 3·12], [4·7 + 5·9 + 6·11, 4·8 + 5·10 + 6·12]]
    // = [[58, 64], [139, 154]].
    let a: [Double] = [1, 2, 3, 4, 5, 6]
    let b: [Double] = [7, 8, 9, 10, 11, 12]
    let product: [Double] = [58, 64, 139, 154]

    func gemm(_ ta: Bool, _ tb: Bool, _ a: [Double], _ lda: Int, _ b: [Double], _ ldb: Int,
              alpha: Double = 1, beta: Double = 0, into c: [Double] = [0, 0, 0, 0]) -> [Double] {
        var c = c
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    MatrixProduct.gemm(transposeA: ta, transposeB: tb, m: 2, n: 2, k: 3,
                                       alpha: alpha, a: a.baseAddress!, lda: lda,
                                       b: b.baseAddress!, ldb: ldb,
                                       beta: beta, c: c.baseAddress!, ldc: 2)
                }
            }
        }
        return c
    }

    func expectClose(_ got: [Double], _ want: [Double]) {
        #expect(got.count == want.count)
        for (g, w) in zip(got, want) { #expect(abs(g - w) <= 1e-12 * max(1, abs(w))) }
    }

    @Test func productOfRowMajorMatrices() {
        expectClose(gemm(false, false, a, 3, b, 2), product)
    }

    @Test func transposedOperandsAreReadInPlace() {
        let aT: [Double] = [1, 4, 2, 5, 3, 6]        // Aᵀ stored 3 × 2
        let bT: [Double] = [7, 9, 11, 8, 10, 12]     // Bᵀ stored 2 × 3
        expectClose(gemm(true, false, aT, 2, b, 2), product)
        expectClose(gemm(false, true, a, 3, bT, 3), product)
        expectClose(gemm(true, true, aT, 2, bT, 3), product)
    }

    @Test func scalesAndAccumulates() {
        // 2·A·B + 1·C with C = [1, 1, 1, 1] (the accumulation a backward rule relies on).
        expectClose(gemm(false, false, a, 3, b, 2, alpha: 2, beta: 1, into: [1, 1, 1, 1]),
                    [117, 129, 279, 309])
    }
}

/// The BLAS behind `gemm` against a plain triple loop written here, on random shapes: every
/// transpose combination, alpha/beta, row strides wider than the rows, and empty products.
@Suite struct MatrixProductAgainstLoopsTests {
    struct Case {
        var transposeA = false, transposeB = false
        var m, n, k: Int
        var alpha = 1.0, beta = 0.0
        var padA = 0, padB = 0, padC = 0     // extra columns in each stored row
    }

    /// A stored operand of `rows × columns` with `pad` extra (garbage) entries per row.
    func stored(_ rows: Int, _ columns: Int, pad: Int, _ random: inout SeededGenerator) -> (values: [Double], stride: Int) {
        let stride = columns + pad
        return ((0..<max(1, rows * stride)).map { _ in random.uniform(-2, 2) }, stride)
    }

    /// `C = alpha · op(A) · op(B) + beta · C` by the definition, entry by entry.
    func reference(_ t: Case, _ a: [Double], _ lda: Int, _ b: [Double], _ ldb: Int, _ c: [Double], _ ldc: Int) -> [Double] {
        var c = c
        for i in 0..<t.m {
            for j in 0..<t.n {
                var sum = 0.0
                for p in 0..<t.k {
                    sum += (t.transposeA ? a[p * lda + i] : a[i * lda + p]) * (t.transposeB ? b[j * ldb + p] : b[p * ldb + j])
                }
                c[i * ldc + j] = t.alpha * sum + (t.beta == 0 ? 0 : t.beta * c[i * ldc + j])
            }
        }
        return c
    }

    /// Runs one case through `gemm` and the reference; returns (gemm's C, reference C, ldc).
    func run(_ t: Case, seed: UInt64) -> (got: [Double], want: [Double], ldc: Int) {
        var random = SeededGenerator(seed: seed)
        let (aRows, aColumns) = t.transposeA ? (t.k, t.m) : (t.m, t.k)
        let (bRows, bColumns) = t.transposeB ? (t.n, t.k) : (t.k, t.n)
        let (a, lda) = stored(aRows, aColumns, pad: t.padA, &random)
        let (b, ldb) = stored(bRows, bColumns, pad: t.padB, &random)
        let (c0, ldc) = stored(t.m, t.n, pad: t.padC, &random)
        var c = c0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    MatrixProduct.gemm(transposeA: t.transposeA, transposeB: t.transposeB, m: t.m, n: t.n, k: t.k,
                                       alpha: t.alpha, a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                                       beta: t.beta, c: c.baseAddress!, ldc: ldc)
                }
            }
        }
        return (c, reference(t, a, lda, b, ldb, c0, ldc), ldc)
    }

    func expectAgree(_ t: Case, seed: UInt64, sourceLocation: SourceLocation = #_sourceLocation) {
        let (got, want, ldc) = run(t, seed: seed)
        let tolerance = 1e-13 * Double(max(1, t.k)) * 4   // each entry sums k products of size ≤ 4
        for (index, (g, w)) in zip(got, want).enumerated() {
            let inMatrix = ldc > 0 && index / ldc < t.m && index % ldc < t.n
            if inMatrix {
                #expect(abs(g - w) <= tolerance * max(1, abs(w)), "\(t) entry \(index): \(g) vs \(w)", sourceLocation: sourceLocation)
            } else {
                // The padding between rows is not C's: gemm must leave it as it was.
                #expect(g == w, "\(t) wrote into padding at \(index)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func randomShapesEveryTransposeWithStridesAndScaling() {
        var random = SeededGenerator(seed: 11)
        for trial in 0..<200 {
            let t = Case(transposeA: random.below(2) == 1, transposeB: random.below(2) == 1,
                         m: 1 + random.below(40), n: 1 + random.below(40), k: 1 + random.below(70),
                         alpha: [1, -0.5, 2.25][random.below(3)], beta: [0, 1, -1.5][random.below(3)],
                         padA: random.below(3) * 3, padB: random.below(3) * 2, padC: random.below(2) * 5)
            expectAgree(t, seed: UInt64(trial))
        }
    }

    @Test func theLayerSizesOfTheBenchmark() {
        // W5's first layer and its two backward products: X·W (32×784 · 784×128), Xᵀ·Ȳ, Ȳ·Wᵀ.
        expectAgree(Case(m: 32, n: 128, k: 784), seed: 1)
        expectAgree(Case(transposeA: true, m: 784, n: 128, k: 32, beta: 1), seed: 2)
        expectAgree(Case(transposeB: true, m: 32, n: 784, k: 128, beta: 1), seed: 3)
    }

    @Test func emptyProductsDoNotCrashAndLeaveBetaC() {
        for (m, n, k) in [(0, 3, 4), (3, 0, 4), (3, 4, 0), (0, 0, 0), (1, 1, 0)] {
            for (ta, tb) in [(false, false), (true, true), (true, false)] {
                for beta in [0.0, 1.0, 2.0] {
                    expectAgree(Case(transposeA: ta, transposeB: tb, m: m, n: n, k: k, beta: beta), seed: 7)
                }
            }
        }
    }

    @Test func betaZeroOverwritesWhatWasInC() {
        // BLAS's contract: with beta = 0, C is not read, so a NaN left in it does not survive.
        let a: [Double] = [1, 2], b: [Double] = [3, 4]
        var c: [Double] = [.nan]
        MatrixProduct.gemm(transposeA: false, transposeB: false, m: 1, n: 1, k: 2, alpha: 1, a: a, lda: 2,
                           b: b, ldb: 1, beta: 0, c: &c, ldc: 1)
        #expect(isClose(c[0], 11))
        var empty: [Double] = [.nan, 5]
        MatrixProduct.gemm(transposeA: false, transposeB: false, m: 1, n: 2, k: 0, alpha: 1, a: a, lda: 0,
                           b: b, ldb: 2, beta: 0, c: &empty, ldc: 2)
        #expect(empty == [0, 0])
    }
}

/// A small product is the very sum a scalar scene writes, so that a tensor scene and its scalar
/// form agree to the last digit. Exact equality is the property under test here: OpenBLAS's
/// fused multiply-adds give a different last bit for about a quarter of random 2-term sums.
@Suite struct SmallProductsAreScalarSumsTests {
    /// How many entries of `m × k · k × n` differ from the left-to-right scalar sum.
    func mismatches(m: Int, n: Int, k: Int, _ random: inout SeededGenerator) -> Int {
        let a = (0..<m * k).map { _ in random.uniform(-1, 1) }
        let b = (0..<k * n).map { _ in random.uniform(-1, 1) }
        var c = [Double](repeating: 0, count: m * n)
        MatrixProduct.gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k,
                           b: b, ldb: n, beta: 0, c: &c, ldc: n)
        var count = 0
        for i in 0..<m {
            for j in 0..<n {
                var scalar = a[i * k] * b[j]
                for p in 1..<k { scalar = scalar + a[i * k + p] * b[p * n + j] }
                if c[i * n + j] != scalar { count += 1 }
            }
        }
        return count
    }

    @Test func eachEntryIsTheLeftToRightSumOfProducts() {
        var random = SeededGenerator(seed: 5)
        var count = 0
        for _ in 0..<2000 { count += mismatches(m: 2, n: 3, k: 2 + random.below(4), &random) }
        #expect(count == 0)
    }

    @Test func upToTheLoopLimit() {
        // 16×16·16×16 is the largest product the loops do (MatrixProduct.loopLimit).
        var random = SeededGenerator(seed: 6)
        #expect(16 * 16 * 16 <= MatrixProduct.loopLimit)
        #expect(mismatches(m: 16, n: 16, k: 16, &random) == 0)
    }

    /// OpenBLAS is opened at run time (so that a memory limit cannot hang it): where it is
    /// installed and memory allows, larger products must reach it, not fall back to the loops.
    @Test func openBLASIsFound() {
        #expect(MatrixProduct.usesOpenBLAS)
    }
}
