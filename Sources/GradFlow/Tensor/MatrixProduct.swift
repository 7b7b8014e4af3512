/// The one matrix product every tensor operation goes through:
/// `C = alpha · op(A) · op(B) + beta · C`, every matrix row-major.
///
/// `op(A)` is `m × k` and `op(B)` is `k × n`; `transposeA` means `A` is stored `k × m` and read
/// transposed (likewise `B`). `lda`, `ldb`, `ldc` are the row strides of the stored matrices, as
/// in BLAS's `dgemm`, so a backward rule such as `Ā += Ȳ · Bᵀ` needs no transposed copy.
/// Keeping one entry point lets the kernel behind it change (a BLAS, a blocked loop) without
/// touching any rule.
public enum MatrixProduct {
    public static func gemm(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum = 0.0
                for p in 0..<k {
                    let left = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let right = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += left * right
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * sum + old
            }
        }
    }
}
