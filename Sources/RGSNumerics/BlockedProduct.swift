import CBLAS

extension BLAS {
    /// C = alpha op(A) op(B) + beta C (row-major, strides as in `sgemm`), computed as one
    /// single-threaded OpenBLAS call per fixed block of 128 rows or columns of C (whichever
    /// dimension is larger), the blocks spread over `Settings.threads` workers (`parallel`), or
    /// run in order on the calling thread (callers that are workers themselves).
    ///
    /// OpenBLAS's own threading gives results that depend on its thread count on some CPUs (its
    /// kernels and panel splits follow the per-thread shapes) and its spinning workers slow the
    /// parallel passes around the product; blocks fixed by the shape keep every element of C
    /// the same whatever the thread count.
    public static func product(
        _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Float>, lda: Int, transA: Bool = false,
        _ b: UnsafePointer<Float>, ldb: Int, transB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, ldc: Int, alpha: Float = 1, beta: Float = 0, parallel: Bool = true
    ) {
        if openblas_get_num_threads() != 1 { openblas_set_num_threads(1) }
        let byRows = m >= n, extent = byRows ? m : n
        let blocks = (extent + productBlock - 1) / productBlock
        let (sa, sb, sc) = (Shared(a), Shared(b), Shared(c))
        let block: @Sendable (Int) -> Void = { p in
            let start = p * productBlock, count = min(productBlock, extent - start)
            if byRows {
                sgemm(count, n, k, sa.pointer + (transA ? start : start * lda), lda: lda, transA: transA,
                      sb.pointer, ldb: ldb, transB: transB, sc.pointer + start * ldc, ldc: ldc, alpha: alpha, beta: beta)
            } else {
                sgemm(m, count, k, sa.pointer, lda: lda, transA: transA,
                      sb.pointer + (transB ? start * ldb : start), ldb: ldb, transB: transB, sc.pointer + start, ldc: ldc,
                      alpha: alpha, beta: beta)
            }
        }
        if parallel { Parallel.forEach(blocks, block) } else { for p in 0..<blocks { block(p) } }
    }

    /// `product` of contiguous matrices (lda, ldb, ldc from the shapes, as in `sgemm`).
    public static func product(
        _ m: Int, _ n: Int, _ k: Int,
        _ a: UnsafePointer<Float>, transA: Bool = false,
        _ b: UnsafePointer<Float>, transB: Bool = false,
        _ c: UnsafeMutablePointer<Float>, alpha: Float = 1, beta: Float = 0
    ) {
        product(m, n, k, a, lda: transA ? m : k, transA: transA, b, ldb: transB ? k : n, transB: transB, c, ldc: n,
                alpha: alpha, beta: beta)
    }

    /// Rows or columns of C per OpenBLAS call in `product`.
    public static let productBlock = 128
}
