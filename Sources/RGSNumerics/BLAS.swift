import CBLAS
#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Thin, typed wrappers over the OpenBLAS/LAPACK calls the nets and inspections use.
///
/// All matrices are row-major and contiguous. These are the only places the project calls CBLAS
/// directly for float32 products, so thread settings and shapes are handled in one spot.
public enum BLAS {
    /// C = alpha * op(A) * op(B) + beta * C for float32 row-major matrices, where op(A) is M x K and
    /// op(B) is K x N. `transA`/`transB` select the transpose of the stored matrix. `blocked` runs
    /// it as `product`: fixed blocks on the workers, the same bits on any thread count.
    @inlinable
    public static func sgemm(
        _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Float>, transA: Bool = false,
        _ b: UnsafePointer<Float>, transB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0, blocked: Bool = false
    ) {
        let (lda, ldb) = (transA ? m : k, transB ? k : n)
        if blocked {
            product(m, n, k, a, lda: lda, transA: transA, b, ldb: ldb, transB: transB, c, ldc: n, alpha: alpha, beta: beta)
        } else {
            sgemm(m, n, k, a, lda: lda, transA: transA, b, ldb: ldb, transB: transB, c, ldc: n, alpha: alpha, beta: beta)
        }
    }

    /// `sgemm` for matrices inside wider row-major buffers: `lda`, `ldb` and `ldc` are the row
    /// strides (in floats) of the stored A, B and C.
    ///
    /// With beta 0, C is cleared here and OpenBLAS accumulates into it (beta 1): its own pass
    /// for beta 0 stores one float at a time, 8% of a batch-100 training step.
    @inlinable
    public static func sgemm(
        _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Float>, lda: Int, transA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int, transB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0
    ) {
        setUp()
        var beta = beta
        if beta == 0, m > 0, n > 0 {
            for row in 0..<m { (c + row * ldc).update(repeating: 0, count: n) }
            beta = 1
        }
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// C = alpha * op(A) * op(B) + beta * C for float64 row-major matrices (see `sgemm`).
    @inlinable
    public static func dgemm(
        _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Double>, transA: Bool = false,
        _ b: UnsafePointer<Double>, transB: Bool = false,
        _ c: UnsafeMutablePointer<Double>, alpha: Double = 1, beta: Double = 0
    ) {
        let lda = transA ? m : k
        let ldb = transB ? k : n
        setUp()
        cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(n))
    }

    /// Readies OpenBLAS once, before the first product; every wrapper here calls it.
    /// - It gets the kernels this CPU runs best (`OpenBLASKernels`).
    /// - It runs on one thread for good, and its server threads are joined (idle, they still woke
    ///   and spun on sched_yield, taking a core from rgs's workers). Parallelism comes from fixed
    ///   blocks on rgs's own workers (`product`), because OpenBLAS's own threading changed the bits
    ///   with its thread count on a Zen3.
    public static func setUp() {
        _ = ready
    }

    private static let ready: Void = {
        OpenBLASKernels.choose()
        openblas_set_num_threads(1)
        // Builds without threads (libopenblas0-serial) lack it.
        if let shutdown = OpenBLASKernels.function("blas_thread_shutdown_", as: (@convention(c) () -> Int32).self) {
            _ = shutdown()
        }
    }()
}

/// The eigen-decomposition of a real symmetric matrix (LAPACK dsyevd).
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in descending order.
    public let values: [Double]
    /// Eigenvectors as the columns of an n x n matrix, in the order of `values`.
    public let vectors: Matrix

    /// Decomposes `matrix`, which must be square and symmetric (to 1e-9 of its largest entry).
    /// Throws `Cancelled` on Ctrl-C (the solve cannot stop midway: `Cancellation.abandoning`).
    public init(_ matrix: Matrix) throws {
        guard matrix.rows == matrix.columns else {
            throw CoreError("eigen needs a square matrix, got \(matrix.shapeDescription)")
        }
        guard matrix.storage.allSatisfy(\.isFinite) else {
            throw CoreError("eigen needs a matrix of finite numbers (found NaN or infinity)")
        }
        let n = matrix.rows
        let tolerance = 1e-9 * (matrix.storage.lazy.map(abs).max() ?? 0)
        for i in 0..<n {
            for j in (i + 1)..<n where abs(matrix[i, j] - matrix[j, i]) > tolerance {
                throw CoreError("eigen needs a symmetric matrix, but entry [\(i), \(j)] is \(formatNumber(matrix[i, j])) and [\(j), \(i)] is \(formatNumber(matrix[j, i]))",
                                hint: "eigen is LAPACK's symmetric solver, for W W^T and correlation matrices; for a general matrix save it and use numpy.linalg.eig")
            }
        }
        // The matrix, LAPACK's workspace (about 2 n^2) and the reordered vectors.
        try SystemMemory.check(4 * Double(n) * Double(n) * 8, for: "the eigen-decomposition of a \(n)x\(n) matrix",
                               hint: "decompose a smaller matrix")
        let solved = try Cancellation.abandoning { () -> (a: [Double], w: [Double], info: Int32) in
            var a = matrix.storage
            var w = [Double](repeating: 0, count: n)
            BLAS.setUp()
            let info = n == 0 ? 0 : LAPACKE_dsyevd(LAPACK_ROW_MAJOR, 86 /* V */, 85 /* U */, Int32(n), &a, Int32(n), &w)
            return (a, w, info)
        }
        guard solved.info == 0 else { throw CoreError("the eigensolver did not converge (LAPACK info \(solved.info))") }
        let (a, w) = (solved.a, solved.w)
        // LAPACK returns ascending order; reverse to descending, moving columns along.
        var vectors = Matrix(rows: n, columns: n)
        for j in 0..<n {
            let src = n - 1 - j
            for i in 0..<n { vectors[i, j] = a[i * n + src] }
        }
        self.values = Array(w.reversed())
        self.vectors = vectors
    }
}
