import COpenBLAS
#if canImport(Glibc)
import Glibc
#endif

/// The one matrix product every tensor operation goes through:
/// `C = alpha · op(A) · op(B) + beta · C`, every matrix row-major.
///
/// `op(A)` is `m × k` and `op(B)` is `k × n`; `transposeA` means `A` is stored `k × m` and read
/// transposed (likewise `B`). `lda`, `ldb`, `ldc` are the row strides of the stored matrices, as
/// in BLAS's `dgemm`, so a backward rule such as `Ā += Ȳ · Bᵀ` needs no transposed copy.
/// Keeping one entry point lets the kernel behind it change without touching any rule.
///
/// Two kernels: a product of at most `loopLimit` multiply-adds (a scene's 2×2 or 4×3·3×4) runs
/// as plain loops that sum each dot product left to right with no fused multiply-add, so it is
/// bit for bit the sum `a₁b₁ + a₂b₂ + …` a scalar scene writes (tensor and scalar views of one
/// computation agree to the last digit); a larger one runs on OpenBLAS's `cblas_dgemm` (Debian's
/// libopenblas-dev; the COpenBLAS system-library target gives its declaration), whose blocked
/// kernels use fused multiply-adds and so round differently in the last bits. OpenBLAS is opened
/// at the first such product (see ``openBLAS``); where it cannot be, the loops take every product.
/// As with BLAS, `beta == 0`
/// means `C` is not read (a NaN already in `C` does not survive), and an empty product
/// (`k == 0`) leaves `beta · C`.
public enum MatrixProduct {
    /// The most multiply-adds (`m · n · k`) done by the loops: 16×16·16×16. At that size the
    /// loops take about 10 µs; at W5's 32×784·784×128 they take 7.4 ms and OpenBLAS 0.33 ms.
    public static let loopLimit = 4096

    public static func gemm(
        transposeA: Bool, transposeB: Bool,
        m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int,
        b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "gemm: negative size \(m) × \(n) × \(k)")
        if m == 0 || n == 0 { return }
        precondition(ldc >= n, "gemm: ldc \(ldc) < n \(n)")
        if k == 0 || alpha == 0 {
            // Nothing to multiply: BLAS would refuse a zero leading dimension here, and the
            // answer is only the scaled C.
            scale(c, rows: m, columns: n, stride: ldc, by: beta)
            return
        }
        precondition(lda >= (transposeA ? m : k), "gemm: lda \(lda) is narrower than A's rows")
        precondition(ldb >= (transposeB ? k : n), "gemm: ldb \(ldb) is narrower than B's rows")
        // BLAS counts in 32-bit ints; a matrix beyond that (never a scene's) takes the loops too.
        let sizes = BLASSizes(m, n, k, lda, ldb, ldc)
        guard Double(m) * Double(n) * Double(k) > Double(loopLimit), let sizes, let dgemm = openBLAS else {
            loops(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                  a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
            return
        }
        dgemm(CblasRowMajor,
              transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
              sizes.m, sizes.n, sizes.k, alpha, a, sizes.lda, b, sizes.ldb, beta, c, sizes.ldc)
    }

    /// Whether products beyond ``loopLimit`` run on OpenBLAS (opening it if it is not open yet).
    public static var usesOpenBLAS: Bool { openBLAS != nil }

    /// OpenBLAS's `cblas_dgemm`, opened at the first product that needs it; nil when the library
    /// is missing or the system would refuse it the memory it takes.
    ///
    /// It is opened rather than linked because OpenBLAS starts a pool of threads when it is loaded,
    /// and each takes a 128 MiB work buffer at once, retrying forever if the system refuses it:
    /// under a memory limit of a few hundred MB (`ulimit -v`, as sandboxes and shared machines set)
    /// every command, scalar scenes included, spun a thread and never exited, because OpenBLAS joins
    /// its threads at exit. Opened here, it runs on one thread unless OPENBLAS_NUM_THREADS or
    /// OMP_NUM_THREADS asks otherwise (said in the environment before it loads, so no pool starts;
    /// at the sizes of scenes, W5's 32×784·784×128 included, a second thread gained nothing
    /// measurable, 0.32–0.43 ms either way, and on a busy machine waiting for it cost 4×). Its one
    /// buffer is asked for first: a refusal would make the first product retry forever.
    private static let openBLAS: gradflow_cblas_dgemm? = {
        if getenv("OPENBLAS_NUM_THREADS") == nil && getenv("OMP_NUM_THREADS") == nil {
            setenv("OPENBLAS_NUM_THREADS", "1", 0)
        }
        let buffer = 160 << 20
        guard let probe = mmap(nil, buffer, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), probe != UnsafeMutableRawPointer(bitPattern: -1) else {
            return nil
        }
        munmap(probe, buffer)
        guard let library = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_LOCAL), let symbol = dlsym(library, "cblas_dgemm") else {
            return nil
        }
        return unsafeBitCast(symbol, to: gradflow_cblas_dgemm.self)
    }()

    /// The sizes as BLAS's `int`, or nil when one does not fit.
    private struct BLASSizes {
        let m, n, k, lda, ldb, ldc: Int32
        init?(_ m: Int, _ n: Int, _ k: Int, _ lda: Int, _ ldb: Int, _ ldc: Int) {
            guard let m = Int32(exactly: m), let n = Int32(exactly: n), let k = Int32(exactly: k),
                  let lda = Int32(exactly: lda), let ldb = Int32(exactly: ldb), let ldc = Int32(exactly: ldc)
            else { return nil }
            (self.m, self.n, self.k, self.lda, self.ldb, self.ldc) = (m, n, k, lda, ldb, ldc)
        }
    }

    private static func scale(_ c: UnsafeMutablePointer<Double>, rows: Int, columns: Int, stride: Int, by beta: Double) {
        if beta == 1 { return }
        for i in 0..<rows {
            for j in 0..<columns { c[i * stride + j] = beta == 0 ? 0 : beta * c[i * stride + j] }
        }
    }

    private static func loops(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        alpha: Double, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                // Starting from the first product (not 0) keeps even a −0 what a scalar chain gives.
                func product(_ p: Int) -> Double {
                    (transposeA ? a[p * lda + i] : a[i * lda + p]) * (transposeB ? b[j * ldb + p] : b[p * ldb + j])
                }
                var sum = product(0)
                for p in 1..<k { sum += product(p) }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * sum + old
            }
        }
    }
}
