extension BLAS {
    /// C = alpha op(A) op(B) + beta C (row-major, strides as in `sgemm`), computed as one
    /// single-threaded OpenBLAS call per block of rows or columns of C (whichever dimension is
    /// larger; at most `productBlocks` blocks, their sizes fixed by the shapes), the blocks spread
    /// over `Settings.threads` workers (`parallel`) or run in order on the calling thread
    /// (callers that are workers themselves).
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
        guard m > 0, n > 0 else { return }
        let byRows = m >= n, extent = byRows ? m : n
        let parts = min(productBlocks, (extent + 127) / 128)
        let size = ((extent + parts - 1) / parts + 15) / 16 * 16, blocks = (extent + size - 1) / size
        let (sa, sb, sc) = (Shared(a), Shared(b), Shared(c))
        let block: @Sendable (Int) -> Void = { p in
            let start = p * size, count = min(size, extent - start)
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

    /// At most this many blocks per `product` (blocks of at least 128 rows or columns, rounded
    /// to 16): every block packs the other operand again, so more blocks than workers cost time.
    public static let productBlocks = 4
}
