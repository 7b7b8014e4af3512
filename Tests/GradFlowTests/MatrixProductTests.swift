import GradFlow
import Testing

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
